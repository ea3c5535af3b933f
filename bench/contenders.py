"""Who runs against whom, per case: the tools a user would pick instead of
juggle (each skipped with a note when it is not installed), the teaching
program's Python approaches, and juggle at 1 x 1, 1 x N threads and N x 1
ranks (N = the machine's cores); for issue 16's cases, juggle's stages
alone against the same stages in one `juggle run`. Every contender's output
is checked, so a fast wrong answer never makes the table."""
import json
import os
import re
import shlex
import shutil
import sys

from measure import Contender
from results_h5 import piece_imbalance_pct

HERE = os.path.dirname(os.path.abspath(__file__))


def _missing(*tools):
    gone = [t for t in tools if shutil.which(t) is None]
    return f"{', '.join(gone)} not installed" if gone else ""


def _expect_number(expected):
    def check(out):
        numbers = re.findall(r"\d+", out)
        return "" if numbers and int(numbers[0]) == expected else f"printed {out.strip()[:80]!r}, expected {expected}"
    return check


def _expect_check_line(pattern):
    def check(out):
        m = re.search(r"^check: .*$", out, re.M)
        if not m:
            return "no check line"
        return "" if re.search(pattern, m.group(0)) else f"{m.group(0)} lacks {pattern}"
    return check


def _expect_check_lines(pattern, times):
    """`times` check lines, each matching `pattern` (runs printing at once)."""
    def check(out):
        lines = _check_lines(out)
        if len(lines) != times:
            return f"{len(lines)} check lines, expected {times}"
        return next((f"{line} lacks {pattern}" for line in lines if not re.search(pattern, line)), "")
    return check


def _check_lines(out, pattern=r"^check: .*$"):
    return re.findall(pattern, out, re.M)


def _agreeing(runs, pattern=r"^check: .*$"):
    """`runs` whose checks also demand that every one of them prints the
    same lines matching `pattern` (by default all `check:` lines) as the
    first that ran: equal answers for any layout and any way of running."""
    first = {}

    def agree(out):
        lines = _check_lines(out, pattern)
        if not lines:
            return f"no line matching {pattern}"
        first.setdefault("lines", lines)
        return "" if lines == first["lines"] else f"{lines} differ from {first['lines']}"
    for c in runs:
        c.check = (lambda out, own=c.check: own(out) or agree(out)) if c.check else agree
    return runs


def juggle_at(juggle, mpirun, args, layouts, check, name="juggle", **contender):
    """juggle with `args` (a list after the binary) at each (ranks, threads)
    of `layouts`; more ranks than one go through mpirun, unbound, so each
    rank may use any core."""
    runs = []
    for ranks, threads in layouts:
        launch = mpirun + ["-np", str(ranks), "--bind-to", "none"] if ranks > 1 else []
        runs.append(Contender(name, launch + [juggle] + args + ["--threads", str(threads)], f"{ranks}x{threads}",
                              check=check, **contender))
    return runs


def juggle_pair(juggle, args, name, pattern):
    """juggle 1 x 1 with `args` twice at once, as two processes: what this
    machine gives two workers that share nothing (bench.py's pair_ceiling).
    Each run's check line must match `pattern`."""
    one = shlex.join([juggle] + args + ["--threads", "1"])
    return Contender(f"{name} 1x1, twice at once", f"{one} & {one}; wait", PAIR,
                     check=_expect_check_lines(pattern, 2))


def juggle_layouts(juggle, mpirun, cores, args, check, **contender):
    """juggle at 1 x 1, 1 x N and N x 1 with `args` (a list after the binary)."""
    return juggle_at(juggle, mpirun, args, [(1, 1)] + ([(1, cores), (cores, 1)] if cores > 1 else []), check,
                     **contender)


def count(folder, lines, juggle, mpirun, cores, python):
    q = shlex.quote(folder)
    files = f"find {q} -name '*.gz' -print0 | sort -z | xargs -0"
    check = _expect_number(lines)
    out = [
        Contender("xargs zcat | wc -l", f"{files} zcat | wc -l", check=check),
        Contender("xargs gzip -dc | wc -l", f"{files} gzip -dc | wc -l", check=check),
        Contender("xargs pigz -dc | wc -l", f"{files} pigz -dc | wc -l", check=check, skip=_missing("pigz")),
        Contender("xargs igzip -dc | wc -l", f"{files} igzip -dc | wc -l", check=check, skip=_missing("igzip"),
                  reference=shutil.which("igzip") is not None),
        Contender("python gzip, sequential", [python, os.path.join(HERE, "seed_count.py"), "seq", folder], check=check),
        Contender("python gzip, Pool", [python, os.path.join(HERE, "seed_count.py"), "pool", folder], check=check),
    ]
    if not any(c.reference for c in out):
        out[0].reference = True
    return out + juggle_layouts(juggle, mpirun, cores, ["count", "--no-output", folder],
                                _expect_check_line(rf"lines={lines} .*failed=0"), observe=_juggle_wall)


def count_large(folder, lines, juggle, mpirun, cores, python):
    """count's contenders, and juggle 1 x 1 twice at once (the ceiling of
    its speed-up on one large member)."""
    pair = juggle_pair(juggle, ["count", "--no-output", folder], "juggle", rf"lines={lines} .*failed=0")
    return count(folder, lines, juggle, mpirun, cores, python) + [pair]


def tokenize(folder, juggle, mpirun, cores, python):
    q = shlex.quote(folder)
    cat = f"cat {q}/*.txt"
    # every juggle layout finds the same words, to the hash
    juggle_runs = _agreeing(juggle_layouts(juggle, mpirun, cores, ["tokenize", "--no-output", "--top", "0", folder],
                                           _expect_check_line(r"failed=0")))
    return [
        Contender("python Counter(re.findall)", [python, os.path.join(HERE, "seed_tokenize.py"), "counter", folder],
                  reference=True),
        Contender("python Counter, Pool", [python, os.path.join(HERE, "seed_tokenize.py"), "pool", folder]),
        Contender("tr | sort | uniq -c", f"{cat} | tr -cs '[:alpha:]' '\\n' | tr A-Z a-z | sort | uniq -c | wc -l",
                  env={"LC_ALL": "C"}),
        Contender("wc -w (scan floor)", f"{cat} | wc -w", env={"LC_ALL": "C"}),
    ] + juggle_runs


def _emptied(folder):
    def empty():
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    return empty


def _saved(folder, names):
    def check(_):
        missing = [n for n in names if not os.path.exists(os.path.join(folder, n))]
        return f"{len(missing)} files missing in {folder}" if missing else ""
    return check


def fetch(urls_file, names, out, juggle, python, concurrency):
    """Every contender saves into its own folder, emptied (untimed) before
    each run. Left full, the contenders would not write alike: curl opens
    each existing file with O_TRUNC and reuses its pages, while juggle
    writes a temporary file beside the old copy and renames it when complete
    (so a failed download never costs the earlier file), which needs fresh
    memory for the whole set first. On this VM's tmpfs fresh memory costs
    ~3 ms per MB, which made juggle's 20 x 20 MB runs 2-3x slower than
    curl's for reasons that have nothing to do with downloading."""
    def saving_into(folder):
        return {"check": _saved(folder, names), "before": _emptied(folder)}

    config = urls_file + ".curl"
    with open(urls_file) as f, open(config, "w") as c:
        for url in (line.strip() for line in f if line.strip()):
            c.write(f'url = "{url}"\noutput = "{os.path.join(out, "curl", url.rsplit("/", 1)[-1])}"\n')
    curl = os.path.join(out, "curl")
    runs = [
        Contender("curl, sequential (one connection)", ["curl", "-sSf", "-K", config], skip=_missing("curl"),
                  **saving_into(curl)),
        Contender(f"curl --parallel --parallel-max {concurrency}",
                  ["curl", "-sSf", "--parallel", "--parallel-max", str(concurrency), "-K", config],
                  skip=_missing("curl"), reference=True, **saving_into(curl)),
        Contender("python ThreadPoolExecutor(20)", [python, os.path.join(HERE, "seed_fetch.py"), urls_file,
                                                    out + "/python"], **saving_into(out + "/python")),
    ]
    for mode in ("sequential", "threads", "multi"):
        folder = f"{out}/juggle-{mode}"
        runs.append(Contender(f"juggle fetch --mode {mode}",
                              [juggle, "fetch", "--urls", urls_file, "--out", folder, "--mode", mode, "--concurrency",
                               str(concurrency), "--no-output"], **saving_into(folder)))
    return runs


# Issue 16 states its targets at two workers: 1 rank x 2 threads and 2 x 1.
TWO_WORKERS = ((1, 2), (2, 1))
# With mpirun's start-up in both walls (2 x 1) the decode-once ratio would
# say less about decoding; one worker shows it purest.
DECODE_ONCE_LAYOUTS = ((1, 1), (1, 2))
# The names its targets find the rows by (bench.py).
FETCH_ALONE = "juggle fetch --mode multi"
RUN_LOCAL = "juggle run count+tokenize"
RUN_FETCHING = "juggle run fetch+count+tokenize"
TOKENIZE = "juggle tokenize"
COUNT = "juggle count"
TOKENIZE_CHECK = r"^check: words=.*$"  # the tokenize stage's check line, in `juggle run` or alone


def count_tokenize_job(path, count_paths, tokenize_paths, fetch=None):
    """Writes a `juggle run` job that counts and tokenizes (no word list
    printed) after fetching, when `fetch` gives [fetch]'s keys; returns its
    path. JSON's strings, numbers and lists are TOML's."""
    sections = [("fetch", fetch)] if fetch else []
    # An empty [count] counts the downloaded .gz files only.
    sections += [("count", {"paths": count_paths} if count_paths else {}),
                 ("tokenize", {"paths": tokenize_paths, "top": 0})]
    with open(path, "w") as f:
        for name, keys in sections:
            f.write(f"[{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items()))
    return path


def _counted(lines):
    """The count check line of a run over inputs of `lines` lines, all decoded."""
    return _expect_check_line(rf"lines={lines} .*failed=0")


def pipeline(work, folder, lines, names, urls_file, out, juggle, mpirun, concurrency):
    """Downloading alone (`juggle fetch`, the reference), counting and
    tokenizing alone on the local copies of the same files (`juggle run` of
    a job without [fetch]), and the two at once (`juggle run` fetching into
    `out` while it counts and tokenizes what has landed). Every run that
    downloads starts from an emptied `out`; the two kinds of `juggle run`
    must agree on every check line (URLs in name order = the walk's order,
    so even the CRC in input order is the same)."""
    fetch_keys = {"urls": urls_file, "out": out, "mode": "multi", "concurrency": concurrency}
    fetching = count_tokenize_job(os.path.join(work, "pipeline-fetching.toml"), [], [out], fetch_keys)
    local = count_tokenize_job(os.path.join(work, "pipeline-local.toml"), [folder], [folder])
    fetch_args = [juggle, "fetch", "--urls", urls_file, "--out", out, "--mode", "multi", "--concurrency",
                  str(concurrency), "--no-output"]
    fetch_alone = [Contender(FETCH_ALONE, fetch_args, reference=True, check=_saved(out, names), before=_emptied(out))]
    # Downloading alone under mpirun too, for the layouts with more than one
    # rank: their `juggle run` pays mpirun's start-up, and so must the
    # downloads they are set against (rank 0 downloads, the others wait).
    for ranks, threads in TWO_WORKERS:
        if ranks > 1:
            fetch_alone.append(Contender(FETCH_ALONE, mpirun + ["-np", str(ranks), "--bind-to", "none"] + fetch_args,
                                         f"{ranks}x{threads}", check=_saved(out, names), before=_emptied(out)))
    runs = juggle_at(juggle, mpirun, ["run", local, "--no-output"], TWO_WORKERS, _counted(lines), name=RUN_LOCAL)
    runs += juggle_at(juggle, mpirun, ["run", fetching, "--no-output"], TWO_WORKERS, _counted(lines),
                      name=RUN_FETCHING, before=_emptied(out))
    return fetch_alone + _agreeing(runs)


def decode_once(work, folder, lines, juggle, mpirun):
    """`juggle tokenize` alone (1 x 1: the reference) against `juggle run`
    counting and tokenizing the same gzip files, which decompresses each
    once for both, at DECODE_ONCE_LAYOUTS."""
    job = count_tokenize_job(os.path.join(work, "decode-once.toml"), [folder], [folder])
    alone = juggle_at(juggle, mpirun, ["tokenize", "--no-output", "--top", "0", folder], DECODE_ONCE_LAYOUTS,
                      _expect_check_line("failed=0"), name=TOKENIZE)
    alone[0].reference = True
    both = juggle_at(juggle, mpirun, ["run", job, "--no-output"], DECODE_ONCE_LAYOUTS, _counted(lines),
                     name=RUN_LOCAL)
    return _agreeing(alone + both, TOKENIZE_CHECK)


def _juggle_wall(out):
    """juggle's own wall (`time: wall S s`): from its epoch, after MPI
    start-up, to the end of the gather."""
    m = re.search(r"^time: wall ([0-9.]+) s", out, re.M)
    if not m:
        raise RuntimeError("no 'time: wall' line")
    return {"juggle_wall_s": float(m.group(1))}


def many_small_files(work, roots, outcome, juggle, mpirun):
    """`find ROOTS -name '*.gz' -print0 | xargs -0 igzip -dc | wc -l` (zcat
    without igzip), the reference, against `juggle count ROOTS` at 1 x 2 and
    2 x 1, which also report their own wall. `outcome` is what an untimed
    juggle count found (count_outcome): files that do not decode completely
    are left out of juggle's totals, so they are also left out of the
    pipeline (whose decoder would fail on them), and juggle exits 1."""
    failed = outcome["failed"]
    listing = "find " + " ".join(shlex.quote(r) for r in roots) + " -name '*.gz' -print0"
    if failed:
        excluded = os.path.join(work, "many-small-files.failed")
        with open(excluded, "w") as f:
            f.writelines(p + "\n" for p in failed)
        listing += f" | grep -zvxF -f {shlex.quote(excluded)}"
    decoder = "igzip -dc" if shutil.which("igzip") else "zcat"
    reference = Contender(f"find | xargs {decoder} | wc -l", f"{listing} | xargs -0 {decoder} | wc -l",
                          reference=True, check=_expect_number(outcome["lines"]))
    counted = _expect_check_line(rf"lines={outcome['lines']} bytes_out={outcome['bytes_out']} .*failed={len(failed)}$")
    runs = juggle_at(juggle, mpirun, ["count", "--no-output"] + roots, TWO_WORKERS, counted, name=COUNT,
                     observe=_juggle_wall, exits=(0, 1) if failed else (0,))
    return [reference] + _agreeing(runs)


# Issue 17 states its targets at 1 x 2 and 2 x 1 against 1 x 1.
MEMBER_LAYOUTS = ((1, 1), (1, 2), (2, 1))
PAIR = "2 procs"  # the config of juggle_pair's contenders


def single_member(path, lines, juggle, mpirun, name):
    """`igzip -dc FILE | wc -l` (zcat without igzip), the reference, against
    `juggle count FILE` at MEMBER_LAYOUTS, which also report their own wall
    (2 x 1 is judged by it, mpirun's start-up aside)."""
    decoder = "igzip -dc" if shutil.which("igzip") else "zcat"
    reference = Contender(f"{decoder} | wc -l", f"{decoder} {shlex.quote(path)} | wc -l", reference=True,
                          check=_expect_number(lines))
    pair = juggle_pair(juggle, ["count", "--no-output", path], name, rf"lines={lines} .*failed=0$")
    return [reference, pair] + juggle_at(juggle, mpirun, ["count", "--no-output", path], MEMBER_LAYOUTS,
                                   _expect_check_line(rf"lines={lines} .*failed=0$"), name=name,
                                   observe=_juggle_wall)


def member_tokenize(path, juggle, mpirun):
    """`juggle tokenize FILE` at 1 x 1 (the reference) and 1 x 2: the same words."""
    runs = juggle_at(juggle, mpirun, ["tokenize", "--no-output", "--top", "0", path], ((1, 1), (1, 2)),
                     _expect_check_line("failed=0"), name=TOKENIZE)
    runs[0].reference = True
    return _agreeing(runs, TOKENIZE_CHECK)


def marker_path(program, kind, path):
    """bench_chunk_inflate_speed on one gzip member (one round inside; the
    harness's rounds repeat it): r, the marker path's speed over one ISA-L
    pass with the true window, and the share of marker bytes. Its output
    must say that the chunks' newlines, CRC-32 and resolved bytes were
    exact."""
    def observe(out):
        r = re.search(r"^r = ([0-9.]+) best/best", out, re.M)
        markers = re.search(r"^marker path: .*, ([0-9.]+) % markers", out, re.M)
        if not r or not markers:
            raise RuntimeError("no r or marker share in the output")
        return {"r": float(r.group(1)), "markers_pct": float(markers.group(1))}

    def exact(out):
        return "" if out.count(": exact") == 2 else "chunked decoding not exact"
    missing = "" if os.access(program, os.X_OK) else "bench_chunk_inflate_speed not built"
    # 8 MiB chunks: juggle count's largest deflate chunk (--split-bytes auto).
    return Contender(f"marker path {kind}", [program, path, "8", "128", "16", "1"], check=exact, observe=observe,
                     skip=missing)


def balance(work, small, big, lines, juggle, mpirun):
    """`juggle run` counting the small gzip files and tokenizing them and the
    large text files, and `juggle tokenize` of both folders, at 1 x 2 and
    2 x 1, each writing a results file whose piece events give the workers'
    imbalance (results_h5.piece_imbalance_pct). Both must find the same words."""
    results = os.path.join(work, "balance-results.h5")
    job = count_tokenize_job(os.path.join(work, "balance.toml"), [small], [small, big])
    written = ["--output", results, "--force"]

    def imbalance(_):
        return {"imbalance_pct": piece_imbalance_pct(results)}
    runs = juggle_at(juggle, mpirun, ["run", job] + written, TWO_WORKERS, _counted(lines), name=RUN_LOCAL,
                     observe=imbalance)
    runs[0].reference = True
    runs += juggle_at(juggle, mpirun, ["tokenize", "--top", "0"] + written + [small, big], TWO_WORKERS,
                      _expect_check_line("failed=0"), name=TOKENIZE, observe=imbalance)
    return _agreeing(runs, TOKENIZE_CHECK)


def python_with(module):
    """A python3 that imports `module` (Debian's /usr/bin/python3 first)."""
    import subprocess
    for candidate in ("/usr/bin/python3", sys.executable, "python3"):
        try:
            if subprocess.run([candidate, "-c", f"import {module}"], capture_output=True).returncode == 0:
                return candidate
        except OSError:
            continue
    return ""
