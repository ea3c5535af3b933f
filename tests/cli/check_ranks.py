#!/usr/bin/env python3
"""Checks that count and tokenize give the same results on 1 to 8 ranks.

Runs `juggle count` on --corpus (gzip files) and `juggle tokenize --csv` on
--text, one thread a rank, on every number of ranks from 1 to --max-ranks
(oversubscribed: more ranks than cores), and compares each run with the
1-rank run: the check: line, the per-file tables (but the columns that say
where and how long: rank, thread, seconds, and how a file was cut:
pieces, split), count's totals (but times and rates), the stored
vocabulary (/tokenize/counts, word_prefix, word_suffixes) and the CSV byte
for byte, and the stdout of --per-file and the problem lines on stderr.
Every rank writes its own part of these files, and each file's row is made
on the rank that is its home, so this is where a wrong offset, a rank's
lost rows or a column of another type or width would show.

Mode `spread`: a corpus whose path column must stay variable-length (one
path of some 3,000 bytes among 400 short ones: HDF5 writes such a column
from one process, so rank 0 gathers it) and with damaged files, on 1 and
3 ranks (and on 3 without --per-file, when only the failed files' rows
reach rank 0): the same comparisons, and the column's type checked.
"""
import gzip
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
        got.update({f"dtype/{k}": str(files[k].dtype) for k in files})
        if stage == "count":
            got["total"] = {k: v for k, v in h5["count/total"].attrs.items() if k not in TIMED_TOTALS}
        else:
            for k in ("counts", "word_prefix", "word_suffixes"):
                got[k] = h5["tokenize"][k][:].tobytes()
    return got


def per_file_lines(stdout, stage):
    """The --per-file listing: the lines before the summary."""
    lines = stdout.splitlines()
    summary = [i for i, line in enumerate(lines) if line.startswith(f"{stage}: ")]
    expect(len(summary) == 1, f"one summary line expected in {stdout[:300]}")
    return lines[:summary[0]]


def run_stage(args, stage, ranks, corpus=None, status=0, per_file=True):
    name = f"{stage}-{ranks}" + ("" if per_file else "-listed")
    output = os.path.join(args.work, f"{name}.h5")
    extra, csv = ["--per-file"] if per_file else [], None
    if stage == "tokenize":
        csv = os.path.join(args.work, f"words-{name}.csv")
        extra += ["--csv", csv]
    if corpus is None:
        corpus = args.corpus if stage == "count" else args.text
    run = run_juggle(args.juggle, [stage, "--threads", "1", "--output", output, *extra, corpus], ranks, args.mpiexec)
    expect(run.returncode == status, f"{stage} on {ranks} ranks: exit {run.returncode}, expected {status}")
    got = contents(output, stage)
    got["check"] = check_line(run.stdout)
    got["per-file"] = per_file_lines(run.stdout, stage)
    got["problems"] = [line for line in run.stderr.splitlines() if line.startswith("juggle: ")]
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


def write_spread_corpus(root):
    """400 small gzip files, one at the end of a path of some 3,000 bytes,
    and damaged ones (truncated, not gzip) among them."""
    deep = os.path.join(root, *(["d" * 200] * 15))
    os.makedirs(deep)
    for i in range(400):
        folder = deep if i == 200 else root
        data = gzip.compress(("".join(f"line {j} of file {i}\n" for j in range(i % 17)) + "end").encode(), mtime=0)
        if i % 50 == 7:
            data = data[: len(data) // 2]  # truncated
        elif i % 50 == 31:
            data = b"plain text, not gzip\n"
        with open(os.path.join(folder, f"f{i:03d}.gz"), "wb") as f:
            f.write(data)


def mode_spread(args):
    corpus = os.path.join(args.work, "spread-corpus")
    write_spread_corpus(corpus)
    one = run_stage(args, "count", 1, corpus, status=1)
    expect(one["dtype/path"] == "object", f"path column {one['dtype/path']}: expected variable-length (object)")
    expect(len(one["problems"]) == 16, f"16 damaged files expected on stderr, got {len(one['problems'])}")
    expect(len(one["per-file"]) == 400, f"400 per-file lines expected, got {len(one['per-file'])}")
    many = run_stage(args, "count", 3, corpus, status=1)
    for key in one:
        expect(many[key] == one[key], f"count on 3 ranks: {key} differs from 1 rank")
    # Without --per-file only the failed and warned rows reach rank 0: the same lines on stderr.
    listed = run_stage(args, "count", 3, corpus, status=1, per_file=False)
    expect(listed["per-file"] == [], f"no per-file lines expected, got {listed['per-file'][:3]}")
    for key in one:
        if key != "per-file":
            expect(listed[key] == one[key], f"count on 3 ranks without --per-file: {key} differs from 1 rank")
    print(f"ok: count of 400 files, one path {max(len(p) for p in one['files/path'])} bytes long "
          f"(variable-length) and 16 damaged, equal on 1 and 3 ranks")


def main():
    parse_args({"ranks": mode_ranks, "spread": mode_spread},
               lambda p: (p.add_argument("--text", required=True), p.add_argument("--max-ranks", type=int, default=8)))


if __name__ == "__main__":
    main()
