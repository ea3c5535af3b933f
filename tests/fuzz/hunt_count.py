#!/usr/bin/env python3
"""Differential hunt: `juggle count` against zcat on damaged gzip files.

Each trial copies a small generated corpus, damages one file (1-4 random
bytes changed, cut at a random byte, or 1-30 random bytes appended), runs
`juggle count --per-file` with a random inflate backend (and, half the
time, files cut into small pieces: --split always, BGZF ranges or deflate chunks), and compares with
`zcat FILE | wc -l` and zcat's exit status: where zcat succeeds (0) or
warns (2) juggle must count the same lines and warn exactly when zcat does;
where zcat fails (1) juggle must fail that file and name it; juggle's exit
is 0 or 1 and it writes at most one line to stderr. Disagreeing inputs are
kept in WORK/disagree-*.gz. Libfuzzer compares juggle's two decoders with
each other; this compares juggle with gzip itself.

  hunt_count.py --juggle build/juggle --work /tmp/hunt --trials 1000 --seed 1
"""
import argparse
import os
import random
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--juggle", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--trials", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    base = os.path.join(args.work, "base")
    if not os.path.isdir(base):
        subprocess.run([args.juggle, "gen", "--out", base, "--files", "6", "--size", "600KiB", "--seed", "3"],
                       check=True, capture_output=True, timeout=120)
        # One file as bgzip writes it (members of 64 KiB), for the ranges' path.
        if shutil.which("bgzip"):
            first = sorted(f for f in os.listdir(base) if f.endswith(".gz"))[0]
            subprocess.run(f"zcat '{os.path.join(base, first)}' | bgzip -c > '{os.path.join(base, 'zz-bgzf.gz')}'",
                           shell=True, check=True, timeout=120)
    files = sorted(f for f in os.listdir(base) if f.endswith(".gz"))
    trial_dir = os.path.join(args.work, "trial")
    disagreements = 0
    for t in range(args.trials):
        shutil.rmtree(trial_dir, ignore_errors=True)
        shutil.copytree(base, trial_dir)
        path = os.path.join(trial_dir, rng.choice(files))
        data = bytearray(open(path, "rb").read())
        how = rng.random()
        if how < 0.6:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how < 0.8:
            data = data[:rng.randrange(len(data))]
        else:
            data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
        open(path, "wb").write(data)
        backend = rng.choice(["auto", "zlib", "isal"])
        split = rng.choice([[], ["--split", "always", "--split-bytes", rng.choice(["2KiB", "16KiB", "64KiB"])]])
        run = subprocess.run([args.juggle, "count", "--no-output", "--per-file", "--threads", "2", "--inflate",
                              backend] + split + [trial_dir], capture_output=True, timeout=120)
        zcat = subprocess.run(f"zcat '{path}' | wc -l; exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash",
                              capture_output=True, timeout=120)
        zcat_lines, zcat_status = int(zcat.stdout.split()[0]), zcat.returncode
        err = run.stderr.decode(errors="replace")
        counted = {}
        for line in run.stdout.decode(errors="replace").splitlines():
            n, _, name = line.partition(" ")
            if n.isdigit():
                counted[name] = int(n)
        problems = []
        if run.returncode not in (0, 1):
            problems.append(f"juggle exit {run.returncode}")
        if len([l for l in err.splitlines() if l.strip()]) > 1:
            problems.append(f"more than one stderr line: {err!r}")
        if zcat_status in (0, 2):
            if run.returncode != 0 or counted.get(path) != zcat_lines:
                problems.append(f"zcat {zcat_lines} lines, juggle {counted.get(path)} (exit {run.returncode})")
            if (zcat_status == 2) != ("warning" in err):
                problems.append(f"zcat exit {zcat_status}, juggle said {err.strip()!r}")
        elif run.returncode != 1 or path not in err:
            problems.append(f"zcat failed ({zcat.stderr.decode(errors='replace').strip()}), juggle exit "
                            f"{run.returncode} said {err.strip()!r}")
        if problems:
            disagreements += 1
            keep = os.path.join(args.work, f"disagree-{args.seed}-{t}.gz")
            shutil.copy(path, keep)
            print(f"{keep} (--inflate {backend} {' '.join(split)}): {'; '.join(problems)}", flush=True)
    print(f"hunt_count: {args.trials} trials, {disagreements} disagreement(s) with zcat")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
