#!/usr/bin/env bash
# Submit a scaling study to SLURM: an array job with one task per
# configuration and repeat (jobs/scaling.sbatch), and a report job that runs
# when all of them succeeded (jobs/report.sbatch, --dependency=afterok).
#
#   jobs/submit-scaling.sh [SBATCH OPTIONS...]   (from a checkout: runs there; installed: in the current directory)
#   RANKS="1 2 4 8" THREADS="1 2 4" REPEATS=3 STUDY=mine jobs/submit-scaling.sh --partition=short
#
# RANKS, THREADS, REPEATS: the grid (default "1 2", "1 2", 3). STUDY: the
# folder under results/ (default scaling-<UTC time>). JOB, INPUT: as in
# jobs/scaling.sbatch. SBATCH OPTIONS go to both submissions (partition,
# account, qos...). WAIT=1: wait for the report job and exit with its status.
# JUGGLE_DIR: where the study runs (results/, inputs/generated, the logs).
set -euo pipefail
# The folder holding jobs/ and tools/: a checkout, or an installed share/juggle.
JUGGLE_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${JUGGLE_DIR:-}" ]; then
  JUGGLE_DIR=$PWD
  [ ! -f "$JUGGLE_HOME/CMakeLists.txt" ] || JUGGLE_DIR=$JUGGLE_HOME
fi
cd "$JUGGLE_DIR"
# shellcheck source=jobs/grid.sh
source "$JUGGLE_HOME/jobs/grid.sh"
grid_check || exit 2
STUDY=${STUDY:-scaling-$(date -u +%Y%m%dT%H%M%SZ)}
JUGGLE=${JUGGLE:-$(command -v juggle || echo "$JUGGLE_HOME/build/juggle")}
export RANKS THREADS REPEATS STUDY JUGGLE JUGGLE_DIR
runs=$(grid_size)
[ -x "$JUGGLE" ] ||
  { echo "submit-scaling: $JUGGLE is not an executable (make build, or put juggle on PATH)" >&2; exit 2; }
# The default corpus is made here, once, not by every array task at once.
[ -n "${INPUT:-}" ] || "$JUGGLE_HOME/tools/default-corpus.sh" "$JUGGLE"
mkdir -p "results/$STUDY"

array=$(sbatch --parsable --array="0-$((runs - 1))" --ntasks="$(grid_max "$RANKS")" \
  --cpus-per-task="$(grid_max "$THREADS")" "$@" "$JUGGLE_HOME/jobs/scaling.sbatch")
array=${array%%;*}
echo "study $STUDY: array job $array, $runs runs (ranks: $RANKS; threads: $THREADS; repeats: $REPEATS)"
# Cancelled, not left pending forever, when a run of the array fails.
report_flags=(--parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes)
rm -f "results/$STUDY/report.txt"
if [ -n "${WAIT:-}" ]; then
  # sbatch --wait exits 0 for a job cancelled before it ran (a failed
  # dependency), so success is the report it writes.
  status=0
  sbatch "${report_flags[@]}" --wait "$@" "$JUGGLE_HOME/jobs/report.sbatch" > "results/$STUDY/report-job" || status=$?
  report=$(cut -d';' -f1 "results/$STUDY/report-job")
  if [ "$status" -ne 0 ] || [ ! -s "results/$STUDY/report.txt" ]; then
    echo "study $STUDY: report job $report did not complete: a run of array job $array failed" \
      "(see juggle-scaling-${array}_*.out) or the report failed (juggle-report-$report.out)" >&2
    exit 1
  fi
  echo "study $STUDY: report job $report done: results/$STUDY/report.txt"
else
  report=$(sbatch "${report_flags[@]}" "$@" "$JUGGLE_HOME/jobs/report.sbatch")
  echo "study $STUDY: report job ${report%%;*} runs after it: results/$STUDY/report.txt"
fi
