#!/usr/bin/env python3
"""Faults a cluster throws at juggle, each with its documented outcome
(docs/reliability.md). Modes:
  disk         a full filesystem and a read-only one (small tmpfs mounts,
               root only; exit 77 = skipped elsewhere): the results file, a
               --csv file and fetched files each fail with one clear line
               and their documented exit code, nothing partial is left, and
               the files already there are untouched;
  gen-signal   `juggle gen` killed by SIGTERM mid-corpus: exit 143, only
               complete files under final names, no temporaries;
  signal-stages  SIGTERM/SIGINT in count, tokenize and while the results
               file is written, alone and under mpiexec: nothing left;
  same-second  runs started together never write the same results file;
  special      FIFOs, /dev/zero and a directory loop among the inputs do not
               hang count or tokenize;
  unreadable   a file the user may not read (root: juggle runs as nobody);
  long-line    one line of 1 GiB: exact counts, memory of buffers only;
  usage        job files (unknown keys, wrong types, missing) and command
               lines (out of range, conflicting) are refused with exit 2.
Every wait is bounded; mounts are unmounted whatever happens."""
import contextlib
import glob
import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from check_fetch import Server, body_for  # noqa: E402
from harness import TIMEOUT, expect, parse_args, run_juggle  # noqa: E402

SKIP = 77


@contextlib.contextmanager
def tmpfs(path, size):
    """A tmpfs of `size` at `path`, unmounted on leaving."""
    os.makedirs(path, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                      capture_output=True).returncode != 0:
        print(f"skip: cannot mount a tmpfs at {path} (needs root)")
        sys.exit(SKIP)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", path], capture_output=True)


def leftovers(folder):
    return [n for n in os.listdir(folder) if "partial" in n]


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def make_inputs(work):
    d = os.path.join(work, "inputs")
    os.makedirs(d, exist_ok=True)
    for i in range(3):
        with gzip.open(os.path.join(d, f"f{i}.gz"), "wb") as f:
            f.write(b"".join(b"line %d of file %d\n" % (n, i) for n in range(2000)))
    with open(os.path.join(d, "words.txt"), "w") as f:
        f.write("the quick brown fox jumps over the lazy dog\n" * 2000)
    return d


def mode_disk(args):
    if os.geteuid() != 0:
        print("skip: the disk faults need root (tmpfs mounts)")
        sys.exit(SKIP)
    inputs = make_inputs(args.work)
    # Full: a 64 KiB tmpfs holds an earlier results file, then is filled up.
    with tmpfs(os.path.join(args.work, "full"), "64k") as full:
        earlier = os.path.join(full, "earlier.h5")
        run = run_juggle(args.juggle, ["count", "--output", earlier, inputs])
        expect(run.returncode == 0 and os.path.exists(earlier), "the earlier results file was not written")
        before = digest(earlier)
        with open(os.path.join(full, "filler"), "wb") as f:
            with contextlib.suppress(OSError):
                f.write(b"\0" * (1 << 20))  # ENOSPC once the tmpfs is full
        target = os.path.join(full, "new.h5")
        run = run_juggle(args.juggle, ["count", "--output", target, inputs])
        expect(run.returncode == 3, f"count with a full disk: exit {run.returncode}, expected 3")
        expect(f"juggle: {target}: results not written" in run.stderr, f"no clear line: {run.stderr[-300:]}")
        expect("check: lines=6000" in run.stdout, "the summary is still on stdout")
        run = run_juggle(args.juggle, ["tokenize", "--no-output", "--csv", os.path.join(full, "w.csv"), inputs])
        expect(run.returncode == 3, f"tokenize --csv on a full disk: exit {run.returncode}, expected 3")
        expect(f"juggle: {full}/w.csv:" in run.stderr, f"no line naming the CSV: {run.stderr[-300:]}")
        with Server() as s:
            urls = [f"{s.base}/files/big{i}.bin?size=200000" for i in range(3)]
            listing = os.path.join(args.work, "urls.txt")
            open(listing, "w").write("".join(u + "\n" for u in urls))
            run = run_juggle(args.juggle, ["fetch", "--urls", listing, "--out", full, "--no-output",
                                           "--attempts", "1"])
            expect(run.returncode == 1, f"fetch onto a full disk: exit {run.returncode}, expected 1")
            expect("No space left on device" in run.stderr, f"no ENOSPC line: {run.stderr[-300:]}")
        expect(leftovers(full) == [], f"left behind: {leftovers(full)}")
        expect(digest(earlier) == before, "the earlier results file changed")
        expect(not os.path.exists(target) and not glob.glob(os.path.join(full, "big*")), "partial output")
    # Read-only: the same outputs are refused with EROFS.
    with tmpfs(os.path.join(args.work, "ro"), "1m") as ro:
        earlier = os.path.join(ro, "earlier.h5")
        run_juggle(args.juggle, ["count", "--output", earlier, inputs])
        before = digest(earlier)
        expect(subprocess.run(["mount", "-o", "remount,ro", ro]).returncode == 0, "remount read-only")
        run = run_juggle(args.juggle, ["count", "--output", os.path.join(ro, "new.h5"), inputs])
        expect(run.returncode == 3 and "Read-only file system" in run.stderr,
               f"count into a read-only folder: exit {run.returncode}: {run.stderr[-300:]}")
        with Server() as s:
            listing = os.path.join(args.work, "urls-ro.txt")
            open(listing, "w").write(f"{s.base}/files/a.bin?size=1000\n")
            run = run_juggle(args.juggle, ["fetch", "--urls", listing, "--out", ro, "--no-output"])
            expect(run.returncode != 0 and "Read-only file system" in run.stderr,
                   f"fetch into a read-only folder: exit {run.returncode}: {run.stderr[-300:]}")
        expect(digest(earlier) == before, "the earlier results file changed")
    print("ok: full and read-only outputs fail clearly, nothing partial, earlier results untouched")


def mode_gen_signal(args):
    out = os.path.join(args.work, "corpus")
    spec = ["gen", "--files", "64", "--size", "400MiB", "--format", "txt", "--seed", "3"]
    cmd = [args.juggle] + spec + ["--out", out]
    print("+ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finished = lambda: sorted(n for n in os.listdir(out) if n.endswith(".txt")) if os.path.isdir(out) else []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(finished()) < 2 or not leftovers(out)) and proc.poll() is None:
        time.sleep(0.01)
    expect(proc.poll() is None and leftovers(out), "gen finished before it could be interrupted")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    expect(proc.returncode == 143, f"exit {proc.returncode}, expected 143")
    expect("interrupted by signal 15" in err, f"no message: {err[-300:]}")
    expect(leftovers(out) == [], f"temporaries left: {leftovers(out)}")
    done = finished()
    expect(2 <= len(done) < 64, f"{len(done)} files under final names")
    # Every file under a final name is whole: the same bytes as an uninterrupted gen.
    whole = os.path.join(args.work, "whole")
    run = run_juggle(args.juggle, spec + ["--out", whole])
    expect(run.returncode == 0, "the uninterrupted gen")
    for name in done:
        expect(digest(os.path.join(out, name)) == digest(os.path.join(whole, name)), f"{name} differs")
    print(f"ok: gen interrupted after {len(done)} of 64 files: exit 143, no temporaries, those files whole")


def mode_signal_stages(args):
    """SIGTERM and SIGINT while a stage runs or while the results file is
    being written (a rank held there by JUGGLE_INJECT_FAULT=...:stall):
    exit 128 + signal, no results file and no temporary of it. Alone and
    under mpiexec (whose own exit status is its own; the ranks' line is
    checked)."""
    inputs = make_inputs(args.work)
    for ranks in (0, 2):
        for stage, sub in (("count", "count"), ("tokenize", "tokenize"), ("results", "count")):
            for sig in (signal.SIGTERM, signal.SIGINT):
                results = os.path.join(args.work, f"results-{ranks}-{stage}-{sig.name}")
                os.makedirs(results)
                cmd = [args.juggle, sub, "--output", os.path.join(results, "r.h5"), inputs]
                if ranks:
                    cmd = [args.mpiexec, "-n", str(ranks), "--oversubscribe"] + cmd
                env = dict(os.environ, JUGGLE_INJECT_FAULT=f"0:{stage}:stall")
                print("+ " + " ".join(cmd), flush=True)
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                        start_new_session=True)
                # Wait (bounded) for the announcement on stderr, read line by line.
                deadline = time.monotonic() + 60
                seen = ""
                while time.monotonic() < deadline:
                    line = proc.stderr.readline()
                    seen += line
                    if "stalls at" in line or not line:
                        break
                expect("stalls at" in seen, f"{stage}: the stall was not reached: {seen[-300:]}")
                if stage == "results":
                    expect(glob.glob(os.path.join(results, ".r.h5.partial-*")), "no temporary results file")
                os.killpg(proc.pid, sig) if ranks == 0 else proc.send_signal(sig)
                _, rest = proc.communicate(timeout=60)
                if ranks == 0:
                    expect(proc.returncode == 128 + sig, f"{stage} {sig.name}: exit {proc.returncode}")
                else:
                    expect(proc.returncode != 0, f"{stage} {sig.name} under mpiexec: exit 0")
                expect("interrupted by signal" in seen + rest, f"{stage} {sig.name}: no message")
                expect(os.listdir(results) == [], f"{stage} {sig.name}: left {os.listdir(results)}")
                print(f"ok: {ranks or 'no'} mpiexec ranks, {sig.name} in {stage}: exit {proc.returncode}, nothing left")


def mode_same_second(args):
    inputs = make_inputs(args.work)
    results = os.path.join(args.work, "results")
    os.makedirs(results)
    target = os.path.join(results, "same.h5")
    procs = [subprocess.Popen([args.juggle, "count", "--output", target, inputs], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    codes = [p.wait(timeout=TIMEOUT) for p in procs]
    expect(codes.count(0) == 1 and codes.count(3) == 3,
           f"exits {codes}: one run may take an explicit --output name, the others must refuse it")
    expect(os.listdir(results) == ["same.h5"], f"files: {os.listdir(results)}")
    # Default names (results/count-<UTC time>.h5) from runs in the same second
    # never collide, whether they overlap or one has already finished.
    cwd = os.path.join(args.work, "cwd")
    os.makedirs(cwd)
    first = subprocess.run([args.juggle, "count", inputs], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    procs = [subprocess.Popen([args.juggle, "count", inputs], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    codes = [first.returncode] + [p.wait(timeout=TIMEOUT) for p in procs]
    names = sorted(os.listdir(os.path.join(cwd, "results")))
    expect(codes == [0] * 5 and len(names) == 5, f"exits {codes}, files {names}")
    expect(leftovers(os.path.join(cwd, "results")) == [], "temporaries left")
    print(f"ok: a run, then 4 at once, in the same second or not, wrote {names}")


def mode_special(args):
    inputs = make_inputs(args.work)
    os.mkfifo(os.path.join(inputs, "pipe.gz"))
    os.mkfifo(os.path.join(inputs, "pipe.txt"))
    os.symlink("/dev/zero", os.path.join(inputs, "zero.gz"))
    os.symlink("/dev/zero", os.path.join(inputs, "zero.txt"))
    os.symlink(".", os.path.join(inputs, "loop"))
    for sub, extra in (("count", []), ("tokenize", ["--include", "*"])):
        started = time.monotonic()
        run = run_juggle(args.juggle, [sub, "--no-output", *extra, inputs])
        took = time.monotonic() - started
        expect(took < 60, f"{sub} took {took:.0f} s")
        expect(run.returncode in (0, 1), f"{sub}: exit {run.returncode}")
        expect(run.returncode == 0, f"{sub}: special files found in a folder are not inputs: exit {run.returncode}")
        print(f"ok: {sub} with FIFOs, /dev/zero and a directory loop in a folder: exit 0 in {took:.2f} s")
        # Named on the command line they are refused, each with one line.
        fifo, zero = os.path.join(inputs, "pipe.gz"), "/dev/zero"
        run = run_juggle(args.juggle, [sub, "--no-output", fifo, zero])
        expect(run.returncode == 1, f"{sub} FIFO /dev/zero: exit {run.returncode}, expected 1")
        for path in (fifo, zero):
            expect(f"juggle: {path}: not a regular file or directory" in run.stderr, f"{sub}: no line for {path}")
        print(f"ok: {sub} refuses a FIFO and /dev/zero named as inputs")


def mode_unreadable(args):
    """A file its user may not read (root reads everything, so juggle runs as
    nobody via setpriv): one line with the reason, the others processed."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        print("skip: needs root and setpriv to run juggle as another user")
        sys.exit(SKIP)
    inputs = make_inputs(args.work)
    os.chmod(args.work, 0o755)
    for name in ("f0.gz", "words.txt"):
        os.chmod(os.path.join(inputs, name), 0o000)
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", args.juggle]
    for sub, lost, good in (("count", ["f0.gz"], "lines=4000 "), ("tokenize", ["f0.gz", "words.txt"], "failed=2")):
        print("+ " + " ".join(as_nobody + [sub, "--no-output", inputs]), flush=True)
        run = subprocess.run(as_nobody + [sub, "--no-output", inputs], capture_output=True, text=True,
                             timeout=TIMEOUT)
        if "cannot" in run.stderr and run.returncode == 127:
            print(f"skip: setpriv could not run juggle as nobody: {run.stderr.strip()}")
            sys.exit(SKIP)
        expect(run.returncode == 1, f"{sub}: exit {run.returncode}, expected 1: {run.stderr}")
        for name in lost:
            expect(f"juggle: {inputs}/{name}: Permission denied" in run.stderr, f"{sub}: stderr: {run.stderr}")
        expect(good in run.stdout, f"{sub}: the readable files were not all processed: {run.stdout}")
        print(f"ok: {sub} as nobody: the unreadable file named, the others processed")


def mode_long_line(args):
    """One line of 1 GiB (words and spaces, no newline), a plain file cut into
    64 MiB byte ranges: every word counted exactly, memory a few buffers, not
    the line (peak RSS from GNU time)."""
    d = os.path.join(args.work, "line")
    os.makedirs(d)
    words = [b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"zeta", b"eta", b"theta"]
    block = b" ".join(words * 8192) + b" "  # ~ 0.4 MB, ends with a space
    size = 1 << 30
    repeats = size // len(block)
    with open(os.path.join(d, "line.txt"), "wb") as f:
        for _ in range(repeats):
            f.write(block)
    expected = repeats * len(words) * 8192
    for threads in (1, 2):
        cmd = ["/usr/bin/time", "-f", "%M", args.juggle, "tokenize", "--no-output", "--threads", str(threads),
               "--chunk-size", "64MiB", "--top", "8", d]
        print("+ " + " ".join(cmd), flush=True)
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
        expect(run.returncode == 0, f"exit {run.returncode}: {run.stderr[-300:]}")
        expect(f"words={expected} distinct=8 " in run.stdout, f"{threads} threads: {run.stdout[-400:]}")
        rss_mib = int(run.stderr.strip().splitlines()[-1]) / 1024
        expect(rss_mib < 256, f"{threads} threads: peak RSS {rss_mib:.0f} MiB for a 1 GiB line")
        print(f"ok: a 1 GiB line, {threads} thread(s): {expected} words, peak RSS {rss_mib:.0f} MiB")
    os.remove(os.path.join(d, "line.txt"))


def mode_usage(args):
    """Job files and command lines that cannot mean anything: exit 2 with one
    line naming the file (and section and key) or the flag; nothing runs."""
    inputs = make_inputs(args.work)

    def job(name, text):
        path = os.path.join(args.work, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    cases = [  # (juggle arguments, substring of the one error line)
        (["run", job("unknown-key.toml", f'[count]\npaths = ["{inputs}"]\nbogus = 1\n')],
         "unknown-key.toml: [count]: unknown key 'bogus'"),
        (["run", job("wrong-type.toml", f'[count]\npaths = ["{inputs}"]\nthreads = "two"\n')],
         "wrong-type.toml: [count]: --threads: Value two not in range 0 to 4096"),
        (["run", job("table-value.toml", '[count]\npaths = [{a = 1}]\n')],
         "table-value.toml:2:9: expected a string or a number"),
        (["run", job("top-level.toml", "threads = 3\n")], "top-level.toml:1:11: 'threads' must be a [section]"),
        (["run", job("unknown-section.toml", "[counting]\n")], "unknown section [counting]"),
        (["run", job("malformed.toml", '[count]\npaths = ["a"\n')], "malformed.toml:"),
        (["run", os.path.join(args.work, "missing.toml")], "File does not exist"),
        (["count", "--threads", "99999", inputs], "--threads: Value 99999 not in range 0 to 4096"),
        (["count", "--output", "x.h5", "--no-output", inputs], "--output excludes --no-output"),
        (["count", "--inflate", "lzma", inputs], "--inflate"),
        (["run", "--output", "x.h5", "--no-output", job("plain.toml", f'[count]\npaths = ["{inputs}"]\n')],
         "--output excludes --no-output"),
        (["fetch", "--urls", "-", "--output", "x.h5", "--no-output"], "--output excludes --no-output"),
        (["fetch", "--urls", os.path.join(args.work, "missing.urls")], "missing.urls"),
        (["fetch", "--urls", "-", "--concurrency", "0"], "--concurrency: Value 0 not in range 1 to 1024"),
        (["tokenize", "--chunk-size", "5XB", inputs], "5XB"),
        (["gen", "--out", os.path.join(args.work, "g"), "--files", "-1"], "--files"),
    ]
    for argv, wanted in cases:
        run = run_juggle(args.juggle, argv)
        expect(run.returncode == 2, f"{argv}: exit {run.returncode}, expected 2")
        expect(wanted in run.stderr, f"{argv}: stderr lacks {wanted!r}: {run.stderr[-400:]}")
        expect("check:" not in run.stdout, f"{argv}: work started")
    # A path that starts with '-' is a path, in a job file too.
    odd = os.path.join(inputs, "-odd.txt")
    with open(odd, "w") as f:
        f.write("odd words\n")
    run = run_juggle(args.juggle, ["run", job("dash.toml", f'[tokenize]\npaths = ["{odd}"]\n[run]\nno-output = true\n')])
    expect(run.returncode == 0 and "words=2 " in run.stdout, f"a '-' path in a job file: exit {run.returncode}")
    print(f"ok: {len(cases)} unusable command lines and job files refused with exit 2, one line each")


if __name__ == "__main__":
    sys.argv = [os.path.abspath(a) if i > 0 and sys.argv[i - 1] == "--juggle" else a for i, a in enumerate(sys.argv)]
    parse_args({"disk": mode_disk, "gen-signal": mode_gen_signal, "same-second": mode_same_second,
                "special": mode_special, "usage": mode_usage, "unreadable": mode_unreadable,
                "signal-stages": mode_signal_stages, "long-line": mode_long_line}, lambda p: None)
