#!/usr/bin/env python3
"""Submits the job scripts of jobs/ to a real one-node SLURM (started here,
see slurm_cluster.py) the way a user does, from a checkout, and checks what
each produced: exit codes, results files and their SLURM attributes, totals
against the corpus manifest and against juggle run outside SLURM, the
mpirun fallback, failures that must fail, scancel of a running job, and
the scaling array with its dependent report job.

Last, juggle is installed into a prefix (cmake --install) and the installed
count.sbatch, copied into a folder that is no checkout, is submitted with
that prefix's bin/ on PATH, as a site's module would set it.

Usage: check_slurm.py --juggle BUILD/juggle --build BUILD --work DIR
Exit 77 (skipped) when not root: slurmd must run as root here.
"""
import argparse
import csv
import glob
import io
import os
import re
import shutil
import subprocess
import sys
import time

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "cli"))
import harness  # noqa: E402
from serve_files import FileServer  # noqa: E402
from slurm_cluster import SlurmCluster  # noqa: E402

CPUS = 4  # declared by the node; 2 ranks x 2 threads fits
JOB_TIMEOUT = 180


def expect(condition, message):
    """The CLI drivers' check, and a line for each check passed: a job
    log is read more easily with the checks that led up to a failure."""
    harness.expect(condition, message)
    print("ok: " + message, flush=True)


def ensure_slurm_installed():
    missing = [t for t in ("munged", "slurmctld", "slurmd", "sbatch", "srun", "scancel", "sinfo")
               if shutil.which(t) is None]
    if missing:
        print(f"installing SLURM (missing: {' '.join(missing)})", flush=True)
        subprocess.run(["bash", os.path.join(REPO, "deps", "install.sh")], check=True, timeout=900)


class Checkout:
    """A folder laid out like a juggle checkout (jobs/, build/juggle,
    results/), from which jobs are submitted as the README says."""

    def __init__(self, work, juggle):
        self.dir = os.path.join(work, "checkout")
        os.makedirs(os.path.join(self.dir, "build"))
        os.makedirs(os.path.join(self.dir, "results"))
        os.symlink(os.path.join(REPO, "jobs"), os.path.join(self.dir, "jobs"))
        os.symlink(os.path.join(REPO, "tools"), os.path.join(self.dir, "tools"))
        os.symlink(os.path.abspath(juggle), os.path.join(self.dir, "build", "juggle"))

    def path(self, *parts):
        return os.path.join(self.dir, *parts)


def submitted_id(result):
    m = re.search(r"^(\d+)", result.stdout.strip()) or re.search(r"Submitted batch job (\d+)", result.stdout)
    return m.group(1) if m else ""


def job_log(checkout, job_id):
    """The job's log: <job name>-<job id>.out in the folder it was submitted
    from (#SBATCH --output=%x-%j.out, a folder that always exists)."""
    logs = glob.glob(os.path.join(checkout.dir, f"*-{job_id}.out"))
    if not logs:
        return ""
    with open(logs[0], encoding="utf-8", errors="replace") as f:
        return f.read()


def check_line(text):
    m = re.search(r"^check: .*$", text, re.M)
    return m.group(0) if m else ""


def manifest_lines(corpus):
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        return sum(int(row["lines"]) for row in csv.DictReader(f, delimiter="\t"))


def sbatch(cluster, checkout, script, options, env, script_dir="jobs"):
    result = cluster.run(["sbatch", "--parsable", "--wait"] + options + [os.path.join(script_dir, script)],
                         timeout=JOB_TIMEOUT, cwd=checkout.dir, extra_env=env)
    job_id = submitted_id(result)
    print(job_log(checkout, job_id), flush=True)
    return result, job_id


def check_slurm_attributes(h5, job_id, cpus_per_task, node):
    a = h5.attrs
    expect(a["slurm_job_id"] == job_id, f"job {job_id}: slurm_job_id recorded")
    expect(a["slurm_cpus_per_task"] == str(cpus_per_task), f"job {job_id}: cpus-per-task {cpus_per_task} recorded")
    expect(a["slurm_nodelist"] == node, f"job {job_id}: node list {node} recorded")


def check_count_job(cluster, checkout, corpus, launcher, threads):
    env = {"INPUT": corpus, "JUGGLE_LAUNCHER": launcher}
    result, job = sbatch(cluster, checkout, "count.sbatch", ["--ntasks=2", f"--cpus-per-task={threads}"], env)
    expect(result.returncode == 0 and job, f"count.sbatch ({launcher}) exits 0")
    path = checkout.path("results", f"count-{job}.h5")
    expect(os.path.exists(path), f"count.sbatch ({launcher}) wrote results/count-{job}.h5")
    with h5py.File(path, "r") as h5:
        check_slurm_attributes(h5, job, threads, cluster.node)
        expect(int(h5.attrs["mpi_ranks"]) == 2 and int(h5.attrs["omp_threads"]) == threads,
               f"count ({launcher}): 2 ranks x {threads} threads")
        expect(int(h5.attrs["cpus_per_rank"]) >= threads, f"count ({launcher}): every thread has a CPU")
        expect(int(h5["count/total"].attrs["lines"]) == manifest_lines(corpus), f"count ({launcher}): lines = manifest")
    expect("check: lines=%d " % manifest_lines(corpus) in job_log(checkout, job), "the job log ends with the check line")


def check_tokenize_job(cluster, checkout, corpus, juggle):
    reference = subprocess.run([juggle, "tokenize", "--no-output", "--threads", "1", corpus], capture_output=True,
                               text=True, timeout=JOB_TIMEOUT, env=dict(cluster.env))
    expect(reference.returncode == 0 and check_line(reference.stdout), "tokenize outside SLURM (the reference)")
    result, job = sbatch(cluster, checkout, "tokenize.sbatch", ["--ntasks=2", "--cpus-per-task=1"],
                         {"INPUT": corpus, "JUGGLE_ARGS": "--top 5"})
    expect(result.returncode == 0 and job, "tokenize.sbatch exits 0")
    expect(check_line(job_log(checkout, job)) == check_line(reference.stdout),
           "tokenize under SLURM (2 ranks) = outside it (1 rank): " + check_line(reference.stdout))
    path = checkout.path("results", f"tokenize-{job}.h5")
    with h5py.File(path, "r") as h5:
        check_slurm_attributes(h5, job, 1, cluster.node)
        expect(int(h5["tokenize/total"].attrs["words"]) > 0, "tokenize results file has the words")


def check_pipeline_job(cluster, checkout, corpus, work):
    with FileServer(corpus, latency_ms=0, lifetime_s=300) as server:
        port = server.port
        names = sorted(n for n in os.listdir(corpus) if n.endswith(".gz"))
        urls = os.path.join(work, "pipeline.urls")
        with open(urls, "w") as f:
            f.writelines(f"http://127.0.0.1:{port}/{n}\n" for n in names)
        job_file = os.path.join(work, "pipeline.toml")
        with open(job_file, "w") as f:
            f.write(f'[fetch]\nurls = "{urls}"\nout = "{work}/fetched"\nmode = "multi"\n\n[count]\n\n'
                    f'[tokenize]\npaths = ["{work}/fetched"]\n')
        result, job = sbatch(cluster, checkout, "pipeline.sbatch", ["--ntasks=2", "--cpus-per-task=2"],
                             {"JOB": job_file})
    expect(result.returncode == 0 and job, "pipeline.sbatch (fetch -> count -> tokenize) exits 0")
    with h5py.File(checkout.path("results", f"run-{job}.h5"), "r") as h5:
        check_slurm_attributes(h5, job, 2, cluster.node)
        expect(list(h5["steps"].asstr()[:]) == ["fetch", "pipeline", "count", "tokenize"],
               "pipeline ran fetch, the piece engine, count, tokenize")
        expect(int(h5["fetch/total"].attrs["fetched"]) == len(names), f"pipeline fetched {len(names)} files")
        expect(int(h5["count/total"].attrs["lines"]) == manifest_lines(corpus), "pipeline counted every line")


def check_failures(cluster, checkout, work):
    missing = os.path.join(work, "no-such-input")
    result, job = sbatch(cluster, checkout, "count.sbatch", ["--ntasks=1", "--cpus-per-task=1"], {"INPUT": missing})
    expect(result.returncode == 1, "a missing input fails the job with juggle's exit code 1")
    with h5py.File(checkout.path("results", f"count-{job}.h5"), "r") as h5:
        expect(int(h5["count/total"].attrs["failed"]) == 1, "... and its results file records the failure")
    expect(f"{missing}: No such file or directory" in job_log(checkout, job), "... naming the file and the reason")
    result, job = sbatch(cluster, checkout, "count.sbatch", ["--ntasks=1", "--cpus-per-task=1"],
                         {"JUGGLE": os.path.join(work, "no-juggle")})
    expect(result.returncode == 2 and "is not an executable" in job_log(checkout, job),
           "a missing juggle binary fails the job with exit 2 and says so")
    too_big = cluster.run(["sbatch", "--parsable", "--ntasks=8", "--cpus-per-task=1", "jobs/count.sbatch"],
                          cwd=checkout.dir, timeout=30)
    expect(too_big.returncode != 0, "a job larger than the node is refused at submission, not left pending")


def check_scancel(cluster, checkout, corpus):
    """scancel while rank 0 holds the results file under its temporary name
    (the worst moment): the job ends within seconds of the signal, no
    results file and no temporary are left, the node is free again."""
    env = {"INPUT": corpus, "JUGGLE_INJECT_FAULT": "0:results:stall"}
    result = cluster.run(["sbatch", "--parsable", "--ntasks=2", "--cpus-per-task=1", "jobs/count.sbatch"],
                         cwd=checkout.dir, extra_env=env, timeout=30)
    job = submitted_id(result)
    expect(result.returncode == 0 and job, "count.sbatch submitted to be cancelled")
    deadline = time.monotonic() + JOB_TIMEOUT
    while "stalls at results" not in job_log(checkout, job) and time.monotonic() < deadline:
        time.sleep(0.2)
    expect("stalls at results" in job_log(checkout, job), f"job {job}: rank 0 holds the temporary results file")
    partial = os.path.join(checkout.path("results"), f".count-{job}.h5.partial-*")
    expect(glob.glob(partial), f"job {job}: the temporary exists before scancel")
    started = time.monotonic()
    cluster.run(["scancel", job], timeout=30, check=True)
    while time.monotonic() - started < 60:
        queue = cluster.run(["squeue", "-h", "-j", job, "-o", "%T"], timeout=30)
        if not queue.stdout.strip():
            break
        time.sleep(0.2)
    ended = time.monotonic() - started
    expect(not queue.stdout.strip(), f"job {job} left the queue {ended:.1f} s after scancel")
    expect(ended < 20, f"job {job}: ended in {ended:.1f} s, before SLURM's SIGKILL (KillWait 30 s)")
    expect(not os.path.exists(checkout.path("results", f"count-{job}.h5")), f"job {job}: no results file")
    expect(not glob.glob(partial), f"job {job}: no temporary left")
    log = job_log(checkout, job)
    expect("interrupted by signal 15 (SIGTERM)" in log, f"job {job}: the ranks say they were interrupted")
    deadline = time.monotonic() + 60
    while cluster.node_state() != "idle" and time.monotonic() < deadline:
        time.sleep(0.2)
    expect(cluster.node_state() == "idle", "the node is idle again: no rank hangs on to the allocation")


def check_scaling(cluster, checkout, corpus):
    env = {"RANKS": "1 2", "THREADS": "1 2", "REPEATS": "1", "STUDY": "study", "INPUT": corpus, "WAIT": "1"}
    result = cluster.run(["bash", "jobs/submit-scaling.sh"], cwd=checkout.dir, extra_env=env, timeout=6 * JOB_TIMEOUT)
    expect(result.returncode == 0, "submit-scaling.sh: the array and its report job succeed")
    array = re.search(r"array job (\d+)", result.stdout).group(1)
    study = checkout.path("results", "study")
    runs = sorted(n for n in os.listdir(study) if n.endswith(".h5"))
    expect(len(runs) == 4, f"four runs in results/study: {runs}")
    seen = set()
    for name in runs:
        with h5py.File(os.path.join(study, name), "r") as h5:
            a = h5.attrs
            expect(a["slurm_array_job_id"] == array, f"{name}: array job {array} recorded")
            layout = (int(a["mpi_ranks"]), int(a["omp_threads"]))
            expect(name.startswith(f"run-{layout[0]}x{layout[1]}-r1-{array}_{a['slurm_array_task_id']}"),
                   f"{name}: named after its layout {layout} and array task")
            seen.add(layout)
    expect(seen == {(1, 1), (1, 2), (2, 1), (2, 2)}, "every configuration of the grid ran")
    with open(os.path.join(study, "report.txt")) as f:
        report = f.read()
    configs = re.findall(r"^run\s+(\d+)\s+(\d+)\s+\d+\s+\(run\)", report, re.M)
    expect(sorted(configs) == [("1", "1"), ("1", "2"), ("2", "1"), ("2", "2")], "the report has every configuration")
    with open(os.path.join(study, "report.csv")) as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    expect(any(r["stage"] == "(run)" and r["speedup"] for r in rows), "report.csv has speedups")
    for png in ("speedup.png", "efficiency.png"):
        expect(os.path.getsize(os.path.join(study, "plots", png)) > 5000, f"plots/{png} written")

    env = {"RANKS": "1", "THREADS": "1", "REPEATS": "1", "STUDY": "broken", "INPUT": "/no/such/corpus", "WAIT": "1"}
    result = cluster.run(["bash", "jobs/submit-scaling.sh"], cwd=checkout.dir, extra_env=env, timeout=3 * JOB_TIMEOUT)
    expect(result.returncode == 1 and "did not complete" in result.stderr,
           "a failed array run cancels the report and submit-scaling.sh says so")
    expect(not os.path.exists(checkout.path("results", "broken", "report.txt")), "... and no report is written")


class Site:
    """A folder outside any checkout holding a copy of the installed
    count.sbatch: what a user of an installed juggle submits."""

    def __init__(self, work, prefix):
        self.dir = os.path.join(work, "site")
        os.makedirs(self.dir)
        shutil.copy(os.path.join(prefix, "share", "juggle", "jobs", "count.sbatch"), self.dir)


def check_installed_job(cluster, work, build, corpus):
    prefix = os.path.join(work, "prefix")
    subprocess.run(["cmake", "--install", build, "--prefix", prefix], check=True, timeout=120,
                   stdout=subprocess.DEVNULL)
    site = Site(work, prefix)
    installed = os.path.join(prefix, "bin", "juggle")
    path = os.path.join(prefix, "bin") + os.pathsep + os.environ.get("PATH", "")
    result, job = sbatch(cluster, site, "count.sbatch", ["--ntasks=2", "--cpus-per-task=1"],
                         {"INPUT": corpus, "PATH": path}, script_dir=".")
    expect(result.returncode == 0 and job, "the installed count.sbatch, submitted outside a checkout, exits 0")
    log = job_log(site, job)
    expect(f"{installed} count" in log, "... and runs the juggle on PATH (the installed one)")
    with h5py.File(os.path.join(site.dir, "results", f"count-{job}.h5"), "r") as h5:
        expect(int(h5["count/total"].attrs["lines"]) == manifest_lines(corpus),
               "... writing results/ in the submit folder with every line counted")
    result, job = sbatch(cluster, site, "count.sbatch", ["--ntasks=1", "--cpus-per-task=1"],
                         {"INPUT": corpus}, script_dir=".")
    expect(result.returncode == 2 and "no juggle on PATH" in job_log(site, job),
           "without juggle on PATH, the copied script exits 2 and says what to do")


def prepare_work(args):
    """A fresh args.work with a generated corpus and a checkout of the job
    scripts: (work, juggle, corpus, checkout), paths absolute."""
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    juggle = os.path.abspath(args.juggle)
    corpus = os.path.join(work, "corpus")
    subprocess.run([juggle, "gen", "--out", corpus, "--files", "12", "--size", "3MiB", "--seed", "7"], check=True,
                   timeout=120, stdout=subprocess.DEVNULL)
    return work, juggle, corpus, Checkout(work, juggle)


def print_daemon_logs(cluster):
    """The last lines of every daemon's log, on stderr (a check failed)."""
    for daemon in cluster.daemons():
        print(f"--- last lines of {daemon}.log\n{cluster.log_tail(daemon)}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--juggle", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    if os.getuid() != 0:
        print("skipped: starting slurmd needs root", flush=True)
        sys.exit(77)
    ensure_slurm_installed()
    work, juggle, corpus, checkout = prepare_work(args)
    with SlurmCluster(os.path.join(work, "slurm"), cpus=CPUS) as cluster:
        try:
            check_count_job(cluster, checkout, corpus, "srun", threads=2)
            # mpirun binds each rank to cores of its own: the node's 4 CPUs
            # are declared on a machine that may have 2 cores.
            check_count_job(cluster, checkout, corpus, "mpirun", threads=1)
            check_tokenize_job(cluster, checkout, corpus, juggle)
            check_pipeline_job(cluster, checkout, corpus, work)
            check_failures(cluster, checkout, work)
            check_scancel(cluster, checkout, corpus)
            check_scaling(cluster, checkout, corpus)
            check_installed_job(cluster, work, os.path.abspath(args.build), corpus)
        except BaseException:
            print_daemon_logs(cluster)
            raise
    print("ok: every job script ran on SLURM as expected; daemons stopped")


if __name__ == "__main__":
    main()
