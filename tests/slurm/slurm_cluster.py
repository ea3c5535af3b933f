"""A SLURM cluster on this machine for tests: munged, slurmctld and a slurmd
per node started by hand, everything (key, sockets, state, spool, logs,
config) under one temporary directory, its own ports, and SLURM_CONF pointing
at its own config, so a SLURM already running on the machine is never touched.

    with SlurmCluster(work_dir, cpus=4) as cluster:
        cluster.run(["sbatch", "--wait", ...])

By default the cluster is one node, this machine under its own name on
127.0.0.1. With hosts=["127.0.0.2", "127.0.0.3"] it is a node per address,
each a host simulated as tests/multihost/ does: its slurmd runs in a UTS
namespace of its own whose host name is the node's name, sim-127-0-0-2 and
so on, so the tasks it starts see that name. Each slurmd listens on a port of
its own (they share the machine's addresses) and keeps its pid file, spool,
log and temporary directory apart (%n in the paths). Running several slurmd
on one machine needs a SLURM built for it (Debian's is: `scontrol show
config` says MULTIPLE_SLURMD = Yes).

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

START_TIMEOUT = 30  # seconds for a daemon or the nodes to come up


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


def simulated_host_name(address):
    """tests/multihost/uts_agent.sh's name for the host at address."""
    return "sim-" + address.replace(".", "-")


class SlurmCluster:
    def __init__(self, directory, cpus=4, node=None, hosts=None):
        """cpus: what each node declares. node: the one node's name (default:
        this machine's). hosts: addresses of simulated hosts, a node each,
        instead of the one node."""
        self.dir = os.path.abspath(directory)
        self.cpus = cpus
        # slurmctld runs only where gethostname() is SlurmctldHost's name.
        self.controller = socket.gethostname().split(".")[0]
        self.hosts = list(hosts or [])
        if self.hosts:
            self.nodes = [simulated_host_name(a) for a in self.hosts]
        else:
            self.nodes = [node or self.controller]
        self.node = self.nodes[0]
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
        for sub in ["munge", "state"] + [f"{d}-{n}" for n in self.nodes for d in ("spool", "tmp")]:
            os.makedirs(os.path.join(self.dir, sub))
        os.chmod(os.path.join(self.dir, "munge"), 0o711)  # munged wants the socket reachable
        self._start_munged()
        self._write_config()
        self._start("slurmctld", ["slurmctld", "-i"])
        for node in self.nodes:
            cmd = ["slurmd", "-N", node]
            if self.hosts:
                # slurmd daemonizes inside the namespace; unshare and sh are gone by then.
                cmd = ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', node] + cmd
            self._start(f"slurmd-{node}", cmd)
        wait_for(f"{', '.join(self.nodes)} to be idle", lambda: self.node_state() == "idle")

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
SlurmctldHost={self.controller}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
AuthInfo=socket={self.munge_socket}
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation={d}/state
SlurmctldPidFile={d}/slurmctld.pid
SlurmctldLogFile={d}/slurmctld.log
# %n: the node's name, so that slurmd on the same machine keep apart.
SlurmdSpoolDir={d}/spool-%n
SlurmdPidFile={d}/slurmd-%n.pid
SlurmdLogFile={d}/slurmd-%n.log
# PMIx makes a folder per job step under TmpFS (spmix_appdir_<uid>_<job>.<step>):
# in /tmp, two nodes' parts of a step, or two test clusters' steps (job ids
# start at 1 in each), would take the same one.
TmpFS={d}/tmp-%n
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
{self._node_lines()}
PartitionName=test Nodes={",".join(self.nodes)} Default=YES MaxTime=60 State=UP
"""
        with open(self.conf, "w") as f:
            f.write(text)

    def _node_lines(self):
        if not self.hosts:
            return f"NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} State=UNKNOWN"
        # Every slurmd binds its port on all addresses: a port per node.
        return "\n".join(f"NodeName={node} NodeAddr={address} Port={free_port()} CPUs={self.cpus} State=UNKNOWN"
                         for node, address in zip(self.nodes, self.hosts))

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
        """The nodes' state, e.g. "idle"; several lines when they differ."""
        try:
            r = subprocess.run(["sinfo", "-h", "-n", ",".join(self.nodes), "-o", "%T"], env=self.env,
                               capture_output=True, text=True, timeout=10)
        except subprocess.TimeoutExpired:
            return ""
        return r.stdout.strip()

    def daemons(self):
        """The names log_tail takes."""
        return ["slurmctld"] + [f"slurmd-{node}" for node in self.nodes]

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
