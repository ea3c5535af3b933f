#!/usr/bin/env python3
"""Checks `juggle fetch` against tests/fetch/test_server.py on 127.0.0.1.

Modes:
  faults       every fault path gets its documented outcome, the good URLs in
               the same run land with the right bytes, no temporary is left
               and nothing appears outside --out (for --mode MODE);
  concurrency  --concurrency 8 really runs 8 transfers at once (1 for
               sequential), and multi reuses its connections;
  rerun        complete files are skipped, a wrong-size file is fetched
               again, --force fetches everything, stale partials of dead
               processes are removed;
  sigterm      a fetch killed mid-way leaves no partial file under a final
               name, and a rerun completes it.
The server is started and stopped here; every wait has a timeout.
"""
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import h5py

from harness import TIMEOUT, expect, expect_interrupted_cleanly, fail, parse_args, partials, run_juggle

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "fetch", "test_server.py")


class Server:
    def __init__(self, latency_ms=0):
        self.proc = subprocess.Popen([sys.executable, SERVER, "--latency", str(latency_ms), "--lifetime", "300"],
                                     stdout=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        expect(ready, "test server did not start")
        line = self.proc.stdout.readline().split()
        expect(len(line) == 2 and line[0] == "PORT", "test server did not report its port")
        self.base = f"http://127.0.0.1:{line[1]}"

    def stats(self):
        with urllib.request.urlopen(self.base + "/stats", timeout=10) as r:
            return json.loads(r.read())

    def reset_stats(self):
        urllib.request.urlopen(self.base + "/stats/reset", timeout=10).read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def body_for(path, size):
    """The server's deterministic body (same formula as test_server.body_for)."""
    seed = hashlib.sha256(path.encode()).digest()
    line = (seed.hex() + "\n").encode()
    return (line * (size // len(line) + 1))[:size]


def fetch(args, urls, out, extra=(), wait=True):
    listing = os.path.join(args.work, "urls.txt")
    with open(listing, "w") as f:
        f.write("".join(u + "\n" for u in urls))
    cmd = [args.juggle, "fetch", "--urls", listing, "--out", out, "--backoff", "0.1", *extra]
    if "--output" not in extra:
        cmd.append("--no-output")
    if not wait:
        print("+ " + " ".join(cmd), flush=True)
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return run_juggle(cmd[0], cmd[1:])


def mode_faults(args):
    with Server() as s:
        b = s.base
        good = [f"{b}/files/good{i}.txt?size={1000 * (i + 1)}" for i in range(5)]
        cases = {  # URL: (outcome, error substring or expected file name)
            f"{b}/status/404": ("failed", "HTTP 404"),
            f"{b}/status/500": ("failed", "HTTP 500 (after 2 attempts)"),
            f"{b}/flaky/{args.fetch_mode}?fails=1&retry_after=1": ("fetched", args.fetch_mode),
            f"{b}/short": ("failed", "after 2 attempts"),
            f"{b}/reset": ("failed", "after 2 attempts"),
            f"{b}/drip": ("failed", "after 2 attempts"),
            f"{b}/stall": ("failed", "after 2 attempts"),
            f"{b}/redirect/3": ("fetched", "3"),
            f"{b}/loop": ("failed", "redirects"),
            f"{b}/endless": ("failed", "body larger than 1048576 bytes"),
            f"{b}/huge": ("failed", "larger than"),
            "ftp://127.0.0.1/file.txt": ("failed", "not supported"),
            f"{b}/names/a/..%2F..%2Fetc%2Fpasswd": ("fetched", "___2F.._2Fetc_2Fpasswd"),
            f"{b}/names/a/%2Fetc%2Fpasswd": ("fetched", "_2Fetc_2Fpasswd"),
            f"{b}/names/dir/": ("fetched", "index"),
            f"{b}/names/.hidden?x=1#frag": ("fetched", "_hidden"),
            f"{b}/names/dup1/same.txt": ("fetched", "same.txt"),
            f"{b}/names/dup2/same.txt": ("fetched", "same-2.txt"),
        }
        root = os.path.join(args.work, "root")
        out = os.path.join(root, "out")
        os.makedirs(root)
        run = fetch(args, good + list(cases), out,
                    ["--output", os.path.join(args.work, "fetch.h5"),
                     "--mode", args.fetch_mode, "--concurrency", "8", "--attempts", "2", "--max-bytes", "1MiB",
                     "--low-speed-limit", "100", "--low-speed-time", "2", "--backoff-max", "2"])
        expect(run.returncode == 1, f"exit status {run.returncode}, expected 1")
        expect(sorted(os.listdir(root)) == ["out"], f"files outside --out: {os.listdir(root)}")
        expect(partials(out) == [], f"temporary files left: {partials(out)}")
        for i, url in enumerate(good):
            path = os.path.join(out, f"good{i}.txt")
            expect(open(path, "rb").read() == body_for(f"/files/good{i}.txt", 1000 * (i + 1)), f"content of {path}")
        errors = {}
        for line in run.stderr.splitlines():
            if line.startswith("juggle: "):
                url, _, reason = line[len("juggle: "):].partition(": ")
                errors[url] = reason
        for url, (outcome, detail) in cases.items():
            if outcome == "failed":
                expect(url in errors, f"{url}: no error line")
                expect(detail in errors[url], f"{url}: error '{errors[url]}' lacks '{detail}'")
            else:
                expect(url not in errors, f"{url}: unexpected error {errors.get(url)}")
                expect(os.path.isfile(os.path.join(out, detail)), f"{url}: no file {detail}")
        with h5py.File(os.path.join(args.work, "fetch.h5"), "r") as h5:
            t = h5["fetch/transfers"]
            outcome = dict(zip(t["url"].asstr()[:], t["outcome"].asstr()[:]))
            expect(all(outcome[u] == "fetched" for u in good), "results: good URLs")
            expect(all(outcome[u] == c[0] for u, c in cases.items()), "results: fault outcomes")
            attempts = dict(zip(t["url"].asstr()[:], t["attempts"][:]))
            expect(attempts[f"{b}/flaky/{args.fetch_mode}?fails=1&retry_after=1"] == 2, "flaky URL took 2 attempts")
            expect(attempts[f"{b}/status/404"] == 1, "404 is not retried")
    print(f"ok: faults, mode {args.fetch_mode}")


def mode_concurrency(args):
    with Server(latency_ms=100) as s:
        urls = [f"{s.base}/files/c{i}.bin?size=100000" for i in range(40)]
        for mode, expected in (("multi", 8), ("threads", 8), ("sequential", 1)):
            out = os.path.join(args.work, mode)
            s.reset_stats()
            run = fetch(args, urls, out, ["--mode", mode, "--concurrency", "8"])
            expect(run.returncode == 0, f"{mode}: exit status {run.returncode}")
            stats = s.stats()
            expect(stats["max_in_flight"] == expected, f"{mode}: {stats['max_in_flight']} in flight, expected {expected}")
            # Connections are reused: at most one per transfer slot (+1 for this stats request).
            expect(stats["connections"] <= expected + 1, f"{mode}: {stats['connections']} connections")
            expect(len(os.listdir(out)) == 40, f"{mode}: files")
            print(f"ok: {mode}: {stats['max_in_flight']} in flight, {stats['connections']} connections")


def mode_rerun(args):
    with Server() as s:
        urls = [f"{s.base}/files/r{i}.txt?size=2000" for i in range(5)]
        out = os.path.join(args.work, "out")
        run = fetch(args, urls, out)
        expect(run.returncode == 0 and "5 fetched" in run.stdout, "first run")
        stale = os.path.join(out, ".juggle-999999-0.partial")
        open(stale, "w").write("left by a killed run")
        run = fetch(args, urls, out)
        expect(run.returncode == 0 and "0 fetched, 5 already complete" in run.stdout, "rerun skips")
        expect(not os.path.exists(stale), "stale partial of a dead process not removed")
        sha = hashlib.sha256(body_for("/files/r0.txt", 2000)).hexdigest()
        listed = [f"{urls[0]} {sha} 2000"] + urls[1:]
        open(os.path.join(out, "r0.txt"), "wb").write(b"truncated")
        run = fetch(args, listed, out)
        expect("1 fetched, 4 already complete" in run.stdout, "a wrong file is fetched again")
        expect(open(os.path.join(out, "r0.txt"), "rb").read() == body_for("/files/r0.txt", 2000), "refetched bytes")
        run = fetch(args, [f"{urls[0]} {'0' * 64} 2000"], out)
        expect(run.returncode == 1 and "SHA-256 mismatch" in run.stderr, "a checksum mismatch fails")
        run = fetch(args, urls, out, ["--force"])
        expect("5 fetched" in run.stdout, "--force fetches again")
        expect(partials(out) == [], "temporaries left")
    print("ok: rerun")


def mode_sigterm(args):
    """SIGTERM (scancel) and SIGINT (Ctrl-C) mid-download: exit 128 + signal,
    every temporary removed at once, the files already complete kept, no
    results file; a rerun fetches only what is missing."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        with Server(latency_ms=300) as s:
            urls = [f"{s.base}/files/k{i}.txt?size=50000" for i in range(20)]
            out = os.path.join(args.work, f"out-{sig.name}")
            results = os.path.join(args.work, f"results-{sig.name}")
            os.makedirs(results, exist_ok=True)
            proc = fetch(args, urls, out, ["--mode", "sequential", "--output", os.path.join(results, "fetch.h5")],
                         wait=False)
            deadline = time.monotonic() + 30
            done = lambda: [n for n in os.listdir(out) if n.endswith(".txt")] if os.path.isdir(out) else []
            while time.monotonic() < deadline and (len(done()) < 2 or not partials(out)):
                time.sleep(0.05)
            expect(partials(out), f"{sig.name}: no download in progress to interrupt")
            proc.send_signal(sig)
            _, stderr = proc.communicate(timeout=30)
            expect_interrupted_cleanly(sig, proc.returncode, stderr, out, results)
            complete = done()
            for name in complete:
                i = int(name[1:-4])
                expect(open(os.path.join(out, name), "rb").read() == body_for(f"/files/k{i}.txt", 50000),
                       f"{name} is incomplete under its final name")
            run = fetch(args, urls, out, ["--mode", "multi"])
            expect(run.returncode == 0, "rerun after the interrupt")
            expect(f"{20 - len(complete)} fetched, {len(complete)} already complete" in run.stdout,
                   f"{sig.name}: the rerun did not fetch exactly the missing files: {run.stdout[-300:]}")
            expect(partials(out) == [], "partials left after the rerun")
            for i in range(20):
                expect(open(os.path.join(out, f"k{i}.txt"), "rb").read() == body_for(f"/files/k{i}.txt", 50000),
                       "content")
            print(f"ok: {sig.name} after {len(complete)} files: exit {proc.returncode}, rerun fetched the rest")


def mode_resolve(args):
    names = ["localhost"]
    with open("/etc/hosts") as hosts:
        for line in hosts:
            fields = line.split("#")[0].split()
            names += [n for n in fields[1:] if n not in names]
    names.append("no-such-host.invalid")
    for mode in ("sequential", "concurrent"):
        output = os.path.join(args.work, f"resolve-{mode}.h5")
        run = run_juggle(args.juggle, ["resolve", "--mode", mode, "--output", output, *names],
                         ranks=args.ranks, mpiexec=args.mpiexec)
        expect(run.returncode == 1, f"{mode}: exit status {run.returncode}, expected 1")
        errors = [l for l in run.stderr.splitlines() if l.startswith("juggle: ")]
        expect(len(errors) == 1 and errors[0].startswith("juggle: no-such-host.invalid: "), f"{mode}: errors {errors}")
        resolved = [l.split(" -> ")[0] for l in run.stdout.splitlines() if " -> " in l]
        expect(sorted(resolved) == sorted(names[:-1]), f"{mode}: resolved {resolved}")
        with h5py.File(output, "r") as h5:
            hosts = list(h5["resolve/hosts/host"].asstr()[:])
            errs = list(h5["resolve/hosts/error"].asstr()[:])
            expect(hosts == names, f"{mode}: results host order")
            expect([bool(e) for e in errs] == [False] * (len(names) - 1) + [True], f"{mode}: results errors")
            expect(h5.attrs["resolve_mode"] == mode, "mode attribute")
    on = f" on {args.ranks} ranks" if args.ranks else ""
    print(f"ok: resolve{on}, {len(names)} names in both modes")


def check_line(stdout, stage):
    for line in stdout.splitlines():
        if line.startswith("check: ") and (("lines=" in line) == (stage == "count")):
            return line
    fail(f"no {stage} check line")


def mode_run(args):
    corpus = os.path.join(args.work, "corpus")
    subprocess.run([args.juggle, "gen", "--out", corpus, "--files", "9", "--size", "2MiB", "--seed", "3"],
                   check=True, timeout=TIMEOUT, capture_output=True)
    serve = os.path.join(HERE, "..", "..", "tools", "serve_files.py")
    server = subprocess.Popen([sys.executable, serve, corpus, "--latency", "20", "--lifetime", "300"],
                              stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 20)
        expect(ready, "file server did not start")
        port = server.stdout.readline().split()[1]
        urls = os.path.join(args.work, "urls.txt")
        with open(urls, "w") as f:
            for name in sorted(os.listdir(corpus)):
                if name.endswith(".gz"):
                    f.write(f"http://127.0.0.1:{port}/{name}\n")
        fetched = os.path.join(args.work, "fetched")
        job = os.path.join(args.work, "job.toml")
        with open(job, "w") as f:
            f.write(f'[run]\nthreads = 2\n[fetch]\nurls = "{urls}"\nout = "{fetched}"\nforce = true\n'
                    f'[count]\n[tokenize]\npaths = ["{fetched}"]\ntop = 5\nchunk-size = "64KiB"\n')
        output = os.path.join(args.work, "run.h5")
        run = run_juggle(args.juggle, ["run", job, "--set", f"run.output={output}"], args.ranks, args.mpiexec)
        expect(run.returncode == 0, f"run: exit status {run.returncode}")
        alone = run_juggle(args.juggle, ["count", "--no-output", fetched])
        expect(check_line(run.stdout, "count") == check_line(alone.stdout, "count"), "count differs from running it alone")
        alone = run_juggle(args.juggle, ["tokenize", "--no-output", fetched])
        expect(check_line(run.stdout, "tokenize") == check_line(alone.stdout, "tokenize"),
               "tokenize differs from running it alone")
        with h5py.File(output, "r") as h5:
            for group in ("fetch/total", "count/total", "tokenize/total"):
                expect(group in h5, f"results file lacks {group}")
            expect(h5["fetch/total"].attrs["fetched"] == 9, "nine files fetched")
            expect(h5.attrs["mpi_ranks"] == max(args.ranks, 1) and h5.attrs["subcommand"] == "run", "run attributes")
        bad = os.path.join(args.work, "bad.toml")
        with open(bad, "w") as f:
            f.write("[count]\npaths = [\"a\"\n")
        result = run_juggle(args.juggle, ["run", bad, "--set", "run.no-output=true"])
        expect(result.returncode == 2 and f"{bad}:" in result.stderr, "a malformed job file is a usage error naming it")
        with open(bad, "w") as f:
            f.write("[counting]\n")
        result = run_juggle(args.juggle, ["run", bad])
        expect(result.returncode == 2 and "unknown section [counting]" in result.stderr, "unknown section")
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"ok: run with {args.ranks} ranks equals the stages alone")


def main():
    parse_args({"faults": mode_faults, "concurrency": mode_concurrency, "rerun": mode_rerun, "sigterm": mode_sigterm,
                "resolve": mode_resolve, "run": mode_run},
               lambda p: p.add_argument("--fetch-mode", default="multi"))


if __name__ == "__main__":
    main()
