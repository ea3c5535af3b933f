#!/usr/bin/env python3
"""Submits job scripts of jobs/ with --nodes=2 to a two-node SLURM started
on this machine (slurm_cluster.py with hosts: a slurmd per simulated host,
127.0.0.2 and 127.0.0.3, each in a UTS namespace named after its node, as in
tests/multihost/) and checks that a job really runs across both nodes:
count and tokenize with 2 ranks per node, started by srun and by mpirun,
exit 0 with the check: line of a one-rank run outside SLURM, and the results
file names both nodes, two ranks on each. A job allowed only shared memory
must fail: the nodes' ranks reach each other over TCP, as on a real cluster.

Usage: check_slurm_nodes.py --juggle BUILD/juggle --work DIR
Exit 77 (skipped) when not root (slurmd, unshare --uts) or without UTS
namespaces.
"""
import argparse
import os
import subprocess
import sys

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_slurm import (JOB_TIMEOUT, check_line, ensure_slurm_installed, expect, job_log,  # noqa: E402
                         manifest_lines, prepare_work, print_daemon_logs, sbatch)
from slurm_cluster import SlurmCluster  # noqa: E402

HOSTS = ["127.0.0.2", "127.0.0.3"]
CPUS = 4  # declared by each node; 2 ranks x 2 threads fits
# The simulated hosts share the machine's lo, which OpenMPI's TCP leaves
# out by default (it may have no other interface).
OMPI_LO = {"OMPI_MCA_btl_tcp_if_include": "lo", "OMPI_MCA_oob_tcp_if_include": "lo"}


def reference(juggle, stage, corpus, env):
    """The check: line of one rank outside SLURM."""
    extra = ["--top", "5"] if stage == "tokenize" else []
    result = subprocess.run([juggle, stage, "--no-output", "--threads", "1"] + extra + [corpus], capture_output=True,
                            text=True, timeout=JOB_TIMEOUT, env=env)
    expect(result.returncode == 0 and check_line(result.stdout), f"{stage} outside SLURM (the reference)")
    return check_line(result.stdout)


def check_two_node_job(cluster, checkout, corpus, stage, launcher, threads, expected):
    what = f"{stage}.sbatch --nodes=2 ({launcher}, 2 ranks x {threads} threads per node)"
    env = dict(OMPI_LO, INPUT=corpus, JUGGLE_LAUNCHER=launcher)
    if stage == "tokenize":
        env["JUGGLE_ARGS"] = "--top 5"
    result, job = sbatch(cluster, checkout, f"{stage}.sbatch",
                         ["--nodes=2", "--ntasks=4", "--ntasks-per-node=2", f"--cpus-per-task={threads}"], env)
    expect(result.returncode == 0 and job, f"{what} exits 0")
    expect(check_line(job_log(checkout, job)) == expected, f"{what} = 1 rank outside SLURM: {expected}")
    nodelist = cluster.run(["scontrol", "show", "hostlist", ",".join(cluster.nodes)], timeout=30).stdout.strip()
    with h5py.File(checkout.path("results", f"{stage}-{job}.h5"), "r") as h5:
        a = h5.attrs
        expect(a["slurm_job_id"] == job and a["slurm_nodelist"] == nodelist,
               f"job {job}: node list {nodelist} recorded")
        expect(int(a["mpi_ranks"]) == 4 and int(a["omp_threads"]) == threads, f"job {job}: 4 ranks x {threads} threads")
        hosts = list(h5["ranks/hostname"].asstr()[:])
    expect(hosts == [n for n in cluster.nodes for _ in range(2)], f"job {job}: ranks ran on {hosts}")


def check_apart(cluster, checkout, corpus):
    """Shared memory alone cannot join the nodes' ranks: the job fails,
    saying so, so the jobs above went over TCP between two hosts."""
    env = dict(OMPI_LO, INPUT=corpus, OMPI_MCA_btl="vader,self")
    result, job = sbatch(cluster, checkout, "count.sbatch",
                         ["--nodes=2", "--ntasks=4", "--ntasks-per-node=2", "--cpus-per-task=1"], env)
    expect(result.returncode != 0 and job, f"job {job}: with shared memory alone the job fails")
    expect("unable to reach each other" in job_log(checkout, job), f"job {job}: ... because the ranks cannot reach "
           "each other")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--juggle", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    if os.getuid() != 0:
        print("skipped: starting slurmd and unshare --uts need root", flush=True)
        sys.exit(77)
    if subprocess.run(["unshare", "--uts", "true"], capture_output=True, timeout=30).returncode != 0:
        print("skipped: no UTS namespaces here", flush=True)
        sys.exit(77)
    ensure_slurm_installed()
    work, juggle, corpus, checkout = prepare_work(args)
    with SlurmCluster(os.path.join(work, "slurm"), cpus=CPUS, hosts=HOSTS) as cluster:
        try:
            count = reference(juggle, "count", corpus, cluster.env)
            expect(count.startswith("check: lines=%d " % manifest_lines(corpus)), "count's reference counts every line")
            tokenize = reference(juggle, "tokenize", corpus, cluster.env)
            check_two_node_job(cluster, checkout, corpus, "count", "srun", 2, count)
            # mpirun starts an orted per node through srun, ranks under it.
            check_two_node_job(cluster, checkout, corpus, "count", "mpirun", 1, count)
            check_two_node_job(cluster, checkout, corpus, "tokenize", "srun", 1, tokenize)
            check_apart(cluster, checkout, corpus)
        except BaseException:
            print_daemon_logs(cluster)
            raise
    print("ok: jobs ran across two SLURM nodes as expected; daemons stopped")


if __name__ == "__main__":
    main()
