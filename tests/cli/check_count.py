#!/usr/bin/env python3
"""Checks `juggle count` from the outside, as a user would.

Modes:
  zcat    per-file lines equal `zcat FILE | wc -l`, totals and CRC equal the
          concatenated zcat output, and the results file (read with h5py)
          holds the same numbers as stdout;
  errors  bad inputs fail alone, each named once on stderr, exit status 1,
          the good files still counted and every status recorded;
  usage   usage errors exit 2; an existing --output is refused (exit 3)
          before any work and left untouched;
  bgzf    a BGZF file (written here, as bgzip would) cut into ranges of
          whole members (--split always) counts exactly as zcat | wc -l and
          as the same file uncut, at any ranks x threads, with more than one
          piece in the results file; damaged copies get the uncut verdict;
  member  single gzip members of every kind (gzip -1/-6/-9 and stored-only
          via zlib, fixed-Huffman-only, igzip -0..-3, pigz, pigz -i, bgzip,
          random and highly repetitive data, empty and multi-member files,
          trailing garbage) cut into deflate chunks (--split always) of
          16 KiB, 100 KiB and more than the file: per-file lines, totals,
          CRC and verdicts equal the uncut count; damaged copies (changed
          bytes, cut, appended bytes, a wrong CRC) too;
  books   real text: the Project Gutenberg books in --books (when present;
          exit 77, ctest's skip, when not) gzipped at several levels and as
          one multi-member file, counted like zcat | wc -l.
Every subprocess has a timeout, so a hung job fails the test instead of CI.
"""
import contextlib
import glob
import gzip
import io
import json
import os
import time
import re
import shutil
import subprocess
import sys
import zlib

import h5py
import numpy as np

from harness import TIMEOUT, expect, fail, parse_args, run_juggle, strict_json
from member_kinds import member_folders


def launch(args, ranks, juggle_args):
    return run_juggle(args.juggle, juggle_args, ranks, args.mpiexec)


def zcat_lines(path):
    out = subprocess.run(f"zcat -- '{path}' | wc -l", shell=True, capture_output=True, text=True,
                         timeout=TIMEOUT, check=True)
    return int(out.stdout.strip())


def check_line(stdout):
    match = re.search(r"^check: lines=(\d+) bytes_out=(\d+) crc32=([0-9a-f]{8}) failed=(\d+)$", stdout, re.M)
    expect(match is not None, "no check line in stdout")
    return int(match[1]), int(match[2]), int(match[3], 16), int(match[4])


def results_path(stdout):
    match = re.search(r"^results: (.+)$", stdout, re.M)
    expect(match is not None, "no results line in stdout")
    return match[1]


def per_file(stdout):
    """(lines, path) per --per-file line; a failed file's lines are "FAILED (reason)"."""
    return [(int(m[1]) if m[1].isdigit() else m[1], m[2])
            for m in re.finditer(r"^(\d+|FAILED \([^)]*\)) (.+)$", stdout, re.M)]


def mode_zcat(args):
    files = sorted(glob.glob(os.path.join(args.corpus, "*.gz")))
    expect(len(files) > 0, "empty corpus")
    output = os.path.join(args.work, "count.h5")
    run = launch(args, args.ranks, ["count", "--per-file", "--threads", str(args.threads), "--inflate",
                                    args.inflate, "--output", output, args.corpus])
    expect(run.returncode == 0, f"exit status {run.returncode}")
    expect(run.stderr == "" or args.ranks > 0, "unexpected stderr")

    listed = per_file(run.stdout)
    expect([p for _, p in listed] == files, "per-file paths are not the corpus in sorted order")
    reference = {f: zcat_lines(f) for f in files}
    for lines, path in listed:
        expect(lines == reference[path], f"{path}: juggle says {lines}, zcat | wc -l says {reference[path]}")

    data = b"".join(gzip.open(f).read() for f in files)
    lines, bytes_out, crc, failed = check_line(run.stdout)
    expect(lines == sum(reference.values()) == data.count(b"\n"), "total lines differ from zcat")
    expect(bytes_out == len(data), "total bytes differ from zcat")
    expect(crc == zlib.crc32(data), "corpus CRC-32 differs from zcat's output")
    expect(failed == 0, "failures reported")
    expect(results_path(run.stdout) == output, "results path")

    ranks = max(args.ranks, 1)
    with h5py.File(output, "r") as h5:
        a = h5.attrs
        expect(a["schema"] == "juggle-results" and a["schema_version"] == 5, "schema attributes")
        expect(a["mpi_ranks"] == ranks and a["omp_threads"] == args.threads, "layout attributes")
        expect(a["subcommand"] == "count", "subcommand attribute")
        expect(a["inflate_backend"] in ("isal", "zlib"), "inflate_backend attribute")
        if args.inflate != "auto":
            expect(a["inflate_backend"] == args.inflate, "inflate_backend is not the one asked for")
        for key in ("tool_version", "git_sha", "created_utc", "command_line", "hostname", "mpi_library",
                    "slurm_job_id"):
            expect(key in a, f"root attribute {key} missing")
        f = h5["count/files"]
        paths = list(f["path"].asstr()[:])
        expect(paths == files, "count/files/path differs from stdout")
        expect(list(f["lines"][:]) == [n for n, _ in listed], "count/files/lines differ from stdout")
        expect(set(f["status"].asstr()[:]) == {"ok"}, "statuses")
        expect(set(f["rank"][:]) <= set(range(ranks)), "rank column out of range")
        expect(set(f["thread"][:]) <= set(range(args.threads)), "thread column out of range")
        expect(int(f["bytes_out"][:].sum()) == len(data), "bytes_out column")
        t = h5["count/total"].attrs
        expect(t["lines"] == lines and t["bytes_out"] == bytes_out and t["crc32"] == crc, "count/total")
        stages = list(h5["stages"].asstr()[:])
        ev = h5["events"]
        names = [stages[s] for s in ev["stage"][:]]
        expect(names.count("count_file") == len(files), "one count_file event per file")
        expect(names.count("count") == ranks, "one count event per rank")
        expect(np.all(ev["t_end"][:] >= ev["t_start"][:]), "events end before they start")
        # Every rank writes its own events (nothing gathers them): one run of rows per rank, in rank order.
        expect(np.all(np.diff(ev["rank"][:]) >= 0) and set(ev["rank"][:]) == set(range(ranks)),
               "events are not one run of rows per rank in rank order")
        expect(sorted(h5["ranks/rank"][:]) == list(range(ranks)), "ranks table")
        # Without a launcher juggle runs alone, without initialising MPI.
        alone = "(not initialised: one process)" in a["mpi_library"]
        expect(alone == (args.ranks == 0 and os.environ.get("JUGGLE_MPI") != "init"),
               f"MPI initialised only under a launcher or JUGGLE_MPI=init: {a['mpi_library']}")
    print(f"ok: {len(files)} files, {lines} lines, ranks={ranks} threads={args.threads}")


def mode_errors(args):
    d = os.path.join(args.work, "inputs")
    os.makedirs(d)
    good = sorted(glob.glob(os.path.join(args.corpus, "*.gz")))[:4]
    for f in good:
        shutil.copy(f, d)
    blob = open(good[0], "rb").read()
    with open(os.path.join(d, "bad-crc.gz"), "wb") as out:
        out.write(blob[:-8] + bytes([blob[-8] ^ 0xFF]) + blob[-7:])
    with open(os.path.join(d, "bad-truncated.gz"), "wb") as out:
        out.write(blob[: len(blob) // 2])
    with open(os.path.join(d, "bad-text.gz"), "wb") as out:
        out.write(b"plain text, not gzip\n")
    with open(os.path.join(d, "warn-trailing.gz"), "wb") as out:
        out.write(gzip.compress(b"one\ntwo\n") + b"garbage")
    with open(os.path.join(d, "bad-one-byte-after.gz"), "wb") as out:
        out.write(gzip.compress(b"one\ntwo\n") + b"\n")  # gzip: the start of a magic number, cut short
    open(os.path.join(d, "bad-empty.gz"), "wb").close()
    missing = os.path.join(args.work, "missing.gz")
    output = os.path.join(args.work, "errors.h5")
    run = launch(args, args.ranks, ["count", "--per-file", "--output", output, missing, d])
    expect(run.returncode == 1, f"exit status {run.returncode}, expected 1")
    expected_err = [
        f"juggle: {missing}: No such file or directory",
        f"juggle: {d}/bad-crc.gz: invalid compressed data--crc error",
        f"juggle: {d}/bad-empty.gz: unexpected end of file",
        f"juggle: {d}/bad-one-byte-after.gz: unexpected end of file",
        f"juggle: {d}/bad-text.gz: not in gzip format",
        f"juggle: {d}/bad-truncated.gz: unexpected end of file",
        f"juggle: {d}/warn-trailing.gz: warning: decompression OK, trailing garbage ignored",
    ]
    got_err = [line for line in run.stderr.splitlines() if line.startswith("juggle:")]
    expect(got_err == expected_err, f"stderr lines:\n{got_err}\nexpected:\n{expected_err}")
    # --per-file marks each failed file with its reason where a count would be; the others have counts.
    listed = {path: n for n, path in per_file(run.stdout)}
    failures = dict(line[len("juggle: "):].rsplit(": ", 1) for line in expected_err if ": warning: " not in line)
    expect(len(listed) == len(good) + 7, f"--per-file lines: {listed}")
    for path, n in listed.items():
        want = f"FAILED ({failures[path]})" if path in failures else None
        expect(n == want if want else isinstance(n, int), f"--per-file {path}: {n!r}, expected {want or 'a count'}")
    # Each file's verdict is gzip's own: gzip -t exits 0 (ok), 2 (warning)
    # or 1 (error) exactly where juggle says nothing, a warning, or an error.
    for path in sorted(glob.glob(os.path.join(d, "*.gz"))):
        said = [line for line in got_err if line.startswith(f"juggle: {path}: ")]
        verdict = 0 if not said else 2 if ": warning: " in said[0] else 1
        gzip_t = subprocess.run(["gzip", "-t", path], capture_output=True, timeout=TIMEOUT).returncode
        expect(verdict == gzip_t, f"{path}: juggle's verdict {verdict}, gzip -t exits {gzip_t}")
    lines, _, _, failed = check_line(run.stdout)
    expect(failed == 6, f"failed={failed}, expected 6")
    expect(lines == sum(zcat_lines(f) for f in good) + 2, "good files not all counted")
    with h5py.File(output, "r") as h5:
        f = h5["count/files"]
        status = dict(zip(f["path"].asstr()[:], f["status"].asstr()[:]))
        expect(status[missing] == "read_error", "missing file status")
        expect(status[f"{d}/bad-crc.gz"] == "crc_mismatch", "crc status")
        expect(status[f"{d}/bad-truncated.gz"] == "truncated", "truncated status")
        expect(status[f"{d}/bad-text.gz"] == "not_gzip", "not-gzip status")
        expect(status[f"{d}/warn-trailing.gz"] == "ok", "trailing garbage is a warning")
        errors = dict(zip(f["path"].asstr()[:], f["error"].asstr()[:]))
        expect(errors[f"{d}/bad-crc.gz"] == "invalid compressed data--crc error", "error text recorded")
        expect(h5["count/total"].attrs["failed"] == 6, "failed total")
    print("ok: bad inputs reported and recorded, good ones counted")


def mode_usage(args):
    bound = launch(args, 0, ["count", "--threads", "64", "--no-output", args.corpus])
    expect(bound.returncode == 0 and "juggle: warning: 64 threads per rank, but a rank may use only" in bound.stderr,
           "more threads than CPUs is warned about")
    run = launch(args, 0, ["count", "--no-such-flag", args.corpus])
    expect(run.returncode == 2, f"unknown flag: exit {run.returncode}, expected 2")
    run = launch(args, 0, ["count"])
    expect(run.returncode == 2, f"no paths: exit {run.returncode}, expected 2")
    run = launch(args, 0, ["count", "--threads", "-3", args.corpus])
    expect(run.returncode == 2, f"negative threads: exit {run.returncode}, expected 2")
    run = launch(args, 0, ["count", "--help"])
    expect(run.returncode == 0 and "Exit status" in run.stdout, "count --help")
    existing = os.path.join(args.work, "existing.h5")
    with open(existing, "w") as out:
        out.write("keep me")
    run = launch(args, 0, ["count", "--output", existing, args.corpus])
    expect(run.returncode == 3, f"existing output: exit {run.returncode}, expected 3")
    expect(open(existing).read() == "keep me", "existing output was modified")
    expect(run.stderr.strip() == f"juggle: {existing}: already exists (use --force to replace it)",
           "existing output message")
    expect(run.stdout == "", "work started although the output was refused")
    run = launch(args, 0, ["count", "--force", "--output", existing, args.corpus])
    expect(run.returncode == 0, "--force")
    with h5py.File(existing, "r") as h5:
        expect(h5.attrs["schema"] == "juggle-results", "forced output is a results file")
    leftovers = [n for n in os.listdir(args.work) if ".partial-" in n]
    expect(leftovers == [], f"temporary files left behind: {leftovers}")
    print("ok: usage and output errors")


def mode_books(args):
    books = sorted(glob.glob(os.path.join(args.books or "", "*.txt")))
    if not books:
        print(f"skip: no books in {args.books}")
        sys.exit(77)
    d = os.path.join(args.work, "books")
    os.makedirs(d)
    everything = b""
    for book in books:
        text = open(book, "rb").read()
        everything += text
        name = os.path.basename(book)
        for level in (1, 9):
            with open(os.path.join(d, f"{name}.{level}.gz"), "wb") as out:
                out.write(gzip.compress(text, compresslevel=level, mtime=0))
    with open(os.path.join(d, "all-books-multi-member.gz"), "wb") as out:
        for book in books:
            out.write(gzip.compress(open(book, "rb").read(), mtime=0))
    files = sorted(glob.glob(os.path.join(d, "*.gz")))
    run = launch(args, args.ranks, ["count", "--per-file", "--no-output", "--threads", str(args.threads), d])
    expect(run.returncode == 0, f"exit status {run.returncode}")
    listed = per_file(run.stdout)
    expect([p for _, p in listed] == files, "per-file paths")
    for lines, path in listed:
        expect(lines == zcat_lines(path), f"{path}: differs from zcat | wc -l")
    expect(dict((p, n) for n, p in listed)[os.path.join(d, "all-books-multi-member.gz")] == everything.count(b"\n"),
           "multi-member file of all books")
    print(f"ok: {len(books)} books, {len(files)} gzip files")


# Keys of report's JSON whose values are text; every other value is a number or null.
REPORT_TEXT_KEYS = {"file", "subcommand", "created_utc", "stage", "name", "a", "b", "mode", "case", "contender",
                    "config", "note", "target"}
JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def typed_json(text):
    """report's JSON parsed strictly (no NaN or Infinity), every value of a
    text key a string that does not read as a number, every other value a
    number or null."""
    doc = strict_json(text, "report")

    def walk(value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            expect(key in REPORT_TEXT_KEYS and not JSON_NUMBER.fullmatch(value), f"{key}: {value!r} is a string")
        else:
            expect(key not in REPORT_TEXT_KEYS and (value is None or type(value) in (int, float)),
                   f"{key}: {value!r} is not a number")
    walk(doc, None)
    return doc


def mode_report(args):
    d = os.path.join(args.work, "results")
    os.makedirs(d)
    output = os.path.join(d, "count.h5")
    run = launch(args, args.ranks, ["count", "--threads", str(args.threads), "--output", output, args.corpus])
    expect(run.returncode == 0, "count")
    files = len(glob.glob(os.path.join(args.corpus, "*.gz")))
    with open(os.path.join(d, "garbage.h5"), "wb") as out:
        out.write(os.urandom(5000))
    report = launch(args, 0, ["report", "--format", "json", d])
    expect(report.returncode == 1, f"report with a garbage file: exit {report.returncode}, expected 1")
    expect(f"juggle: {d}/garbage.h5: not an HDF5 file" in report.stderr, "garbage file named on stderr")
    runs = typed_json(report.stdout)
    expect(len(runs) == 1 and runs[0]["file"] == output, "the good file is still reported")
    expect(runs[0]["mpi_ranks"] == max(args.ranks, 1) and runs[0]["omp_threads"] == args.threads,
           f"layout in the JSON: {runs[0]['mpi_ranks']!r} x {runs[0]['omp_threads']!r}")
    study = launch(args, 0, ["report", "--study", "--format", "json", output])
    expect(study.returncode == 0, "report --study")
    rows = typed_json(study.stdout)
    expect(rows and all(r["ranks"] == max(args.ranks, 1) and r["runs"] == 1 for r in rows), "study rows")
    stages = {s["stage"]: s for s in runs[0]["stages"]}
    expect(stages["count_file"]["events"] == files, "count_file events")
    expect(stages["count"]["events"] == max(args.ranks, 1), "count events per rank")
    expect(0 <= stages["count"]["efficiency_pct"] <= 100, "efficiency in range")
    csv_out = launch(args, 0, ["report", "--format", "csv", output])
    expect(csv_out.returncode == 0 and len(csv_out.stdout.splitlines()) == 1 + len(stages), "csv rows")
    table = launch(args, 0, ["report", output])
    expect(table.returncode == 0 and "count_file" in table.stdout, "table")

    plots = os.path.join(args.work, "plots")
    plotted = launch(args, 0, ["report", "--format", "json", "--plot", plots, output])
    expect(plotted.returncode == 0, "report --plot")
    json.loads(plotted.stdout)  # the PNG list went to stderr, not into the JSON
    for name in ("timeline-count.png", "ranks-count.png"):
        with open(os.path.join(plots, name), "rb") as png:
            head = png.read(24)
        expect(head[:8] == b"\x89PNG\r\n\x1a\n", f"{name} is a PNG")
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        expect((width, height) == (1000, 600), f"{name} is {width}x{height}, expected 1000x600")
        expect(os.path.getsize(os.path.join(plots, name)) > 5000, f"{name} is not empty")

    # The snippet of docs/results-format.md, run as a pandas user runs it.
    docs = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "results-format.md")
    with open(docs, encoding="utf-8") as f:
        snippet = f.read().split("## Reading it", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    snippet = re.sub(r'h5py\.File\("[^"]*"', lambda m: f"h5py.File({output!r}", snippet)
    scope = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(snippet, scope)
    files, events = scope["files"], scope["events"]
    expect(len(files) == files_count_check(args) and (events["stage"] == "count_file").sum() == len(files)
           and (events["step"] == "count").all(), "pandas reading of the documented snippet")

    # Files libhdf5 itself cannot survive (tests/report/damaged/README.md):
    # read in a child process, the crash is one line naming the file, the
    # memory hog is held to the address-space limit, the rest is reported.
    damaged = os.path.join(args.work, "damaged")
    fixtures = os.path.join(os.path.dirname(__file__), "..", "report", "damaged")
    shutil.copytree(d, damaged)
    for name in ("libhdf5-segv.h5", "libhdf5-hog.h5", "libhdf5-loop.h5"):
        shutil.copy(os.path.join(fixtures, name), damaged)
    shutil.copy(output, os.path.join(damaged, "z-after-the-crash.h5"))  # read by the reader started after it
    report = launch(args, 0, ["report", "--format", "json", "--read-timeout", "20", damaged])
    expect(report.returncode == 1, f"report with damaged files: exit {report.returncode}, expected 1")
    lines = report.stderr.splitlines()
    expect(any(l.startswith(f"juggle: {damaged}/libhdf5-segv.h5: damaged: ") for l in lines),
           f"the file that crashes libhdf5 is refused in one line: {report.stderr!r}")
    expect(f"juggle: {damaged}/libhdf5-loop.h5: damaged: reading it did not finish within 20 s (--read-timeout)"
           in lines, f"the endless read is stopped: {report.stderr!r}")
    expect(not any("libhdf5-hog.h5" in l and ("did not finish" in l or "SIGKILL" in l) for l in lines),
           f"the memory hog is held to the limit: {report.stderr!r}")
    expect(all(l.startswith(f"juggle: {damaged}/") for l in lines), f"one line per refused file: {lines}")
    runs = json.loads(report.stdout)
    expect({f"{damaged}/count.h5", f"{damaged}/z-after-the-crash.h5"} <= {r["file"] for r in runs},
           f"the good files are still reported: {[r['file'] for r in runs]}")

    # Nothing to report is said, not shown as an empty success.
    empty = os.path.join(args.work, "empty")
    os.makedirs(empty)
    nothing = launch(args, 0, ["report", "--format", "json", empty])
    expect(nothing.returncode == 1 and nothing.stderr == f"juggle: no results files (*.h5) in {empty}\n"
           and json.loads(nothing.stdout) == [], f"report of an empty folder: {nothing!r}")
    print("ok: report formats, plots, pandas, a garbage file, files that crash, hang or hog libhdf5")


def files_count_check(args):
    return len(glob.glob(os.path.join(args.corpus, "*.gz")))


def mode_strict(args):
    """--strict: the rank that meets a bad file stops the whole job within
    seconds, naming rank (0 when juggle runs alone, without a launcher),
    host, file and reason; no rank hangs in a collective, no results file.
    Run with every rank count given (0: no mpiexec)."""
    d = os.path.join(args.work, "inputs")
    os.makedirs(d)
    good = sorted(glob.glob(os.path.join(args.corpus, "*.gz")))
    for f in good:
        shutil.copy(f, d)
    blob = open(good[0], "rb").read()
    with open(os.path.join(d, "bad-truncated.gz"), "wb") as out:
        out.write(blob[: len(blob) // 2])
    for sub in ("count", "tokenize"):
        output = os.path.join(args.work, f"strict-{sub}.h5")
        started = time.monotonic()
        run = launch(args, args.ranks, [sub, "--strict", "--output", output, d])
        took = time.monotonic() - started
        expect(run.returncode == 4, f"{sub}: exit status {run.returncode}, expected 4")
        expect(took < 30, f"{sub}: the job took {took:.1f} s to stop")
        reason = re.search(r"^juggle: rank (\d+) on (\S+): \S+:\d+: (.*)$", run.stderr, re.M)
        expect(reason is not None, f"{sub}: no 'juggle: rank R on HOST: FILE:LINE: reason' line in:\n{run.stderr}")
        expect(reason.group(3) == f"{d}/bad-truncated.gz: unexpected end of file (--strict)",
               f"{sub}: reason: {reason.group(3)}")
        expect(not glob.glob(os.path.join(args.work, f"*strict-{sub}*")), f"{sub}: a results file was written")
        # Not strict: the same inputs are processed, the bad file reported (exit 1).
        run = launch(args, args.ranks, [sub, "--no-output", d])
        expect(run.returncode == 1, f"{sub} without --strict: exit {run.returncode}, expected 1")
        print(f"ok: {sub} --strict stopped {args.ranks} ranks in {took:.2f} s "
              f"(rank {reason.group(1)} on {reason.group(2)})")


def mode_rank_fault(args):
    """The last rank fails at the start of a stage (JUGGLE_INJECT_FAULT: out
    of memory, or an exception) while the others go on to a collective: the
    job stops within seconds with one line naming the rank, host and reason,
    exit 4, no results file."""
    rank = args.ranks - 1
    for sub in ("count", "tokenize"):
        for kind, reason in (("bad_alloc", "out of memory (std::bad_alloc)"),
                             ("exception", f"fault injected by JUGGLE_INJECT_FAULT={rank}:{sub}:exception")):
            os.environ["JUGGLE_INJECT_FAULT"] = f"{rank}:{sub}:{kind}"
            output = os.path.join(args.work, f"{sub}-{kind}.h5")
            started = time.monotonic()
            run = launch(args, args.ranks, [sub, "--output", output, args.corpus])
            took = time.monotonic() - started
            del os.environ["JUGGLE_INJECT_FAULT"]
            expect(run.returncode == 4, f"{sub} {kind}: exit {run.returncode}, expected 4")
            expect(took < 30, f"{sub} {kind}: {took:.1f} s to stop")
            line = re.search(rf"^juggle: rank {rank} on \S+: \S+:\d+: (.*)$", run.stderr, re.M)
            expect(line is not None and line.group(1) == reason, f"{sub} {kind}: stderr:\n{run.stderr}")
            expect(not glob.glob(os.path.join(args.work, f"*{sub}-{kind}*")), f"{sub} {kind}: results written")
            print(f"ok: {sub}: rank {rank} of {args.ranks} failing ({kind}) stopped the job in {took:.2f} s")
    # While the ranks write their vocabulary rows into the results file
    # together, the last rank or rank 0 (which holds the temporary): no file
    # under the final name, nor its temporary, exit 4.
    for failing in sorted({rank, 0}):
        os.environ["JUGGLE_INJECT_FAULT"] = f"{failing}:results:exception"
        output = os.path.join(args.work, f"vocabulary-write-{failing}.h5")
        run = launch(args, args.ranks, ["tokenize", "--output", output, args.corpus])
        del os.environ["JUGGLE_INJECT_FAULT"]
        expect(run.returncode == 4, f"results write, rank {failing}: exit {run.returncode}, expected 4")
        expect(f"fault injected by JUGGLE_INJECT_FAULT={failing}:results:exception" in run.stderr,
               f"results write, rank {failing}: stderr:\n{run.stderr}")
        left = [n for n in os.listdir(args.work) if f"vocabulary-write-{failing}" in n]
        expect(left == [], f"results write, rank {failing}: left {left}")
        print(f"ok: rank {failing} of {args.ranks} failing while the results file is written: exit 4, no file")


def mode_unshared(args):
    """Ranks that do not share the output's directory (here: started in two
    directories, with a relative output name; on a cluster, node-local /tmp)
    cannot write one file together: every output (the results file, the
    CSV) is one error line naming it, exit 3, within seconds, and nothing is
    left in either directory."""
    dirs = [os.path.join(args.work, d) for d in ("a", "b")]
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    corpus = os.path.abspath(args.corpus)
    cases = (("count", ["count", "--output", "out.h5", corpus], "out.h5"),
             ("tokenize", ["tokenize", "--output", "out.h5", corpus], "out.h5"),
             ("tokenize --csv", ["tokenize", "--no-output", "--csv", "words.csv", corpus], "words.csv"))
    for what, juggle_args, name in cases:
        cmd = [args.mpiexec, "--oversubscribe"]
        for i, d in enumerate(dirs):
            cmd += ([":"] if i else []) + ["-n", "1", "--wdir", d, args.juggle] + juggle_args
        started = time.monotonic()
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        took = time.monotonic() - started
        errors = [l for l in run.stderr.splitlines() if l.startswith("juggle: ")]
        expect(run.returncode == 3, f"{what}: exit {run.returncode}, expected 3; stderr:\n{run.stderr}")
        expect(len(errors) == 1 and name in errors[0] and "rank 1 does not see" in errors[0],
               f"{what}: error lines {errors}")
        for d in dirs:
            expect(os.listdir(d) == [], f"{what}: left in {d}: {os.listdir(d)}")
        print(f"ok: {what} on ranks in two directories: one error line, exit 3, in {took:.1f} s")


def bgzf_bytes(text, block=20000):
    """`text` as bgzip writes it: members of `block` bytes, each with the BC
    extra subfield (member size - 1), then the empty end-of-file member."""
    out = bytearray()
    for at in list(range(0, len(text), block)) + [len(text)]:
        part = text[at:at + block]
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = c.compress(part) + c.flush()
        size = 18 + len(body) + 8
        out += bytes([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 6, 0]) + b"BC" + (2).to_bytes(2, "little")
        out += (size - 1).to_bytes(2, "little") + body
        out += zlib.crc32(part).to_bytes(4, "little") + len(part).to_bytes(4, "little")
    return bytes(out)


def mode_bgzf(args):
    os.makedirs(args.work, exist_ok=True)
    lines = [f"{i} {'abcdefghij' * (i % 17)}".encode() for i in range(40000)]
    text = b"\n".join(lines) + b"\nunterminated"
    path = os.path.join(args.work, "reads.bgz")
    with open(path, "wb") as f:
        f.write(bgzf_bytes(text))
    split = ["--split", "always", "--split-bytes", "16KiB"]

    def count(target, extra, output=None):
        out = ["--output", output, "--force"] if output else ["--no-output"]
        return launch(args, args.ranks, ["count", "--per-file", "--threads", str(args.threads)] + extra + out +
                      [target])
    output = os.path.join(args.work, "split.h5")
    run = count(path, split, output)
    expect(run.returncode == 0, f"exit status {run.returncode}: {run.stderr}")
    n, bytes_out, crc, failed = check_line(run.stdout)
    expect(n == text.count(b"\n") and bytes_out == len(text) and crc == zlib.crc32(text) and failed == 0,
           f"check line {n} {bytes_out} {crc:08x} {failed}")
    with h5py.File(output, "r") as h5:
        f = h5["count/files"]
        pieces = int(f["pieces"][0])
        expect(pieces > 2, f"pieces {pieces}: the file was not cut")
        expect(int(f["members"][0]) == len(range(0, len(text), 20000)) + 1, "members")
        expect(int(f["unterminated"][0]) == 1, "unterminated")
        stages = list(h5["stages"].asstr()[:])
        names = [stages[s] for s in h5["events/stage"][:]]
        expect(names.count("count_file") == pieces, "one count_file event per range")
    whole = count(path, ["--split", "never"])
    expect(check_line(whole.stdout) == check_line(run.stdout), "cut and uncut counts differ")

    # Damaged copies: the cut gives the verdict and partial count of the uncut file.
    data = open(path, "rb").read()
    for name, damaged in (("changed", data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0x55]) +
                           data[len(data) // 2 + 1:]),
                          ("cut", data[:len(data) * 2 // 3]),
                          ("padded", data[:len(data) // 3] + bytes(64) + data[len(data) // 3:])):
        bad = os.path.join(args.work, f"{name}.bgz")
        with open(bad, "wb") as f:
            f.write(damaged)
        cut, uncut = count(bad, split), count(bad, ["--split", "never"])
        expect(cut.returncode == uncut.returncode, f"{name}: exit {cut.returncode} vs {uncut.returncode}")
        expect(per_file(cut.stdout) == per_file(uncut.stdout), f"{name}: per-file lines differ")
        expect(check_line(cut.stdout) == check_line(uncut.stdout), f"{name}: check lines differ")
        expect(cut.stderr.splitlines()[-1:] == uncut.stderr.splitlines()[-1:] or args.ranks > 0,
               f"{name}: verdicts differ: {cut.stderr!r} vs {uncut.stderr!r}")
    print(f"ok: {pieces} pieces, {n} lines, ranks={max(args.ranks, 1)} threads={args.threads}")


def gunzip_members(data):
    """Every gzip member's bytes, up to whatever follows the last (as gzip -d)."""
    out = b""
    while data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(31)
        out += d.decompress(data) + d.flush()
        data = d.unused_data
    return out


def mode_member(args):
    kinds_dir, damaged_dir, files = member_folders(args.work, seed=5)

    def count(target, extra, output=None):
        out = ["--output", output, "--force"] if output else ["--no-output"]
        return launch(args, args.ranks, ["count", "--per-file", "--threads", str(args.threads)] + extra + out +
                      [target])

    def verdicts(run):  # juggle's own lines (mpiexec adds its process names), any order
        return sorted(line for line in run.stderr.splitlines() if line.startswith("juggle:"))

    def same(folder, label, split_bytes, uncut, output=None):
        cut = count(folder, ["--split", "always", "--split-bytes", split_bytes], output)
        expect(cut.returncode == uncut.returncode, f"{label}: exit {cut.returncode} vs {uncut.returncode}")
        expect(per_file(cut.stdout) == per_file(uncut.stdout), f"{label}: per-file lines differ")
        expect(check_line(cut.stdout) == check_line(uncut.stdout), f"{label}: check lines differ")
        expect(verdicts(cut) == verdicts(uncut), f"{label}: verdicts differ: {cut.stderr!r} vs {uncut.stderr!r}")

    # Every kind, one job per cut: each file as zcat decodes it, cut or not.
    uncut = count(kinds_dir, ["--split", "never"])
    expect(uncut.returncode == 0, f"uncut: exit {uncut.returncode}: {uncut.stderr}")
    lines = {os.path.basename(path): n for n, path in per_file(uncut.stdout)}
    for name, path in files:
        data = gunzip_members(open(path, "rb").read())
        expect(lines.get(os.path.basename(path)) == data.count(b"\n"), f"{name}: uncut is not zcat")
    output = os.path.join(args.work, "split.h5")
    same(kinds_dir, "16 KiB chunks", "16KiB", uncut, output)
    with h5py.File(output, "r") as h5:
        f = h5["count/files"]
        how = {os.path.basename(p)[:-3]: (s, int(n)) for p, s, n in
               zip(f["path"].asstr()[:], f["split"].asstr()[:], f["pieces"][:])}
    expect(sorted(how) == sorted(name for name, _ in files), f"files in the results: {sorted(how)}")
    not_cut = sorted(name for name, (_, pieces) in how.items() if pieces <= 2)
    expect(not_cut == ["empty"], f"not cut: {not_cut}")
    for name, (split, pieces) in how.items():
        if pieces > 2:
            expect(split == ("members" if name == "bgzip" else "deflate"), f"{name}: split {split}")
    same(kinds_dir, "chunks larger than the files", "64MiB", uncut)

    # Damaged single members: the cut gives the uncut verdicts and partial counts.
    uncut = count(damaged_dir, ["--split", "never"])
    expect(uncut.returncode == 1, f"damaged uncut: exit {uncut.returncode}")
    same(damaged_dir, "damaged members in 16 KiB chunks", "16KiB", uncut)
    print(f"ok: {len(files)} stream kinds, ranks={max(args.ranks, 1)} threads={args.threads}")


def main():
    parse_args({"zcat": mode_zcat, "errors": mode_errors, "bgzf": mode_bgzf, "member": mode_member, "usage": mode_usage, "books": mode_books,
                "report": mode_report, "strict": mode_strict, "rank-fault": mode_rank_fault, "unshared": mode_unshared},
               lambda p: (p.add_argument("--inflate", default="auto"),
                          p.add_argument("--books", default="", help="folder of .txt books (mode books)")))


if __name__ == "__main__":
    main()
