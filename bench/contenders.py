"""Who runs against whom, per case: the tools a user would pick instead of
juggle (each skipped with a note when it is not installed), the teaching
program's Python approaches, and juggle at 1 x 1, 1 x N threads and N x 1
ranks (N = the machine's cores). Every contender's output is checked, so a
fast wrong answer never makes the table."""
import os
import re
import shlex
import shutil
import sys

from measure import Contender

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


def juggle_layouts(juggle, mpirun, cores, args, check):
    """juggle at 1 x 1, 1 x N and N x 1 with `args` (a list after the binary)."""
    base = [juggle] + args
    runs = [Contender("juggle", base + ["--threads", "1"], "1x1", check=check)]
    if cores > 1:
        runs.append(Contender("juggle", base + ["--threads", str(cores)], f"1x{cores}", check=check))
        runs.append(Contender("juggle", mpirun + ["-np", str(cores), "--bind-to", "none"] + base + ["--threads", "1"],
                              f"{cores}x1", check=check))
    return runs


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
                                _expect_check_line(rf"lines={lines} .*failed=0"))


def tokenize(folder, juggle, mpirun, cores, python):
    q = shlex.quote(folder)
    cat = f"cat {q}/*.txt"
    juggle_runs = juggle_layouts(juggle, mpirun, cores, ["tokenize", "--no-output", "--top", "0", folder],
                                 _expect_check_line(r"failed=0"))
    same = {}

    def agree(out):  # every juggle layout finds the same words, to the hash
        line = re.search(r"^check: .*$", out, re.M)
        if not line:
            return "no check line"
        same.setdefault("line", line.group(0))
        return "" if line.group(0) == same["line"] else f"{line.group(0)} differs from {same['line']}"
    for c in juggle_runs:
        first = c.check
        c.check = lambda out, first=first: first(out) or agree(out)
    return [
        Contender("python Counter(re.findall)", [python, os.path.join(HERE, "seed_tokenize.py"), "counter", folder],
                  reference=True),
        Contender("python Counter, Pool", [python, os.path.join(HERE, "seed_tokenize.py"), "pool", folder]),
        Contender("tr | sort | uniq -c", f"{cat} | tr -cs '[:alpha:]' '\\n' | tr A-Z a-z | sort | uniq -c | wc -l",
                  env={"LC_ALL": "C"}),
        Contender("wc -w (scan floor)", f"{cat} | wc -w", env={"LC_ALL": "C"}),
    ] + juggle_runs


def fetch(urls_file, names, out, juggle, python, concurrency):
    """Every contender saves into its own folder, emptied (untimed) before
    each run. Left full, the contenders would not write alike: curl opens
    each existing file with O_TRUNC and reuses its pages, while juggle
    writes a temporary file beside the old copy and renames it when complete
    (so a failed download never costs the earlier file), which needs fresh
    memory for the whole set first. On this VM's tmpfs fresh memory costs
    ~3 ms per MB, which made juggle's 20 x 20 MB runs 2-3x slower than
    curl's for reasons that have nothing to do with downloading."""
    def emptied(folder):
        def empty():
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
        return empty

    def saved(folder):
        def check(_):
            missing = [n for n in names if not os.path.exists(os.path.join(folder, n))]
            return f"{len(missing)} files missing in {folder}" if missing else ""
        return check

    def saving_into(folder):
        return {"check": saved(folder), "before": emptied(folder)}

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
