#!/usr/bin/env bash
# Submit a scaling study to SLURM: an array job with one task per
# configuration and repeat (jobs/scaling.sbatch), and a report job that runs
# when all of them succeeded (jobs/report.sbatch, --dependency=afterok).
#
#   jobs/submit-scaling.sh [SBATCH OPTIONS...]          (from anywhere; runs in the checkout)
#   RANKS="1 2 4 8" THREADS="1 2 4" REPEATS=3 STUDY=mine jobs/submit-scaling.sh --partition=short
#
# RANKS, THREADS, REPEATS: the grid (default "1 2", "1 2", 3). STUDY: the
# folder under results/ (default scaling-<UTC time>). JOB, INPUT: as in
# jobs/scaling.sbatch. SBATCH OPTIONS go to both submissions (partition,
# account, qos...). WAIT=1: wait for the report job and exit with its status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=jobs/grid.sh
source jobs/grid.sh
grid_check || exit 2
STUDY=${STUDY:-scaling-$(date -u +%Y%m%dT%H%M%SZ)}
JUGGLE=${JUGGLE:-$PWD/build/juggle}
export RANKS THREADS REPEATS STUDY JUGGLE
runs=$(grid_size)
[ -x "$JUGGLE" ] || { echo "submit-scaling: $JUGGLE is not an executable (make build)" >&2; exit 2; }
# The default corpus is made here, once, not by every array task at once.
[ -n "${INPUT:-}" ] || tools/default-corpus.sh "$JUGGLE"
mkdir -p "results/$STUDY"

array=$(sbatch --parsable --array="0-$((runs - 1))" --ntasks="$(grid_max "$RANKS")" \
  --cpus-per-task="$(grid_max "$THREADS")" "$@" jobs/scaling.sbatch)
array=${array%%;*}
echo "study $STUDY: array job $array, $runs runs (ranks: $RANKS; threads: $THREADS; repeats: $REPEATS)"
# Cancelled, not left pending forever, when a run of the array fails.
report_flags=(--parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes)
rm -f "results/$STUDY/report.txt"
if [ -n "${WAIT:-}" ]; then
  # sbatch --wait exits 0 for a job cancelled before it ran (a failed
  # dependency), so success is the report it writes.
  status=0
  sbatch "${report_flags[@]}" --wait "$@" jobs/report.sbatch > "results/$STUDY/report-job" || status=$?
  report=$(cut -d';' -f1 "results/$STUDY/report-job")
  if [ "$status" -ne 0 ] || [ ! -s "results/$STUDY/report.txt" ]; then
    echo "study $STUDY: report job $report did not complete: a run of array job $array failed" \
      "(see results/slurm-${array}_*.out) or the report failed (results/slurm-$report.out)" >&2
    exit 1
  fi
  echo "study $STUDY: report job $report done: results/$STUDY/report.txt"
else
  report=$(sbatch "${report_flags[@]}" "$@" jobs/report.sbatch)
  echo "study $STUDY: report job ${report%%;*} runs after it: results/$STUDY/report.txt"
fi
