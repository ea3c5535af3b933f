"""Timing commands the fair way: each contender is a whole command (shell
pipelines included), timed from fork to exit with its peak RSS (the largest
process of the command, from wait4), and contenders take turns round by
round, each round starting with a different one, so a slow spell of the
machine touches them alike instead of one of them."""
import os
import statistics
import subprocess
import tempfile
import threading
import time

GNU_TIME = "/usr/bin/time"  # Debian package time


class Contender:
    def __init__(self, name, cmd, config="", reference=False, check=None, env=None, skip="", before=None,
                 observe=None, exits=(0,)):
        self.name = name          # e.g. "igzip -dc | wc -l"
        self.cmd = cmd            # argv list, or a string run by bash -c
        self.config = config      # e.g. "1x2"
        self.reference = reference
        self.check = check        # check(stdout) -> "" or the reason the output is wrong
        self.env = env or {}
        self.skip = skip          # why it cannot run here ("" = runs)
        self.before = before      # untimed, before every run: puts the contender's world in a known state
        self.observe = observe    # untimed, after every checked run: observe(stdout) -> {figure: value}
        self.exits = exits        # exit statuses that are a success (juggle: 1 when some inputs failed)
        self.walls = []
        self.rss_kb = []
        self.figures = []         # what observe returned, one dict per recorded run
        self.failure = ""

    @property
    def label(self):
        return f"{self.name} {self.config}".strip()


def run_once(contender, timeout):
    """Wall seconds, peak RSS (KB) and observed figures of one run; raises
    on failure.

    The RSS comes from GNU time (%M): the kernel's peak RSS of a process
    started by exec also counts the memory of the process that forked it,
    so measured from this Python harness (~50 MB) every contender would show
    at least that. GNU time is small; for a pipeline run by bash it reports
    the largest of the pipeline's processes."""
    cmd = contender.cmd if isinstance(contender.cmd, list) else ["bash", "-o", "pipefail", "-c", contender.cmd]
    env = dict(os.environ, **contender.env)
    if contender.before:
        contender.before()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rss.name] + cmd, env=env, stdout=out, stderr=err)
        # A blocking wait, and a timer for the timeout: Popen.wait(timeout=)
        # polls with sleeps of up to 50 ms, which rounded every time up to
        # the next 50 ms step.
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        proc.wait()
        wall = time.perf_counter() - start
        timer.cancel()
        if wall >= timeout:
            raise RuntimeError(f"timed out after {timeout} s")
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        peak = rss.read().strip().splitlines()
    if proc.returncode not in contender.exits:
        raise RuntimeError(f"exit {proc.returncode}: {stderr.strip()[-300:]}")
    if contender.check:
        why = contender.check(stdout)
        if why:
            raise RuntimeError(f"wrong output: {why}")
    figures = contender.observe(stdout) if contender.observe else {}
    return wall, int(peak[-1]) if peak and peak[-1].isdigit() else 0, figures


def alternate(contenders, repeats, timeout, log, warmup=0):
    """Round-robin runs: every contender once per round, rotating the start.
    The first `warmup` rounds are run and checked but not recorded."""
    active = [c for c in contenders if not c.skip]
    for r in range(warmup + repeats):
        order = active[r % len(active):] + active[:r % len(active)] if active else []
        for c in order:
            if c.failure:
                continue
            try:
                wall, rss, figures = run_once(c, timeout)
            except RuntimeError as e:
                c.failure = str(e)
                log(f"  {c.label}: FAILED: {c.failure}")
                continue
            if r < warmup:
                log(f"  warm-up: {c.label}: {wall:.3f} s (not recorded)")
                continue
            c.walls.append(wall)
            c.rss_kb.append(rss)
            c.figures.append(figures)
            log(f"  round {r + 1 - warmup}: {c.label}: {wall:.3f} s")


def summary(c):
    if not c.walls:
        return None
    return {"median": statistics.median(c.walls), "min": min(c.walls), "max": max(c.walls)}
