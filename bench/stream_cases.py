"""Issue 16's cases: what the piece engine is for, each measured against
juggle's own stages run alone, in the same run.

- pipeline: `juggle run` downloading while it counts and tokenizes, against
  downloading alone and counting + tokenizing alone the same local files.
- decode-once: `juggle run` counting and tokenizing gzip files, against
  `juggle tokenize` alone on them.
- many-small-files: `juggle count` over the gzip files of /usr/share/man and
  /usr/share/doc, against find | xargs igzip -dc | wc -l.
- balance: a corpus of mixed costs per byte; the workers' imbalance read
  from each run's results file.

Each case function takes the bench's context (bench.py main) and returns
its table's rows; bench.py checks the targets."""
import math
import os
import shutil
import subprocess

import contenders
import corpora
from measure import run_once
from results_h5 import count_outcome
from serve_files import FileServer
from tables import measure_case

CASES = ("pipeline", "decode-once", "many-small-files", "balance")

# Transfers at once in the pipeline case: few, so that files land in a
# steady stream of small waves while the workers compute, not all at once.
FETCH_CONCURRENCY = 4


def run(case, ctx):
    return {"pipeline": pipeline, "decode-once": decode_once, "many-small-files": many_small_files,
            "balance": balance}[case](ctx)


def pipeline(ctx):
    """bench_file_server has a latency per request but no rate limit, so
    the time of fetching alone is set by the latency: measured first (one
    untimed run, which also warms the cache), counting + tokenizing alone at
    1 x 2 takes C seconds; with ceil(n / 4) waves of 4 transfers, a latency
    of C / waves makes fetching alone take about C too. Only then does the
    ratio wall(pipeline) / max(fetch alone, compute alone) show the overlap:
    1 when it is perfect, 2 when the stages run one after the other."""
    folder, lines, text, names = corpora.pipeline_gz(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    compressed = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    out = ctx.output_dir(ctx.work, "pipeline", 4 * compressed)
    urls = os.path.join(ctx.work, "pipeline.urls")
    runs = contenders.pipeline(ctx.work, folder, lines, names, urls, out, ctx.juggle, ctx.mpirun, FETCH_CONCURRENCY)
    waves = math.ceil(len(names) / FETCH_CONCURRENCY)
    compute_s = compute_alone_seconds(runs, ctx)
    latency_ms = max(1.0, 1000 * compute_s / waves) if compute_s else 50.0
    try:
        with FileServer(folder, latency_ms, program=ctx.server) as server:
            with open(urls, "w") as f:  # in name order, as the local walk takes the files
                f.writelines(f"http://127.0.0.1:{server.port}/{name}\n" for name in names)
            title = (f"pipeline: {len(names)} gzip files, {compressed / 1e6:.0f} MB ({text / 1e6:.0f} MB of text), "
                     f"fetched {FETCH_CONCURRENCY} at a time at {latency_ms:.1f} ms latency "
                     f"({waves} waves: about as long as computing alone)")
            return measure_case("pipeline", title, runs, text, [folder], ctx.repeats, ctx.timeout, ctx.log)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def compute_alone_seconds(runs, ctx):
    """One untimed, checked run of counting + tokenizing alone at 1 x 2;
    None when it fails (the contender is then failed: it would fail timed)."""
    alone = next(c for c in runs if c.name == contenders.RUN_LOCAL and c.config == "1x2")
    try:
        wall = run_once(alone, ctx.timeout)[0]
    except RuntimeError as e:
        alone.failure = str(e)
        ctx.log(f"  {alone.label}: FAILED: {alone.failure}")
        return None
    ctx.log(f"\npipeline: counting + tokenizing alone at 1x2 took {wall:.3f} s (untimed, sets the latency)")
    return wall


def decode_once(ctx):
    folder, lines, text, names = corpora.pipeline_gz(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    runs = contenders.decode_once(ctx.work, folder, lines, ctx.juggle, ctx.mpirun)
    title = f"decode once: {len(names)} gzip files ({text / 1e6:.0f} MB of text), count + tokenize vs tokenize alone"
    return measure_case("decode-once", title, runs, text, [folder], ctx.repeats, ctx.timeout, ctx.log)


def many_small_files(ctx):
    roots, files = corpora.system_gzip(ctx.work, ctx.scale, ctx.log)
    if roots is None:
        ctx.log(f"\nmany-small-files: skipped: {files} gzip files under {', '.join(corpora.SYSTEM_GZIP_DIRS)}, "
                f"fewer than {corpora.SYSTEM_GZIP_MIN}")
        return []
    outcome = probe_count(roots, ctx)
    runs = contenders.many_small_files(ctx.work, roots, outcome, ctx.juggle, ctx.mpirun)
    title = (f"many small files: {files} gzip files under {', '.join(roots)} ({outcome['bytes_out'] / 1e6:.0f} MB "
             f"of text, {outcome['lines']} lines; {len(outcome['failed'])} that do not decode left out)")
    # The probe has read every file: no warming (corpora.warm reads one folder, not a tree).
    return measure_case("many-small-files", title, runs, outcome["bytes_out"], [], ctx.repeats, ctx.timeout, ctx.log)


def probe_count(roots, ctx):
    """An untimed `juggle count` of `roots`: the totals to check every
    contender against, and the files that do not decode completely."""
    path = os.path.join(ctx.work, "many-small-files-probe.h5")
    done = subprocess.run([ctx.juggle, "count", "--threads", "2", "--output", path, "--force"] + roots,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench: many-small-files: juggle count exited {done.returncode}: {done.stderr[-300:]}")
    outcome = count_outcome(path)
    for failed in outcome["failed"]:
        ctx.log(f"  does not decode, left out: {failed}")
    return outcome


def balance(ctx):
    small, big, lines, text = corpora.skewed(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    runs = contenders.balance(ctx.work, small, big, lines, ctx.juggle, ctx.mpirun)
    title = (f"balance: {small} (gzip) + {big} (3 large text files), {text / 1e6:.0f} MB of text; "
             f"imbalance_pct = piece time per worker, max/mean - 1")
    return measure_case("balance", title, runs, text, [small, big], ctx.repeats, ctx.timeout, ctx.log)
