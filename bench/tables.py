"""From measured contenders to the rows of a case's table: each contender's
walls summarised, its throughput, its ratio to the case's reference, and
the medians of any figures it observed (imbalance, juggle's own wall),
printed as the table `make bench` shows and written to the results file."""
import statistics

import corpora
from measure import alternate, summary


def rows_of(case, runs, basis_bytes):
    """One row per contender: its walls summarised, its throughput over
    `basis_bytes`, its ratio to the case's reference, and the median of
    each figure it observed."""
    rows = []
    for c in runs:
        s = summary(c)
        rows.append({"case": case, "contender": c.name, "config": c.config, "reference": c.reference,
                     "runs": len(c.walls), "median_s": s["median"] if s else None, "min_s": s["min"] if s else None,
                     "max_s": s["max"] if s else None, "peak_rss_kb": max(c.rss_kb) if c.rss_kb else 0,
                     "mb_per_s": basis_bytes / 1e6 / s["median"] if s else 0.0, "ratio": float("nan"),
                     "note": c.skip or c.failure, "figures": figure_medians(c.figures)})
    ref = next((r for r in rows if r["reference"] and r["median_s"]), None)
    for r in rows:
        if ref and r["median_s"]:
            r["ratio"] = ref["median_s"] / r["median_s"]
    return rows


def figure_medians(figures):
    """{name: median over the rounds} of the figures a contender observed."""
    names = sorted({name for f in figures for name in f})
    return {name: statistics.median(f[name] for f in figures if name in f) for name in names}


def find(rows, case, contender, config=""):
    for r in rows:
        if r["case"] == case and r["contender"] == contender and r["config"] == config and r["median_s"]:
            return r
    return None


def table(title, rows, log):
    log(f"\n{title}")
    head = f"  {'contender':36} {'config':6} {'median s':>9} {'min-max s':>17} {'MB/s':>9} {'vs ref':>8} {'RSS MiB':>8}"
    log(head)
    for r in rows:
        if r["median_s"] is None:
            log(f"  {r['contender']:36} {r['config']:6} {'-':>9}   ({r['note']})")
            continue
        mark = " (ref)" if r["reference"] else ""
        figures = "".join(f"  {name} {value:.3f}" for name, value in r["figures"].items())
        log(f"  {r['contender']:36} {r['config']:6} {r['median_s']:9.3f} {r['min_s']:8.3f}-{r['max_s']:<8.3f} "
            f"{r['mb_per_s']:9.1f} {r['ratio']:7.2f}x {r['peak_rss_kb'] / 1024:8.1f}{mark}{figures}")


def measure_case(case, title, runs, basis_bytes, folders, rounds, timeout, log):
    """The usual course of a case: its inputs read once (so the first
    contender does not pay for the disk), the contenders in turns, its table."""
    log(f"\n{title}")
    for folder in folders:
        corpora.warm(folder)
    alternate(runs, rounds, timeout, log)
    rows = rows_of(case, runs, basis_bytes)
    table(title, rows, log)
    return rows
