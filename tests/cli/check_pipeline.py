#!/usr/bin/env python3
"""Checks `juggle run` as one pipeline: downloads landing while ranks count
and tokenize, served by tools/serve_files.py on 127.0.0.1 with a seeded
per-file delay, so files land in a shuffled order.

Modes:
  identical   for --ranks R and threads 1 and 2, two arrival orders (seeds):
              the check lines and the results tables (per-file counts and
              words, the vocabulary) equal those of count and tokenize run
              alone on the same files, and every file gzip'd for both
              stages was decompressed once (count_tokenize_piece events);
  failure     one URL of the list fails (404) while the others land: exit 1,
              the failure named once on stderr, every other file counted and
              tokenized as the stages alone count and tokenize them;
  sigterm     SIGTERM and SIGINT while files are still downloading and others
              are being computed: exit 128+N (without mpiexec; under it,
              mpiexec's own non-zero status), no temporary and no results
              file, files complete under their names; the rerun fetches only
              what is missing;
  rank-fault  a rank failing at its first piece while rank 0 downloads: the
              job ends within seconds, exit 4, one line naming the rank;
  dot         no downloads; count and tokenize both over the working
              directory, spelled "." and "./": the check lines of the stages
              alone, and every gzip file decompressed once for both (the walk
              hands a file out only once both stages have seen it).
The server is started and stopped here; every wait has a timeout.
"""
import os
import signal
import subprocess
import sys
import time

import h5py

from harness import TIMEOUT, expect, expect_interrupted_cleanly, parse_args, partials, run_juggle

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from serve_files import FileServer  # noqa: E402


def make_corpus(args):
    corpus = os.path.join(args.work, "corpus")
    subprocess.run([args.juggle, "gen", "--out", corpus, "--files", "12", "--size", "3MiB", "--seed", "11",
                    "--format", "both"], check=True, timeout=TIMEOUT, capture_output=True)
    return corpus, sorted(n for n in os.listdir(corpus) if n.endswith((".gz", ".txt")))  # not its MANIFEST


def write_job(args, name, urls, fetched, extra_fetch="", concurrency=4):
    url_file = os.path.join(args.work, f"{name}.urls")
    with open(url_file, "w") as f:
        f.write("".join(u + "\n" for u in urls))
    job = os.path.join(args.work, f"{name}.toml")
    with open(job, "w") as f:
        f.write(f'[run]\nthreads = 1\n[fetch]\nurls = "{url_file}"\nout = "{fetched}"\nconcurrency = {concurrency}\n{extra_fetch}'
                f'[count]\n[tokenize]\npaths = ["{fetched}"]\ntop = 5\nchunk-size = "256KiB"\n')
    return job


def check_lines(stdout):
    return sorted(l for l in stdout.splitlines() if l.startswith("check: "))


def tables(path):
    """The results tables that must not depend on arrival order or layout."""
    with h5py.File(path, "r") as h5:
        out = {}
        for group in ("count/files", "tokenize/files", "tokenize/vocabulary"):
            if group not in h5:
                continue
            for column in h5[group]:
                if column in ("rank", "thread", "seconds"):
                    continue
                data = h5[group][column]
                values = list(data.asstr()[:]) if h5py.check_string_dtype(data.dtype) else data[:].tolist()
                if column == "path":  # each run fetches into a folder of its own
                    values = [os.path.basename(v) for v in values]
                out[f"{group}/{column}"] = values
        return out


def alone(args, fetched, output_dir, failed_ok=False):
    """count and tokenize run alone on what landed: the reference."""
    count = run_juggle(args.juggle, ["count", "--output", os.path.join(output_dir, "count.h5"), fetched])
    tokenize = run_juggle(args.juggle, ["tokenize", "--chunk-size", "256KiB", "--top", "5",
                                        "--output", os.path.join(output_dir, "tokenize.h5"), fetched])
    expect(count.returncode == 0 and tokenize.returncode == 0, "the stages alone")
    ref = tables(os.path.join(output_dir, "count.h5"))
    ref.update(tables(os.path.join(output_dir, "tokenize.h5")))
    return check_lines(count.stdout) + check_lines(tokenize.stdout), ref


def events_by_rank_then_step(path):
    """Whether /events is one run of rows per rank in rank order, each in
    step order: each rank writes its own rows, nothing gathers them."""
    with h5py.File(path, "r") as h5:
        order = list(zip(h5["events/rank"][:], h5["events/step"][:]))
    return order == sorted(order)


def stage_events(path, name):
    with h5py.File(path, "r") as h5:
        stages = list(h5["stages"].asstr()[:])
        if name not in stages:
            return 0
        return int((h5["events/stage"][:] == stages.index(name)).sum())


def mode_identical(args):
    corpus, names = make_corpus(args)
    gz = [n for n in names if n.endswith(".gz")]
    reference = None
    for seed in (1, 2):
        with FileServer(corpus, latency_ms=5, lifetime_s=300, extra=["--jitter", "150", "--seed", str(seed)]) as s:
            urls = [f"http://127.0.0.1:{s.port}/{n}" for n in names]
            for threads in (1, 2):
                tag = f"seed{seed}-t{threads}"
                fetched = os.path.join(args.work, f"fetched-{tag}")
                job = write_job(args, tag, urls, fetched)
                output = os.path.join(args.work, f"{tag}.h5")
                run = run_juggle(args.juggle, ["run", job, "--set", f"run.output={output}", "--threads", str(threads)],
                                 args.ranks, args.mpiexec)
                expect(run.returncode == 0, f"{tag}: exit status {run.returncode}")
                if reference is None:
                    ref_dir = os.path.join(args.work, "alone")
                    os.makedirs(ref_dir)
                    reference = alone(args, fetched, ref_dir)
                lines, ref_tables = reference
                expect(check_lines(run.stdout) == lines,
                       f"{tag}: check lines differ from the stages alone: {check_lines(run.stdout)} vs {lines}")
                got = tables(output)
                for key, values in ref_tables.items():
                    expect(got.get(key) == values, f"{tag}: {key} differs from the stages alone")
                decoded_once = stage_events(output, "count_tokenize_piece")
                expect(decoded_once == len(gz), f"{tag}: {decoded_once} files decoded once for both, expected {len(gz)}")
                expect(events_by_rank_then_step(output), f"{tag}: /events is not in rank order, then step order")
                print(f"ok: {tag}: check lines and tables equal the stages alone; {decoded_once} gzip files decoded once")


def mode_failure(args):
    corpus, names = make_corpus(args)
    with FileServer(corpus, latency_ms=5, lifetime_s=300, extra=["--jitter", "100", "--seed", "3"]) as s:
        missing = f"http://127.0.0.1:{s.port}/missing-file.txt"
        urls = [f"http://127.0.0.1:{s.port}/{n}" for n in names]
        urls.insert(len(urls) // 2, missing)
        fetched = os.path.join(args.work, "fetched")
        job = write_job(args, "failure", urls, fetched, 'attempts = 1\n')
        output = os.path.join(args.work, "run.h5")
        run = run_juggle(args.juggle, ["run", job, "--set", f"run.output={output}"], args.ranks, args.mpiexec)
        expect(run.returncode == 1, f"exit status {run.returncode}, expected 1")
        named = [l for l in run.stderr.splitlines() if missing in l]
        expect(len(named) == 1 and named[0].startswith(f"juggle: {missing}: "), f"failure named {len(named)} times")
        ref_dir = os.path.join(args.work, "alone")
        os.makedirs(ref_dir)
        lines, ref_tables = alone(args, fetched, ref_dir)
        expect(check_lines(run.stdout) == lines, "the other files were not all counted and tokenized")
        got = tables(output)
        for key, values in ref_tables.items():
            expect(got.get(key) == values, f"{key} differs from the stages alone")
    print("ok: a failed download is named once, exit 1, the other files counted and tokenized")


def mode_sigterm(args):
    corpus, names = make_corpus(args)
    for sig in (signal.SIGTERM, signal.SIGINT):
        with FileServer(corpus, latency_ms=400, lifetime_s=300) as s:
            urls = [f"http://127.0.0.1:{s.port}/{n}" for n in names]
            fetched = os.path.join(args.work, f"fetched-{sig.name}")
            results = os.path.join(args.work, f"results-{sig.name}")
            os.makedirs(results)
            job_file = write_job(args, sig.name, urls, fetched, concurrency=1)
            cmd = [args.juggle, "run", job_file, "--set", f"run.output={os.path.join(results, 'run.h5')}"]
            if args.ranks > 0:
                cmd = [args.mpiexec, "-n", str(args.ranks), "--oversubscribe"] + cmd
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            landed = lambda: [n for n in os.listdir(fetched) if not n.endswith(".partial")] \
                if os.path.isdir(fetched) else []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(landed()) < 3 and proc.poll() is None:
                time.sleep(0.02)
            expect(proc.poll() is None and len(landed()) < len(names), f"{sig.name}: nothing left to interrupt")
            proc.send_signal(sig)
            _, stderr = proc.communicate(timeout=60)
            sys.stderr.write(stderr)
            expect_interrupted_cleanly(sig, proc.returncode, stderr, fetched, results, under_mpiexec=args.ranks > 0)
            complete = landed()
            for name in complete:
                with open(os.path.join(fetched, name), "rb") as got, open(os.path.join(corpus, name), "rb") as want:
                    expect(got.read() == want.read(), f"{name} is incomplete under its final name")
            rerun = run_juggle(args.juggle, ["run", job_file, "--set", "run.no-output=true"], args.ranks, args.mpiexec)
            expect(rerun.returncode == 0, f"{sig.name}: rerun exit {rerun.returncode}")
            expect(f"{len(names) - len(complete)} fetched, {len(complete)} already complete" in rerun.stdout,
                   f"{sig.name}: the rerun did not fetch exactly the missing files")
            print(f"ok: {sig.name} with {len(complete)} of {len(names)} files landed: exit {proc.returncode}, "
                  "nothing partial, the rerun fetched the rest")


def mode_rank_fault(args):
    corpus, names = make_corpus(args)
    with FileServer(corpus, latency_ms=2000, lifetime_s=300) as s:
        urls = [f"http://127.0.0.1:{s.port}/{n}" for n in names]
        fetched = os.path.join(args.work, "fetched")
        os.makedirs(fetched)
        # Two files already there: the faulty rank gets a piece while downloads still wait on the server.
        for n in names[:4]:
            with open(os.path.join(corpus, n), "rb") as src, open(os.path.join(fetched, n), "wb") as dst:
                dst.write(src.read())
        job = write_job(args, "fault", urls, fetched)
        env = dict(os.environ, JUGGLE_INJECT_FAULT=f"{max(args.ranks, 1) - 1}:piece:bad_alloc")
        cmd = [args.mpiexec, "-n", str(args.ranks), "--oversubscribe", args.juggle, "run", job,
               "--set", "run.no-output=true", "--set", "fetch.concurrency=1"]
        started = time.monotonic()
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
        took = time.monotonic() - started
        sys.stderr.write(run.stderr)
        expect(run.returncode == 4, f"exit {run.returncode}, expected 4")
        lines = [l for l in run.stderr.splitlines() if l.startswith("juggle: rank ")]
        expect(len(lines) == 1 and "out of memory" in lines[0], f"one line naming the rank: {lines}")
        # Fetching alone would take 8 x 2 s at concurrency 1.
        expect(took < 10, f"the job took {took:.1f} s to stop")
    print(f"ok: a rank failing mid-pipeline stops the job in {took:.1f} s, exit 4, one line")


def mode_dot(args):
    corpus, names = make_corpus(args)
    gz = [n for n in names if n.endswith(".gz")]
    job = os.path.join(args.work, "dot.toml")
    output = os.path.join(args.work, "dot.h5")
    with open(job, "w") as f:
        f.write(f'[run]\nthreads = 2\noutput = "{output}"\n[count]\npaths = ["."]\n'
                '[tokenize]\npaths = ["./"]\ntop = 5\n')
    os.chdir(corpus)
    run = run_juggle(args.juggle, ["run", job], args.ranks, args.mpiexec)
    expect(run.returncode == 0, f"exit status {run.returncode}")
    count = run_juggle(args.juggle, ["count", "--no-output", "."])
    tokenize = run_juggle(args.juggle, ["tokenize", "--no-output", "--top", "5", "./"])
    lines = sorted(check_lines(count.stdout) + check_lines(tokenize.stdout))
    expect(check_lines(run.stdout) == lines, f"check lines differ from the stages alone: {check_lines(run.stdout)}")
    decoded_once = stage_events(output, "count_tokenize_piece")
    counted_alone = stage_events(output, "count_file")
    expect(decoded_once == len(gz) and counted_alone == 0,
           f"{decoded_once} gzip files decoded once for both and {counted_alone} counted alone; expected {len(gz)} and 0")
    print(f"ok: paths '.' and './': check lines equal the stages alone; {decoded_once} gzip files decoded once")


def main():
    parse_args({"identical": mode_identical, "failure": mode_failure, "sigterm": mode_sigterm,
                "rank-fault": mode_rank_fault, "dot": mode_dot}, lambda p: None)


if __name__ == "__main__":
    main()
