# shellcheck shell=bash
# Sourced by the jobs/*.sbatch scripts: what every juggle job step needs.
#
# The scripts work from a juggle checkout and from an installed juggle
# (share/juggle/jobs/, copied anywhere as templates). SLURM copies a batch
# script to its spool directory before running it, so a script cannot find
# this file next to itself: it looks in $JUGGLE_DIR/jobs (a checkout sbatch
# was called from), else beside the juggle binary ($JUGGLE, else the one on
# PATH, links resolved): ../share/juggle/jobs.
# Site setup (`module load ...`) goes in each script above its `source`
# line, so that juggle and its MPI are on PATH by then.
#
# Settings (environment variables; sbatch passes the submitting shell's):
#   JUGGLE_DIR       where the job runs: results/ and inputs/generated go here
#                                                     (default: $SLURM_SUBMIT_DIR)
#   JUGGLE           the juggle binary     (default: juggle on PATH, else the
#                                          checkout's build/juggle)
#   OUTPUT_DIR       where results files go           (default: results)
#   JUGGLE_LAUNCHER  srun | mpirun                    (default: srun)
#   JUGGLE_SRUN_FLAGS  extra srun flags               (default: --mpi=pmix)
#   JUGGLE_MPIRUN_FLAGS  extra mpirun flags           (default: none)
set -euo pipefail

# The folder holding jobs/, tools/ and inputs/: the checkout, or share/juggle.
JUGGLE_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JUGGLE_DIR=${JUGGLE_DIR:-${SLURM_SUBMIT_DIR:-$PWD}}
cd "$JUGGLE_DIR"
if [ -z "${JUGGLE:-}" ]; then
  JUGGLE=$(command -v juggle || echo "$JUGGLE_HOME/build/juggle")
fi
OUTPUT_DIR=${OUTPUT_DIR:-results}
JUGGLE_LAUNCHER=${JUGGLE_LAUNCHER:-srun}

juggle_fail() {
  echo "$(basename "${JUGGLE_SCRIPT:-juggle job}"): $*" >&2
  exit 2
}

[ -x "$JUGGLE" ] ||
  juggle_fail "$JUGGLE is not an executable (put juggle on PATH: module load or install; or 'make build' in the checkout; or set JUGGLE)"
mkdir -p "$OUTPUT_DIR"

# One OpenMP thread per CPU SLURM gave each task, on cores next to each other.
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
export OMP_PLACES=${OMP_PLACES:-cores}
export OMP_PROC_BIND=${OMP_PROC_BIND:-close}

# results/<what>-<job id>.h5; array tasks add their task id, a requeued job
# its restart count, so no run ever meets an earlier run's file.
juggle_results() {
  local id=${SLURM_JOB_ID:-nojob}
  [ -z "${SLURM_ARRAY_JOB_ID:-}" ] || id=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}
  [ "${SLURM_RESTART_COUNT:-0}" = 0 ] || id=$id-restart$SLURM_RESTART_COUNT
  echo "$OUTPUT_DIR/$1-$id.h5"
}

# juggle_launch NTASKS THREADS ARGS...: one job step of NTASKS ranks with
# THREADS threads each. srun starts the ranks through PMIx (Debian's OpenMPI
# and most sites); where srun cannot start MPI programs, set
# JUGGLE_LAUNCHER=mpirun: OpenMPI's mpirun reads the SLURM allocation itself.
juggle_launch() {
  local ntasks=$1 threads=$2
  shift 2
  echo "== $(date -u +%FT%TZ) $JUGGLE_LAUNCHER: $ntasks ranks x $threads threads: $JUGGLE $*"
  case "$JUGGLE_LAUNCHER" in
    srun)
      # --cpus-per-task must be given to srun: since SLURM 22.05 a step no
      # longer inherits it from the job. The flags are a word list.
      # shellcheck disable=SC2086
      OMP_NUM_THREADS=$threads srun ${JUGGLE_SRUN_FLAGS---mpi=pmix} --ntasks="$ntasks" \
        --cpus-per-task="$threads" "$JUGGLE" "$@" ;;
    mpirun)
      # shellcheck disable=SC2086  # a word list
      OMP_NUM_THREADS=$threads mpirun ${JUGGLE_MPIRUN_FLAGS:-} -np "$ntasks" --map-by "slot:PE=$threads" \
        --bind-to core -x OMP_NUM_THREADS -x OMP_PLACES -x OMP_PROC_BIND "$JUGGLE" "$@" ;;
    *) juggle_fail "JUGGLE_LAUNCHER must be srun or mpirun, not '$JUGGLE_LAUNCHER'" ;;
  esac
}

# The input a job reads: $INPUT, else the generated default corpus (made
# once, on the batch node, if it is missing).
juggle_input() {
  if [ -n "${INPUT:-}" ]; then
    echo "$INPUT"
    return
  fi
  "$JUGGLE_HOME/tools/default-corpus.sh" "$JUGGLE" >&2
  echo inputs/generated
}
