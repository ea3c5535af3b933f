"""A one-node SLURM cluster on 127.0.0.1 for tests: munged, slurmctld and
slurmd started by hand, everything (key, sockets, state, spool, logs, config)
under one temporary directory, its own ports, and SLURM_CONF pointing at its
own config, so a SLURM already running on the machine is never touched.

    with SlurmCluster(work_dir, cpus=4) as cluster:
        cluster.run(["sbatch", "--wait", ...])

Leaving the block cancels what is still queued and stops every daemon it
started, by PID (SIGTERM, then SIGKILL), also when a check failed. Every wait
is bounded.
"""
import os
import shutil
import signal
import socket
import subprocess
import time

START_TIMEOUT = 30  # seconds for a daemon or the node to come up


class SlurmError(RuntimeError):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout=START_TIMEOUT, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise SlurmError(f"timed out after {timeout} s waiting for {what}")


class SlurmCluster:
    def __init__(self, directory, cpus=4, node=None):
        self.dir = os.path.abspath(directory)
        self.cpus = cpus
        self.node = node or socket.gethostname().split(".")[0]
        self.conf = os.path.join(self.dir, "slurm.conf")
        self.munge_socket = os.path.join(self.dir, "munge", "munge.socket")
        self.pids = {}  # daemon -> pid, in start order
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        for name in list(self.env):  # a surrounding job's settings are not ours
            if name.startswith(("SLURM_", "SBATCH_", "SRUN_", "SALLOC_")) and name != "SLURM_CONF":
                del self.env[name]

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- bring-up ---------------------------------------------------------
    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ("munge", "state", "spool"):
            os.makedirs(os.path.join(self.dir, sub))
        os.chmod(os.path.join(self.dir, "munge"), 0o711)  # munged wants the socket reachable
        self._start_munged()
        self._write_config()
        self._start("slurmctld", ["slurmctld", "-i"])
        self._start("slurmd", ["slurmd", "-N", self.node])
        wait_for(f"node {self.node} to be idle", lambda: self.node_state() == "idle")

    def _start_munged(self):
        key = os.path.join(self.dir, "munge", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        m = os.path.join(self.dir, "munge")
        # -f: munged refuses root-owned /tmp paths and root itself without it.
        self._start("munged", ["munged", "-f", f"--key-file={key}", f"--socket={self.munge_socket}",
                               f"--pid-file={m}/munged.pid", f"--log-file={m}/munged.log",
                               f"--seed-file={m}/munged.seed"], pid_file=f"{m}/munged.pid")
        wait_for("munged's socket", lambda: os.path.exists(self.munge_socket))

    def _write_config(self):
        d = self.dir
        text = f"""# Written by tests/slurm/slurm_cluster.py for one test run.
ClusterName=juggletest
SlurmctldHost={self.node}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
AuthInfo=socket={self.munge_socket}
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
# srun starts Debian's OpenMPI through PMIx (pmi2 does not work with it).
MpiDefault=pmix
# No cgroups here: plain process tracking, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# sbatch --wait polls every 2 s instead of every 10 s.
MinJobAge=4
# A job asking for more than the node has is refused at submission
# instead of pending forever.
EnforcePartLimits=ALL
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
# The node may declare more CPUs than the machine has (small CI machines).
SlurmdParameters=config_overrides
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} State=UNKNOWN
PartitionName=test Nodes={self.node} Default=YES MaxTime=60 State=UP
"""
        with open(self.conf, "w") as f:
            f.write(text)

    def _start(self, name, cmd, pid_file=None):
        pid_file = pid_file or os.path.join(self.dir, f"{name}.pid")
        result = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=START_TIMEOUT)
        if result.returncode != 0:
            raise SlurmError(f"{name} did not start ({result.returncode}): {result.stderr.strip()} {self.log_tail(name)}")
        wait_for(f"{name}'s pid file", lambda: self._read_pid(pid_file) is not None)
        self.pids[name] = self._read_pid(pid_file)

    @staticmethod
    def _read_pid(path):
        try:
            with open(path) as f:
                text = f.read().strip()
            return int(text) if text else None
        except (OSError, ValueError):
            return None

    # -- use --------------------------------------------------------------
    def run(self, cmd, timeout=120, cwd=None, extra_env=None, check=False):
        env = dict(self.env, **(extra_env or {}))
        print("+ " + " ".join(cmd), flush=True)
        result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        if result.stdout:
            print(result.stdout, end="", flush=True)
        if result.stderr:
            print(result.stderr, end="", flush=True)
        if check and result.returncode != 0:
            raise SlurmError(f"{cmd[0]} exited with {result.returncode}")
        return result

    def node_state(self):
        try:
            r = subprocess.run(["sinfo", "-h", "-n", self.node, "-o", "%T"], env=self.env, capture_output=True,
                               text=True, timeout=10)
        except subprocess.TimeoutExpired:
            return ""
        return r.stdout.strip()

    def log_tail(self, name, lines=15):
        path = os.path.join(self.dir, f"{name}.log" if name != "munged" else "munge/munged.log")
        try:
            with open(path) as f:
                return "\n".join(f.read().splitlines()[-lines:])
        except OSError:
            return ""

    # -- tear-down --------------------------------------------------------
    def stop(self):
        if "slurmctld" in self.pids:
            try:
                subprocess.run(["scancel", "--full", "--quiet", "--user", str(os.getuid())], env=self.env,
                               capture_output=True, timeout=10)
            except (subprocess.TimeoutExpired, OSError):
                pass
        for name in reversed(list(self.pids)):
            self._stop_pid(name, self.pids.pop(name))

    @staticmethod
    def _alive(pid):
        """Running, not a zombie waiting for a reaper that may not exist."""
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    @staticmethod
    def _stop_pid(name, pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not SlurmCluster._alive(pid):
                return
            time.sleep(0.05)
        print(f"slurm_cluster: {name} (pid {pid}) ignored SIGTERM for 10 s: SIGKILL", flush=True)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
