"""What the CLI test drivers share: failing with a message, and running juggle
(under mpiexec when ranks > 0) with a timeout, echoing its output."""
import argparse
import json
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


def strict_json(text, what):
    """text parsed as exactly one JSON document, refusing NaN and Infinity
    (which json.loads accepts and no other JSON reader does)."""
    def constant(name):
        fail(f"{what}: JSON holds {name}")
    return json.loads(text, parse_constant=constant)


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


def partials(folder):
    """The fetch stage's temporaries left in `folder`."""
    return [n for n in os.listdir(folder) if n.endswith(".partial")] if os.path.isdir(folder) else []


def expect_interrupted_cleanly(sig, returncode, stderr, out, results, under_mpiexec=False):
    """An interrupted fetch or run: exit 128 + signal with its line (under
    mpiexec, whose status is its own and which may kill a rank before its
    line is out, only non-zero), no temporary in `out`, nothing in `results`."""
    if under_mpiexec:
        expect(returncode != 0, f"{sig.name} under mpiexec: exit 0")
    else:
        expect(returncode == 128 + sig, f"{sig.name}: exit {returncode}, expected {128 + sig}")
        expect("interrupted by signal" in stderr, f"{sig.name}: no message: {stderr[-300:]}")
    expect(partials(out) == [], f"{sig.name}: temporaries left: {partials(out)}")
    expect(os.listdir(results) == [], f"{sig.name}: results written: {os.listdir(results)}")


def run_juggle(juggle, juggle_args, ranks=0, mpiexec="mpiexec"):
    cmd = [juggle] + list(juggle_args)
    if ranks > 0:
        cmd = [mpiexec, "-n", str(ranks), "--oversubscribe"] + cmd
    print("+ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result
