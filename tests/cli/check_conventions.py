#!/usr/bin/env python3
"""Checks the command-line conventions of count and tokenize from the outside.

Modes:
  files-from  100,000 names in a --files-from list (longer than a command
              line can hold: the test says by how much), newline- and
              NUL-separated (--null, with names holding newlines and
              spaces), and the list on standard input (--files-from -):
              totals equal the same files given as arguments. The list names
              2,000 distinct tiny gzip files 50 times each (a name given
              twice is counted twice, as an argument would be), so the test
              exercises the list and the walk of 100,000 roots without
              writing 100,000 files;
  stdin       `-` reads standard input as one stream: count of a
              multi-member file and tokenize of gzip and of plain text, from
              a pipe, equal the same file given by name (per-file line, check
              line); under mpiexec rank 0 reads it, and a --files-from - list;
  summary     --summary json prints one JSON object and nothing else on
              stdout (strictly parsed, the whole stdout), its numbers typed as
              numbers and equal to the check: line of the same run in text,
              and names the results file that was written;
  quiet       -q prints nothing on success (empty stdout and stderr) for
              count, tokenize and gen, warnings included, and still prints a failed input's
              error (exit 1) and a usage error (exit 2);
  progress    under a pseudo-terminal the progress line is drawn (\\r,
              "count: ... pieces done") while standard input holds the run
              open, and cleared; never in a pipe, never with -q;
  per-file    tokenize --per-file marks a failed input 'FAILED (REASON) PATH'
              and lists the others' words (count's marker is checked by
              check_count.py errors);
  usage       an unreadable list, stdin named twice: one line naming the
              list or '-', exit 2; a job takes files-from but refuses - and
              summary = "json"; count's help says what it accepts.
Every subprocess and every loop is bounded in time.
"""
import glob
import gzip
import os
import pty
import re
import select
import subprocess
import sys
import time

from harness import TIMEOUT, expect, parse_args, strict_json

LIST_NAMES = 100_000
DISTINCT = 2_000


def juggle_cmd(args, juggle_args, ranks=None):
    ranks = args.ranks if ranks is None else ranks
    cmd = [args.juggle] + list(juggle_args)
    return ([args.mpiexec, "-n", str(ranks), "--oversubscribe"] + cmd) if ranks > 0 else cmd


def run(args, juggle_args, stdin=b"", ranks=None):
    cmd = juggle_cmd(args, juggle_args, ranks)
    print("+ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, input=stdin, capture_output=True, timeout=TIMEOUT)
    result.stdout, result.stderr = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
    sys.stderr.write(result.stderr[-2000:])
    return result


def check_line(stdout, stage):
    match = re.search(rf"^check: (.*)$", stdout, re.M)
    expect(match is not None, f"{stage}: no check line in stdout:\n{stdout}")
    return dict(field.split("=") for field in match[1].split())


def count_ok(args, juggle_args, stdin=b"", ranks=None):
    r = run(args, ["count", "--no-output"] + juggle_args, stdin, ranks)
    expect(r.returncode == 0, f"count {juggle_args[:4]}: exit {r.returncode}: {r.stderr[-500:]}")
    return r


def tiny_gzip_files(folder, n):
    """n distinct gzip files of 1-3 lines; returns their paths and total lines."""
    os.makedirs(folder, exist_ok=True)
    paths, lines = [], 0
    for i in range(n):
        k = 1 + i % 3
        path = os.path.join(folder, f"file {i:05d} with spaces.gz")
        with open(path, "wb") as f:
            f.write(gzip.compress(b"".join(b"line %d of %d\n" % (j, i) for j in range(k)), mtime=0))
        paths.append(path)
        lines += k
    return paths, lines


def mode_files_from(args):
    folder = os.path.join(args.work, "a folder whose long name makes the list longer than a command line")
    paths, lines = tiny_gzip_files(folder, DISTINCT)
    names = [paths[i % DISTINCT] for i in range(LIST_NAMES)]
    expected_lines = lines * (LIST_NAMES // DISTINCT)
    by_lines = os.path.join(args.work, "names.txt")
    with open(by_lines, "w") as f:
        f.write("".join(n + "\n" for n in names))
    arg_max = os.sysconf("SC_ARG_MAX")
    size = os.path.getsize(by_lines)
    expect(size > arg_max, f"the list ({size} bytes) would fit a command line ({arg_max})")
    print(f"list: {LIST_NAMES} names, {size} bytes; a command line holds {arg_max}")

    def totals(r):
        c = check_line(r.stdout, "count")
        return int(c["lines"]), int(c["failed"])

    r = count_ok(args, ["--files-from", by_lines])
    expect(totals(r) == (expected_lines, 0), f"--files-from: {totals(r)}, expected ({expected_lines}, 0)")
    expect(f"count: {LIST_NAMES:,} files" in r.stdout, "--files-from: not every listed name counted")
    # The list from standard input, after arguments of its own.
    r = count_ok(args, ["--files-from", "-", paths[0]], stdin=open(by_lines, "rb").read())
    expect(totals(r) == (expected_lines + 1, 0), f"--files-from -: {totals(r)}")

    # NUL-separated, with names holding newlines and spaces; the same in tokenize.
    odd = []
    for i, text in enumerate([b"one\ntwo\n", b"three\n", b"four five\nsix\n"]):
        path = os.path.join(args.work, f"odd {i}\nname\n with newline.gz")
        with open(path, "wb") as f:
            f.write(gzip.compress(text, mtime=0))
        odd.append(path)
    by_nul = os.path.join(args.work, "names.nul")
    with open(by_nul, "wb") as f:
        f.write(b"".join(os.fsencode(n) + b"\0" for n in odd + names[:1000]))
    r = count_ok(args, ["--files-from", by_nul, "--null", "--per-file"])
    expect(r.stdout.startswith(f"2 {odd[0]}\n1 {odd[1]}\n2 {odd[2]}\n"), f"--null: per-file lines {r.stdout[:300]!r}")
    expect(totals(r) == (5 + sum(1 + i % 3 for i in range(1000)), 0), f"--null: {totals(r)}")
    # Without --null such a list is refused, not read as one long name.
    r = run(args, ["count", "--no-output", "--files-from", by_nul])
    expect(r.returncode == 2 and "needs --null" in r.stderr, f"a NUL list without --null: exit {r.returncode}")
    r = run(args, ["tokenize", "--no-output", "--files-from", by_nul, "--null", "--top", "3"])
    expect(r.returncode == 0, f"tokenize --null: exit {r.returncode}")
    words = int(check_line(r.stdout, "tokenize")["words"])
    direct = run(args, ["tokenize", "--no-output", "--top", "3"] + odd + names[:1000])
    expect(words == int(check_line(direct.stdout, "tokenize")["words"]), "tokenize --null: not the same words")
    print(f"ok: --files-from with {LIST_NAMES} names, --null with newlines and spaces, - for the list")


def multi_member(args):
    """A file of several gzip members (the corpus's, concatenated) and its zcat line count."""
    corpus = sorted(glob.glob(os.path.join(args.corpus, "*.gz")))[:6]
    expect(len(corpus) >= 3, "the corpus has too few files")
    path = os.path.join(args.work, "members.gz")
    with open(path, "wb") as out:
        for f in corpus:
            out.write(open(f, "rb").read())
    return path


def mode_stdin(args):
    path = multi_member(args)
    data = open(path, "rb").read()
    by_name = count_ok(args, ["--per-file", path])
    piped = count_ok(args, ["--per-file", "-"], stdin=data)
    expect(check_line(piped.stdout, "count") == check_line(by_name.stdout, "count"),
           "count -: check line differs from the file by name")
    lines = re.search(r"^(\d+) " + re.escape(path) + "$", by_name.stdout, re.M)
    expect(lines and re.search(rf"^{lines[1]} -$", piped.stdout, re.M), "count -: per-file line differs")
    zcat = subprocess.run(f"zcat < '{path}' | wc -l", shell=True, capture_output=True, text=True, timeout=TIMEOUT)
    expect(int(check_line(piped.stdout, "count")["lines"]) == int(zcat.stdout), "count -: not zcat | wc -l")
    # Beside named files (the other ranks take those under mpiexec).
    both = count_ok(args, ["-", path, path], stdin=data)
    expect(int(check_line(both.stdout, "count")["lines"]) == 3 * int(zcat.stdout), "count - beside files")
    # A list of names on standard input (rank 0 reads it under mpiexec).
    listed = count_ok(args, ["--files-from", "-"], stdin=(path + "\n" + path + "\n").encode())
    expect(int(check_line(listed.stdout, "count")["lines"]) == 2 * int(zcat.stdout), "count --files-from -")
    # A damaged stream is named as gzip names it, not as "-".
    cut = run(args, ["count", "--no-output", "-"], stdin=data[:len(data) // 2])
    expect(cut.returncode == 1 and "juggle: standard input: unexpected end of file" in cut.stderr,
           f"count - of a cut stream: exit {cut.returncode}, {cut.stderr!r}")

    text = os.path.join(args.work, "text.txt")
    with open(text, "wb") as f:
        f.write(gzip.decompress(data))
    for name in (path, text):
        tok = ["tokenize", "--no-output", "--top", "5"]
        by_name = run(args, tok + [name])
        piped = run(args, tok + ["-"], stdin=open(name, "rb").read())
        expect(by_name.returncode == 0 and piped.returncode == 0, f"tokenize {name}: exit codes")
        expect(check_line(piped.stdout, "tokenize") == check_line(by_name.stdout, "tokenize"),
               f"tokenize - ({os.path.basename(name)}): check line differs from the file by name")
        top = lambda out: out[out.index("top 5 words:"):]
        expect(top(piped.stdout) == top(by_name.stdout), "tokenize -: top words differ")
    print(f"ok: - equals the file by name (count, tokenize gzip and text), ranks={args.ranks}")


def mode_summary(args):
    path = multi_member(args)
    text = run(args, ["count", "--no-output", path])
    output = os.path.join(args.work, "count.h5")
    r = run(args, ["count", "--summary", "json", "--output", output, path, os.path.join(args.work, "missing.gz")])
    expect(r.returncode == 1, f"count --summary json: exit {r.returncode}")
    s = strict_json(r.stdout, "--summary json")  # the whole of stdout: one object, nothing else
    check = check_line(text.stdout, "count")
    expect(s["check"] == {"lines": int(check["lines"]), "bytes_out": int(check["bytes_out"]),
                          "crc32": check["crc32"], "failed": 1}, f"count json check: {s['check']}")
    for key in ("files", "failed", "lines", "bytes_in", "bytes_out", "ranks", "threads", "warnings"):
        expect(type(s[key]) is int, f"count json {key} is {type(s[key]).__name__}, not a number")
    for key in ("wall_seconds", "mb_per_s", "m_lines_per_s"):
        expect(type(s[key]) in (int, float), f"count json {key}: {s[key]!r}")
    expect(s["files"] == 2 and s["failed"] == 1 and s["lines"] == int(check["lines"]), f"count json: {s}")
    expect(s["results"] == output and os.path.exists(output), f"count json results: {s['results']}")
    expect(r.stderr.count("juggle: ") == 1 and "missing.gz" in r.stderr, f"stderr: {r.stderr!r}")

    tok = ["tokenize", "--no-output", "--top", "4"]
    text = run(args, tok + [path])
    r = run(args, tok + ["--summary", "json", path])
    expect(r.returncode == 0, f"tokenize --summary json: exit {r.returncode}")
    s = strict_json(r.stdout, "--summary json")
    check = check_line(text.stdout, "tokenize")
    expect(s["check"] == {"words": int(check["words"]), "distinct": int(check["distinct"]),
                          "bytes": int(check["bytes"]), "vocab_hash": check["vocab_hash"], "failed": 0},
           f"tokenize json check: {s['check']}")
    top = [(int(m[1]), m[2]) for m in re.finditer(r"^(\d+) (\S+)$", text.stdout, re.M)]
    expect([(w["count"], w["word"]) for w in s["top"]] == top, f"tokenize json top: {s['top']} vs {top}")
    expect(s["results"] is None and s["csv"] is None and s["ranks"] == max(args.ranks, 1), f"tokenize json: {s}")
    # -q keeps the object (asked for by name).
    plain = check_line(run(args, ["count", "--no-output", path]).stdout, "count")
    r = run(args, ["count", "--no-output", "-q", "--summary", "json", path])
    expect(strict_json(r.stdout, "-q --summary json")["check"]["lines"] == int(plain["lines"]) and r.stderr == "", "-q --summary json")
    print("ok: --summary json parsed strictly, numbers equal the check lines")


def mode_quiet(args):
    path = multi_member(args)
    for cmd in (["count", "--no-output", path], ["tokenize", "--no-output", path],
                ["count", "--output", os.path.join(args.work, "q.h5"), path],
                ["count", "--threads", "64", "--no-output", path],  # more threads than CPUs: a warning, silenced
                ["gen", "--out", os.path.join(args.work, "gen"), "--files", "2", "--size", "64KiB"]):
        r = run(args, [cmd[0], "-q"] + cmd[1:])
        expect(r.returncode == 0, f"{cmd[0]} -q: exit {r.returncode}")
        expect(r.stdout == "" and r.stderr == "", f"{cmd[0]} -q printed: {r.stdout!r} {r.stderr!r}")
        loud = run(args, cmd if cmd[0] == "gen" or "--threads" in cmd else cmd[:1] + ["--no-output"] + cmd[-1:])
        expect(loud.stdout != "", f"{cmd[0]} without -q prints nothing: the check above proves nothing")
        if "--threads" in cmd:
            expect("juggle: warning:" in loud.stderr,
                   f"count --threads 64 without -q does not warn: the check above proves nothing: {loud.stderr!r}")
    missing = os.path.join(args.work, "missing.gz")
    r = run(args, ["count", "-q", "--no-output", path, missing])
    expect(r.returncode == 1 and r.stdout == "", f"count -q, a missing file: exit {r.returncode}, {r.stdout!r}")
    expect(r.stderr.strip().splitlines()[-1] == f"juggle: {missing}: No such file or directory",
           f"count -q: the error: {r.stderr!r}")
    r = run(args, ["tokenize", "--quiet", "--no-output", "--top", "x", path])
    expect(r.returncode == 2 and r.stderr != "", f"tokenize -q, a usage error: exit {r.returncode}")
    r = run(args, ["count", "-v", "--no-output", path])
    expect(re.search(r"^rank 0 on .+: busy [0-9.]+ s$", r.stdout, re.M), f"count -v: no rank line: {r.stdout}")
    print("ok: -q prints nothing on success and still prints errors; -v adds each rank's time")


def held_open(args, juggle_args, feed_after, stdin_data, ranks=0, terminal=True):
    """Runs juggle with stderr on a pseudo-terminal (or, not `terminal`, a
    pipe) and stdin from a pipe that gets `stdin_data` only after
    `feed_after` seconds (the run waits for it, long enough for several
    redraws); returns (exit status, stdout, what stderr showed)."""
    master, slave = pty.openpty() if terminal else os.pipe()
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(juggle_cmd(args, juggle_args, ranks), stdin=read_end, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    os.close(read_end)
    shown = b""

    def drain(seconds):
        nonlocal shown
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal's other end closed
                    return
                if not chunk:
                    return
                shown += chunk

    drain(feed_after)
    os.write(write_end, stdin_data)
    os.close(write_end)
    try:
        out, _ = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    drain(1.0)
    os.close(master)
    return proc.returncode, out.decode(errors="replace"), shown.decode(errors="replace")


def mode_progress(args):
    path = multi_member(args)
    data = open(path, "rb").read()
    for stage in ("count", "tokenize"):
        code, out, shown = held_open(args, [stage, "--no-output", "-", path], 1.5, data)
        expect(code == 0, f"{stage} under a terminal: exit {code}")
        expect(re.search(rf"\r{stage}: .*pieces done, [0-9.]+ s", shown), f"{stage}: no progress line: {shown!r}")
        expect(shown.count("\r") >= 3, f"{stage}: the line was not redrawn a few times a second: {shown!r}")
        expect(re.search(r"\r +\r$", shown), f"{stage}: the line is not cleared at the end: {shown[-200:]!r}")
        expect("\r" not in out, f"{stage}: progress on stdout")
        code, _, shown = held_open(args, [stage, "-q", "--no-output", "-", path], 1.0, data)
        expect(code == 0 and shown == "", f"{stage} -q under a terminal showed {shown!r}")
        code, _, shown = held_open(args, [stage, "--no-output", "-"], 1.0, data, terminal=False)
        expect(code == 0 and shown == "", f"{stage}: progress in a pipe: {shown!r}")
    # Under mpiexec rank 0's stderr is a pipe to mpiexec: the line is drawn when
    # mpiexec's stderr is a terminal, or when asked for.
    if args.ranks > 0:
        # Held open longer: mpiexec's start-up comes out of the wait before juggle runs.
        code, _, shown = held_open(args, ["count", "--no-output", "-", path, path], 4.0, data, args.ranks)
        expect(code == 0 and re.search(r"\rcount: .*of 3 pieces done", shown), f"mpiexec on a terminal: {shown!r}")
        code, _, shown = held_open(args, ["count", "--no-output", "-", path], 2.0, data, args.ranks, terminal=False)
        expect(code == 0 and "\r" not in shown, f"mpiexec in a pipe drew progress: {shown!r}")
        code, _, shown = held_open(args, ["count", "--no-output", "--progress", "-", path, path], 4.0, data,
                                   args.ranks, terminal=False)
        expect(code == 0 and re.search(r"\rcount: .*of 3 pieces done", shown), f"mpiexec --progress: {shown!r}")
    print("ok: progress under a terminal, cleared; none in a pipe or with -q")


def mode_per_file(args):
    good = os.path.join(args.work, "good.txt")
    with open(good, "w") as f:
        f.write("alpha beta gamma\ndelta\n")
    missing = os.path.join(args.work, "missing.txt")
    bad = os.path.join(args.work, "bad.gz")
    with open(bad, "wb") as f:
        f.write(gzip.compress(b"some words here\n")[:-6])
    r = run(args, ["tokenize", "--no-output", "--per-file", good, missing, bad])
    expect(r.returncode == 1, f"tokenize --per-file: exit {r.returncode}")
    lines = r.stdout.splitlines()[:3]
    expect(lines[0] == f"4 {good}", f"tokenize --per-file good line: {lines[0]!r}")
    expect(lines[1] == f"FAILED (No such file or directory) {missing}", f"missing: {lines[1]!r}")
    expect(lines[2] == f"FAILED (unexpected end of file) {bad}", f"truncated: {lines[2]!r}")
    print("ok: tokenize --per-file marks failed inputs")


def mode_usage(args):
    missing_list = os.path.join(args.work, "no-such-list")
    r = run(args, ["count", "--files-from", missing_list])
    expect(r.returncode == 2, f"an unreadable list: exit {r.returncode}")
    expect(r.stderr.strip() == f"juggle: --files-from {missing_list}: No such file or directory",
           f"an unreadable list: {r.stderr!r}")
    r = run(args, ["tokenize", "--files-from", "-", "-"], stdin=b"x\n")
    expect(r.returncode == 2 and r.stderr.count("\n") == 1 and "standard input is named more than once" in r.stderr,
           f"stdin twice: exit {r.returncode}: {r.stderr!r}")
    r = run(args, ["count"])
    expect(r.returncode == 2, f"no inputs at all: exit {r.returncode}")
    # A job reads files-from lists, but standard input is for count and tokenize alone.
    good = multi_member(args)
    listed = os.path.join(args.work, "job-list.txt")
    with open(listed, "w") as f:
        f.write(good + "\n")
    for body, code, said in ((f'files-from = "{listed}"', 0, "check: lines="),
                             ('paths = ["-"]', 2, "standard input (-) is read by `juggle count` alone"),
                             ('paths = ["x.gz"]\nsummary = "json"', 2, "summary = \"json\" is for `juggle count` alone")):
        job = os.path.join(args.work, "job.toml")
        with open(job, "w") as f:
            f.write(f"[count]\n{body}\n")
        r = run(args, ["run", "--no-output", job])
        expect(r.returncode == code and said in r.stdout + r.stderr, f"job [count] {body!r}: exit {r.returncode}")
    # count's help says what "as zcat | wc -l" covers and what it does not.
    r = run(args, ["count", "--help"])
    help_text = " ".join(r.stdout.split())
    for words in ("`zcat FILE | wc -l` for files made of gzip members", "old compress (.Z), pack and LZH data",
                  "reports as trailing data", "An input - is standard input", "--files-from", "--null", "-q,--quiet",
                  "--summary"):
        expect(words in help_text, f"count --help does not say {words!r}")
    print("ok: list and stdin usage errors exit 2 with one line; count's help says what it accepts")


if __name__ == "__main__":
    parse_args({"files-from": mode_files_from, "stdin": mode_stdin, "summary": mode_summary, "quiet": mode_quiet,
                "progress": mode_progress, "per-file": mode_per_file, "usage": mode_usage}, lambda p: None)
