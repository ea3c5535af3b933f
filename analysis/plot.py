#!/usr/bin/env python3
"""Plots of juggle results files (schema juggle-results v1 to v4), with matplotlib.

  python3 analysis/plot.py --out DIR FILE_OR_DIR...

For every results file: timeline-<name>.png (a Gantt chart of the events,
coloured by stage: on top one lane per step showing the time it ran (the
union of its events), with the stretches where two or more steps ran at once
shaded across the chart; then rank 0's fetch (and resolve) transfers on lanes
of their own, one per worker or transfer slot, since their `thread` is not an
OpenMP thread; then one lane per rank and thread; events too short to see
get a thin mark) and ranks-<name>.png (busy seconds per stage, stacked, for
each rank). For several configurations of
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
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

SIZE = (10, 6)  # inches, at DPI: 1000 x 600 pixels
DPI = 100


def load(path):
    with h5py.File(path, "r") as h5:
        attrs = dict(h5.attrs)
        if attrs.get("schema") != "juggle-results":
            raise ValueError("not a juggle results file")
        if int(attrs.get("schema_version", 0)) > 5:
            raise ValueError(f"schema version {attrs['schema_version']} is newer than this script reads")
        stages = list(h5["stages"].asstr()[:])
        ev = {k: h5["events"][k][:] for k in ("rank", "thread", "stage", "t_start", "t_end")}
        # Files from before /steps hold one step, named by the subcommand.
        if "steps" in h5:
            steps, ev["step"] = list(h5["steps"].asstr()[:]), h5["events"]["step"][:]
        else:
            steps, ev["step"] = [str(attrs.get("subcommand", "run"))], [0] * len(ev["rank"])
    return {"path": path, "attrs": attrs, "stages": stages, "steps": steps, "events": ev}


def label(run):
    a = run["attrs"]
    return f"{a.get('subcommand')} {a.get('mpi_ranks')}x{a.get('omp_threads')}"


def stage_colours(stages):
    cmap = plt.get_cmap("tab20")
    return {name: cmap(i % 20) for i, name in enumerate(stages)}


# Stages whose `thread` is a worker or transfer slot of rank 0's loop, or a
# thread of rank 0's own beside the workers (the walk), not an OpenMP
# thread, and the lane group they are drawn in. `fetch` and `walk` are whole
# stages, drawn on a lane of their own in that group.
WORKER_GROUPS = {"fetch": "fetch", "fetch_transfer": "fetch", "resolve_host": "resolve", "walk": "walk"}
WHOLE_STAGE = {"fetch", "walk"}
MARK_BELOW_PX = 2  # events narrower than this get a thin mark


def union(intervals):
    """Sorted, disjoint union of (start, end) pairs; empty ones (end <= start, NaN) dropped."""
    merged = []
    for a, b in sorted((a, b) for a, b in intervals if b > a):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def overlapping(unions):
    """Stretches in which two or more of the unions are open, as (start, end) pairs."""
    edges = sorted([(a, 1) for u in unions for a, _ in u] + [(b, -1) for u in unions for _, b in u],
                   key=lambda e: (e[0], e[1]))
    spans, open_, since = [], 0, None
    for t, step in edges:
        open_ += step
        if open_ >= 2 and since is None:
            since = t
        elif open_ < 2 and since is not None:
            if t > since:
                spans.append((since, t))
            since = None
    return spans


def pack(intervals):
    """For intervals sorted by start: a sub-lane each, the first free at its start."""
    ends, lanes = [], []
    for a, b in intervals:
        k = next((i for i, end in enumerate(ends) if end <= a), len(ends))
        if k == len(ends):
            ends.append(b)
        else:
            ends[k] = b
        lanes.append(k)
    return lanes


def event_lanes(run):
    """Each event's lane key and each key's label. Compute events: (rank, thread).
    Worker events: per (rank, group, slot), packed into sub-lanes when a slot's
    transfers overlap (a multi loop may record one slot for all of them)."""
    ev, stages = run["events"], run["stages"]
    keys = [None] * len(ev["rank"])
    labels = {}
    slots = defaultdict(list)
    for i, (r, t, s) in enumerate(zip(ev["rank"], ev["thread"], ev["stage"])):
        r, t, name = int(r), int(t), stages[int(s)]
        group = WORKER_GROUPS.get(name)
        if group is None:
            keys[i] = (2, r, "", t, 0)
            labels[keys[i]] = f"rank {r} thread {t}"
        elif name in WHOLE_STAGE:
            keys[i] = (1, r, group, -1, 0)
            labels[keys[i]] = f"rank {r} {group} stage"
        else:
            slots[(r, group, t)].append(i)
    for (r, group, t), members in slots.items():
        members.sort(key=lambda i: ev["t_start"][i])
        sub = pack([(ev["t_start"][i], ev["t_end"][i]) for i in members])
        for i, k in zip(members, sub):
            keys[i] = (1, r, group, t, k)
            labels[keys[i]] = f"rank {r} {group} slot {t}" + (f" #{k + 1}" if max(sub) else "")
    return keys, labels


def row_name(steps, step, stage):
    """The report's row name: "walk", or "tokenize/walk" in a run of several steps."""
    return stage if len(steps) < 2 or stage == steps[step] else f"{steps[step]}/{stage}"


def draw_steps(ax, run, step_unions):
    """Lanes 0.. : one per step that ran, its union; the stretches where two or
    more ran at once shaded across the chart. Returns lane names and legend
    handles; none for a run of one step, whose lane would repeat the chart."""
    ran = [name for name in run["steps"] if step_unions[name]]
    if len(ran) < 2:
        return [], []
    step_colours = {name: plt.get_cmap("Dark2")(i % 8) for i, name in enumerate(run["steps"])}
    names, handles = [], []
    for y, name in enumerate(ran):
        ax.broken_barh([(a, b - a) for a, b in step_unions[name]], (y - 0.35, 0.7), color=step_colours[name])
        names.append(f"step {name} ({sum(b - a for a, b in step_unions[name]):.3f} s)")
        handles.append(Patch(color=step_colours[name], label=f"step {name}"))
    shared = overlapping([step_unions[name] for name in ran])
    for a, b in shared:
        ax.axvspan(a, b, color="grey", alpha=0.15, linewidth=0, zorder=0)
    if shared:
        handles.append(Patch(color="grey", alpha=0.3, label="2+ steps at once"))
    return names, handles


def draw_events(ax, run, first_lane):
    """The events on lanes from `first_lane` on, coloured by row (step/stage).
    Returns lane names, legend handles, and the spans per (lane, row)."""
    ev, stages, steps = run["events"], run["stages"], run["steps"]
    keys, labels = event_lanes(run)
    lane_of = {k: first_lane + i for i, k in enumerate(sorted(labels))}
    groups, order = defaultdict(list), {}
    for i, (s, k, a, b) in enumerate(zip(ev["stage"], ev["step"], ev["t_start"], ev["t_end"])):
        row = row_name(steps, int(k), stages[int(s)])
        order.setdefault(row, (int(k), int(s)))
        groups[(lane_of[keys[i]], row)].append((a, b))
    rows = sorted(order, key=order.get)
    colours = {row: plt.get_cmap("tab20")(i % 20) for i, row in enumerate(rows)}
    # Longest events first, so the pieces of work are drawn over the rank-wide
    # spans (count, tokenize) that contain them.
    for (y, row), spans in sorted(groups.items(), key=lambda g: -max(b - a for a, b in g[1])):
        ax.broken_barh([(a, b - a) for a, b in spans], (y - 0.4, 0.8), facecolors=colours[row], edgecolor="white",
                       linewidth=0.3)
    handles = [Patch(color=colours[row], label=row) for row in rows]
    return [labels[k] for k in sorted(labels)], handles, groups, colours


def timeline(run, out):
    ev = run["events"]
    step_unions = {name: union((a, b) for a, b, k in zip(ev["t_start"], ev["t_end"], ev["step"]) if int(k) == i)
                   for i, name in enumerate(run["steps"])}
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
    step_lanes, handles = draw_steps(ax, run, step_unions)
    event_lane_names, event_handles, groups, colours = draw_events(ax, run, len(step_lanes))
    lane_names = step_lanes + event_lane_names
    ax.set_yticks(range(len(lane_names)))
    ax.set_yticklabels(lane_names, fontsize="small" if len(lane_names) <= 24 else "x-small")
    ax.set_ylim(max(len(lane_names), 1) - 0.5, -0.5)
    ax.set_xlabel("time since the run's epoch (s)")
    title = f"Timeline: {label(run)} — {os.path.basename(run['path'])}"
    if len(step_lanes) > 1:
        walls = sum(b - a for u in step_unions.values() for a, b in u)
        title += f"\nstep walls add to {walls:.3f} s; the run took {run_wall(run):.3f} s"
    ax.set_title(title, fontsize="medium")
    handles += event_handles
    handles.append(Line2D([], [], color="black", marker="v", linestyle="none", markersize=4,
                          label=f"event < {MARK_BELOW_PX} px wide"))
    # Outside the axes, so it never hides the bars it explains.
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", borderaxespad=0)
    fig.tight_layout()
    mark_short_events(ax, groups, colours)
    fig.savefig(out)
    plt.close(fig)


def mark_short_events(ax, groups, colours):
    """A thin vertical mark at each event narrower than MARK_BELOW_PX on the
    laid-out axes, which a bar alone would leave invisible."""
    left, right = ax.get_xlim()
    seconds_per_px = (right - left) / max(ax.get_window_extent().width, 1)
    for (y, row), spans in groups.items():
        short = [a for a, b in spans if b - a < MARK_BELOW_PX * seconds_per_px]
        if short:
            ax.vlines(short, y - 0.4, y + 0.4, colors=[colours[row]], linewidth=1.5)
            ax.plot(short, [y - 0.45] * len(short), marker="v", markersize=3, color="black", linestyle="none")


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
