"""The benchmark's figures as a juggle results file (schema juggle-results
v1, docs/results-format.md): the usual root attributes and (empty) event
tables, one step "bench", and a /bench table with one row per contender,
which `juggle report` prints. The file is written under a temporary name
and renamed when complete, like juggle's own.

And what the benchmark reads from juggle's own results files: a count's
outcome, and how evenly the workers of a run were loaded."""
import datetime
import os

import h5py
import numpy as np

STR = h5py.string_dtype("utf-8")


def write_bench_results(path, rows, checks, facts):
    temp = f"{os.path.dirname(path) or '.'}/.{os.path.basename(path)}.partial-{os.getpid()}"
    with h5py.File(temp, "w") as h5:
        a = h5.attrs
        a["schema"] = "juggle-results"
        a["schema_version"] = np.int64(1)
        a["subcommand"] = "bench"
        a["created_utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        a["hostname"] = facts["hostname"]
        a["mpi_ranks"] = np.int64(1)
        a["omp_threads"] = np.int64(1)
        a["bench_scale"] = float(facts["bench_scale"])
        a["bench_repeats"] = np.int64(facts["bench_repeats"])
        a["cores"] = np.int64(facts["cores"])
        a["command_line"] = f"bench/bench.py --juggle {facts['juggle']}"
        h5.create_dataset("stages", data=np.array([], dtype=object), dtype=STR)
        h5.create_dataset("steps", data=np.array(["bench"], dtype=object), dtype=STR)
        ev = h5.create_group("events")
        for name, dtype in (("rank", np.int32), ("thread", np.int32), ("stage", np.int32), ("step", np.int32),
                            ("t_start", np.float64), ("t_end", np.float64), ("bytes", np.uint64),
                            ("items", np.uint64)):
            ev.create_dataset(name, data=np.array([], dtype=dtype))
        b = h5.create_group("bench")

        def column(name, values, dtype):
            if dtype is STR:
                b.create_dataset(name, data=np.array(values, dtype=object), dtype=STR)
            else:
                b.create_dataset(name, data=np.array(values, dtype=dtype))
        column("case", [r["case"] for r in rows], STR)
        column("contender", [r["contender"] for r in rows], STR)
        column("config", [r["config"] for r in rows], STR)
        column("runs", [r["runs"] for r in rows], np.int64)
        nan = float("nan")
        column("median_s", [r["median_s"] if r["median_s"] is not None else nan for r in rows], np.float64)
        column("min_s", [r["min_s"] if r["min_s"] is not None else nan for r in rows], np.float64)
        column("max_s", [r["max_s"] if r["max_s"] is not None else nan for r in rows], np.float64)
        column("mb_per_s", [r["mb_per_s"] for r in rows], np.float64)
        column("ratio_to_reference", [r["ratio"] for r in rows], np.float64)
        column("peak_rss_kb", [r["peak_rss_kb"] for r in rows], np.int64)
        column("reference", [1 if r["reference"] else 0 for r in rows], np.uint8)
        column("note", [r["note"] for r in rows], STR)
        t = h5.create_group("bench_targets")
        t.create_dataset("target", data=np.array([text for text, _ in checks], dtype=object), dtype=STR)
        t.create_dataset("met", data=np.array([-1 if met is None else int(met) for _, met in checks], dtype=np.int8))
    os.rename(temp, path)
    return path


# The stages whose events are one piece of work done by one worker thread.
PIECE_STAGES = ("count_file", "tokenize_piece", "count_tokenize_piece")


def piece_imbalance_pct(path):
    """max / mean - 1, in %, of the seconds each worker (rank, thread)
    spent on pieces, from /events. At N x 1 that is `juggle report`'s
    imbalance (busy max/mean - 1 over ranks) of the piece stages taken
    together; at 1 x N report's figure is 0 by construction (one rank), so
    workers are compared, not ranks. Raises RuntimeError when unreadable."""
    try:
        with h5py.File(path, "r") as h5:
            ranks, threads = int(h5.attrs["mpi_ranks"]), int(h5.attrs["omp_threads"])
            stages = _strings(h5["stages"])
            ev = h5["events"]
            rank, thread, stage = ev["rank"][:], ev["thread"][:], ev["stage"][:]
            seconds = ev["t_end"][:] - ev["t_start"][:]
    except (OSError, KeyError) as e:
        raise RuntimeError(f"{path}: {e}") from e
    # Every worker of the layout, so one that got no piece counts as idle.
    busy = {(r, t): 0.0 for r in range(ranks) for t in range(threads)}
    pieces = np.isin(stage, [i for i, name in enumerate(stages) if name in PIECE_STAGES])
    for r, t, s in zip(rank[pieces], thread[pieces], seconds[pieces]):
        busy[(int(r), int(t))] = busy.get((int(r), int(t)), 0.0) + max(0.0, float(s))
    mean = sum(busy.values()) / len(busy) if busy else 0.0
    if mean <= 0:
        raise RuntimeError(f"{path}: no piece events")
    return 100.0 * (max(busy.values()) / mean - 1)


def count_outcome(path):
    """A `juggle count` results file's totals: lines, bytes_out (of the
    files that decoded completely) and the paths of the files that did not."""
    with h5py.File(path, "r") as h5:
        total = h5["count/total"].attrs
        files = h5["count/files"]
        paths, status = _strings(files["path"]), _strings(files["status"])
        return {"lines": int(total["lines"]), "bytes_out": int(total["bytes_out"]),
                "failed": [p for p, s in zip(paths, status) if s != "ok"]}


def _strings(dataset):
    return [v.decode() if isinstance(v, bytes) else v for v in dataset[:]]
