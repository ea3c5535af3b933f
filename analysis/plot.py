#!/usr/bin/env python3
"""Plots of juggle results files (schema juggle-results v1), with matplotlib.

  python3 analysis/plot.py --out DIR FILE_OR_DIR...

For every results file: timeline-<name>.png (a Gantt chart of the events,
one lane per rank and thread, coloured by stage) and ranks-<name>.png (busy
seconds per stage, stacked, for each rank). For several configurations of
the same subcommand (a scaling study): speedup.png (speedup of the whole run
against cores, with the ideal line) and efficiency.png. Reads only the
documented schema; runs headless (Agg). Needs h5py and matplotlib (Debian:
python3-h5py, python3-matplotlib).
"""
import argparse
import os
import statistics
import sys
from collections import defaultdict

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SIZE = (10, 6)  # inches, at DPI: 1000 x 600 pixels
DPI = 100


def load(path):
    with h5py.File(path, "r") as h5:
        attrs = dict(h5.attrs)
        if attrs.get("schema") != "juggle-results":
            raise ValueError("not a juggle results file")
        if int(attrs.get("schema_version", 0)) > 1:
            raise ValueError(f"schema version {attrs['schema_version']} is newer than this script reads")
        stages = list(h5["stages"].asstr()[:])
        ev = {k: h5["events"][k][:] for k in ("rank", "thread", "stage", "t_start", "t_end")}
    return {"path": path, "attrs": attrs, "stages": stages, "events": ev}


def label(run):
    a = run["attrs"]
    return f"{a.get('subcommand')} {a.get('mpi_ranks')}x{a.get('omp_threads')}"


def stage_colours(stages):
    cmap = plt.get_cmap("tab20")
    return {name: cmap(i % 20) for i, name in enumerate(stages)}


def timeline(run, out):
    ev, stages = run["events"], run["stages"]
    colours = stage_colours(stages)
    lanes = sorted({(int(r), int(t)) for r, t in zip(ev["rank"], ev["thread"])})
    lane_of = {lane: i for i, lane in enumerate(lanes)}
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
    seen = set()
    # Longest first, so the pieces of work are drawn over the rank-wide spans
    # (count, tokenize) that contain them.
    order = sorted(zip(ev["rank"], ev["thread"], ev["stage"], ev["t_start"], ev["t_end"]), key=lambda e: e[3] - e[4])
    for r, t, s, a, b in order:
        name = stages[int(s)]
        ax.barh(lane_of[(int(r), int(t))], max(b - a, 1e-6), left=a, height=0.8, color=colours[name],
                edgecolor="white", linewidth=0.3, label=None if name in seen else name)
        seen.add(name)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels([f"rank {r} thread {t}" for r, t in lanes])
    ax.invert_yaxis()
    ax.set_xlabel("time since the run's epoch (s)")
    ax.set_title(f"Timeline: {label(run)} — {os.path.basename(run['path'])}")
    # Outside the axes, so it never hides the bars it explains.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", borderaxespad=0)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def rank_bars(run, out):
    ev, stages = run["events"], run["stages"]
    colours = stage_colours(stages)
    busy = defaultdict(lambda: defaultdict(float))
    for r, s, a, b in zip(ev["rank"], ev["stage"], ev["t_start"], ev["t_end"]):
        busy[stages[int(s)]][int(r)] += b - a
    ranks = sorted({int(r) for r in ev["rank"]})
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
    bottom = [0.0] * len(ranks)
    for name in stages:
        if name not in busy:
            continue
        heights = [busy[name].get(r, 0.0) for r in ranks]
        ax.bar([str(r) for r in ranks], heights, bottom=bottom, color=colours[name], label=name)
        bottom = [x + h for x, h in zip(bottom, heights)]
    ax.set_xlabel("rank")
    ax.set_ylabel("busy time (thread-seconds)")
    ax.set_title(f"Busy time per stage and rank: {label(run)} — {os.path.basename(run['path'])}")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def run_wall(run):
    ev = run["events"]
    return float(max(ev["t_end"]) - min(ev["t_start"])) if len(ev["t_end"]) else 0.0


def study(runs, out_dir):
    """Speedup and efficiency of the whole run against cores, per subcommand."""
    groups = defaultdict(lambda: defaultdict(list))
    for run in runs:
        a = run["attrs"]
        cores = int(a.get("mpi_ranks", 1)) * int(a.get("omp_threads", 1))
        groups[a.get("subcommand")][(int(a.get("mpi_ranks", 1)), int(a.get("omp_threads", 1)), cores)].append(
            run_wall(run))
    written = []
    for kind, ylabel, ideal in (("speedup", "speedup (baseline wall / wall)", lambda c, b: c / b),
                                ("efficiency", "parallel efficiency", lambda c, b: 1.0)):
        fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
        plotted = False
        for sub, configs in sorted(groups.items()):
            if len(configs) < 2:
                continue
            base = min(configs, key=lambda k: (k[2], k))
            base_wall = statistics.median(configs[base])
            points = sorted((k[2], base_wall / statistics.median(w), f"{k[0]}x{k[1]}") for k, w in configs.items())
            xs = [p[0] for p in points]
            ys = [p[1] if kind == "speedup" else p[1] / (p[0] / base[2]) for p in points]
            ax.plot(xs, ys, "o-", label=f"{sub} (baseline {base[0]}x{base[1]})")
            for x, y, name in zip(xs, ys, (p[2] for p in points)):
                ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize="small")
            ax.plot(xs, [ideal(x, base[2]) for x in xs], "--", color="grey", label="ideal")
            plotted = True
        if plotted:
            ax.set_xlabel("cores (ranks x threads)")
            ax.set_ylabel(ylabel)
            ax.set_title(f"Scaling study: {kind} of the whole run ({len(runs)} runs)")
            ax.legend(fontsize="small")
            fig.tight_layout()
            path = os.path.join(out_dir, f"{kind}.png")
            fig.savefig(path)
            written.append(path)
        plt.close(fig)
    return written


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("paths", nargs="+")
    p.add_argument("--out", required=True, help="directory for the PNG files")
    args = p.parse_args()
    files = []
    for path in args.paths:
        found = [path]
        if os.path.isdir(path):
            found = sorted(os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith(".h5"))
        files += [f for f in found if os.path.realpath(f) not in {os.path.realpath(x) for x in files}]
    os.makedirs(args.out, exist_ok=True)
    runs, status = [], 0
    for path in files:
        try:
            runs.append(load(path))
        except (OSError, ValueError, KeyError) as e:
            print(f"plot.py: {path}: {e}", file=sys.stderr)
            status = 1
    written = []
    for run in runs:
        stem = os.path.splitext(os.path.basename(run["path"]))[0]
        for make, prefix in ((timeline, "timeline"), (rank_bars, "ranks")):
            path = os.path.join(args.out, f"{prefix}-{stem}.png")
            make(run, path)
            written.append(path)
    written += study(runs, args.out)
    for path in written:
        print(path)
    return status


if __name__ == "__main__":
    sys.exit(main())
