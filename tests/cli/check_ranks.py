#!/usr/bin/env python3
"""Checks that count and tokenize give the same results on 1 to 8 ranks.

Runs `juggle count` on --corpus (gzip files) and `juggle tokenize --csv` on
--text, one thread a rank, on every number of ranks from 1 to --max-ranks
(oversubscribed: more ranks than cores), and compares each run with the
1-rank run: the check: line, the per-file tables (but the columns that say
where and how long: rank, thread, seconds, and how a file was cut:
pieces, split), count's totals (but times and rates), the stored
vocabulary (/tokenize/counts, word_prefix, word_suffixes) and the CSV byte
for byte. Every rank writes its own part of these files, so this is where
a wrong offset or a rank's lost rows would show.
"""
import os

import h5py

from harness import expect, parse_args, run_juggle

WHERE_AND_HOW_LONG = {"rank", "thread", "seconds", "pieces", "split"}
TIMED_TOTALS = {"wall_seconds", "mb_per_s", "lines_per_s", "busy_seconds_max", "busy_seconds_mean", "imbalance"}


def check_line(stdout):
    lines = [line for line in stdout.splitlines() if line.startswith("check:")]
    expect(len(lines) == 1, f"one check line expected, got {lines}")
    return lines[0]


def contents(path, stage):
    """What must not depend on the number of ranks, from a results file."""
    with h5py.File(path, "r") as h5:
        files = h5[f"{stage}/files"]
        got = {f"files/{k}": files[k][:].tolist() for k in files if k not in WHERE_AND_HOW_LONG}
        if stage == "count":
            got["total"] = {k: v for k, v in h5["count/total"].attrs.items() if k not in TIMED_TOTALS}
        else:
            for k in ("counts", "word_prefix", "word_suffixes"):
                got[k] = h5["tokenize"][k][:].tobytes()
    return got


def run_stage(args, stage, ranks):
    output = os.path.join(args.work, f"{stage}-{ranks}.h5")
    extra, csv = [], None
    if stage == "tokenize":
        csv = os.path.join(args.work, f"words-{ranks}.csv")
        extra = ["--csv", csv]
    corpus = args.corpus if stage == "count" else args.text
    run = run_juggle(args.juggle, [stage, "--threads", "1", "--output", output, *extra, corpus], ranks, args.mpiexec)
    expect(run.returncode == 0, f"{stage} on {ranks} ranks: exit {run.returncode}")
    got = contents(output, stage)
    got["check"] = check_line(run.stdout)
    if csv:
        with open(csv, "rb") as f:
            got["csv"] = f.read()
    return got


def mode_ranks(args):
    for stage in ("count", "tokenize"):
        one = run_stage(args, stage, 1)
        for ranks in range(2, args.max_ranks + 1):
            many = run_stage(args, stage, ranks)
            expect(sorted(many) == sorted(one), f"{stage} on {ranks} ranks: other contents {sorted(many)}")
            for key in one:
                expect(many[key] == one[key], f"{stage} on {ranks} ranks: {key} differs from 1 rank")
        print(f"ok: {stage} on 1 to {args.max_ranks} ranks: {one['check']}, tables and "
              + ("vocabulary and CSV " if stage == "tokenize" else "totals ") + "equal")


def main():
    parse_args({"ranks": mode_ranks},
               lambda p: (p.add_argument("--text", required=True), p.add_argument("--max-ranks", type=int, default=8)))


if __name__ == "__main__":
    main()
