"""What the CLI test drivers share: failing with a message, and running juggle
(under mpiexec when ranks > 0) with a timeout, echoing its output."""
import argparse
import os
import shutil
import subprocess
import sys

TIMEOUT = 300


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def parse_args(modes, add_arguments):
    """The drivers' common arguments, plus their own; a fresh --work folder."""
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=sorted(modes))
    p.add_argument("--juggle", required=True)
    p.add_argument("--mpiexec", default="mpiexec")
    p.add_argument("--corpus", default="")
    p.add_argument("--work", required=True)
    p.add_argument("--ranks", type=int, default=0, help="0: run without mpiexec")
    p.add_argument("--threads", type=int, default=1)
    add_arguments(p)
    args = p.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work, exist_ok=True)
    modes[args.mode](args)


def run_juggle(juggle, juggle_args, ranks=0, mpiexec="mpiexec"):
    cmd = [juggle] + list(juggle_args)
    if ranks > 0:
        cmd = [mpiexec, "-n", str(ranks), "--oversubscribe"] + cmd
    print("+ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result
