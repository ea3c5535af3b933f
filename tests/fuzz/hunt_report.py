#!/usr/bin/env python3
"""Hunt: `juggle report` on damaged copies of real results files.

Each trial changes 1-8 random bytes of one of the seed results files and
runs `juggle report --format json` on it (every other trial with
`--study`). The report must end with exit 0 or 1, its stdout must be one
strict JSON document (no NaN or Infinity, valid UTF-8), and a refused file
must be named on stderr. Files that crash libhdf5 or overrun the time limit
are counted and kept in WORK/ (crash-*, timeout-*), since juggle reports
them without dying; a broken report is kept as broken-* and fails the hunt.

  hunt_report.py --juggle build/juggle --work /tmp/hunt --trials 500 --seed 1 \\
      tests/fuzz/corpus/results_reader/count.h5 tests/fuzz/corpus/results_reader/tokenize.h5
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys


def strict_constant(name):
    raise ValueError(f"{name} is not JSON")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--juggle", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--trials", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--read-timeout", default="5")
    ap.add_argument("seeds", nargs="+")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)
    seen = collections.Counter()
    for t in range(args.trials):
        data = bytearray(open(rng.choice(args.seeds), "rb").read())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = os.path.join(args.work, f"m{args.seed}-{t}.h5")
        open(path, "wb").write(data)
        study = ["--study"] if t % 2 else []
        run = subprocess.run([args.juggle, "report", *study, "--format", "json", "--read-timeout", args.read_timeout,
                              path], capture_output=True, timeout=600)
        err = run.stderr.decode(errors="replace")
        kind = "ok" if run.returncode == 0 else "refused"
        if "crashed reading it" in err or "failed in a way no error reports" in err:
            kind = "crash"
        elif "did not finish within" in err:
            kind = "timeout"
        try:
            if run.returncode not in (0, 1):
                raise ValueError(f"exit {run.returncode}")
            if run.returncode == 1 and f"juggle: {path}: " not in err:
                raise ValueError(f"refused without naming the file: {err!r}")
            json.loads(run.stdout.decode("utf-8"), parse_constant=strict_constant)
        except ValueError as e:
            kind = "broken"
            print(f"{path}: {e}", flush=True)
        seen[kind] += 1
        if kind in ("crash", "timeout", "broken"):
            os.replace(path, os.path.join(args.work, f"{kind}-{os.path.basename(path)}"))
        else:
            os.unlink(path)
    print(f"hunt_report: {args.trials} trials: " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    return 1 if seen["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
