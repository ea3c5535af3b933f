"""What the CLI test drivers share: failing with a message, and running juggle
(under mpiexec when ranks > 0) with a timeout, echoing its output."""
import subprocess
import sys

TIMEOUT = 300


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def run_juggle(juggle, juggle_args, ranks=0, mpiexec="mpiexec"):
    cmd = [juggle] + list(juggle_args)
    if ranks > 0:
        cmd = [mpiexec, "-n", str(ranks), "--oversubscribe"] + cmd
    print("+ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result
