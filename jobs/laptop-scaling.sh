#!/usr/bin/env bash
# A scaling study on one machine: `juggle run JOB` for every ranks x threads
# configuration, REPEATS times, into results/<STUDY>/, then
# `juggle report --study` (median, speedup, efficiency) and its plots.
#
#   jobs/laptop-scaling.sh [JOB.toml]        (default jobs/laptop-scaling.toml)
#   RANKS="1 2 4" THREADS="1 2" REPEATS=3 STUDY=mystudy jobs/laptop-scaling.sh
#
# Ranks are started unbound (--bind-to none) and may oversubscribe a small
# laptop, so threads get cores; on a cluster use jobs/scaling.sbatch instead.
set -euo pipefail
JOB=${1:-jobs/laptop-scaling.toml}
JUGGLE=${JUGGLE:-build/juggle}
RANKS=${RANKS:-"1 2"}
THREADS=${THREADS:-"1 2"}
REPEATS=${REPEATS:-3}
STUDY=${STUDY:-laptop-$(date -u +%Y%m%dT%H%M%SZ)}
CORPUS=${CORPUS:-inputs/generated}
OUT=results/$STUDY
# OpenMPI refuses to start as root unless told it may.
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

[ -x "$JUGGLE" ] || { echo "laptop-scaling: $JUGGLE not built (make build)" >&2; exit 2; }
[ -f "$CORPUS/MANIFEST.tsv" ] || "$JUGGLE" gen --out "$CORPUS" --files 64 --size 128MiB --seed 1
mkdir -p "$OUT"
for rep in $(seq "$REPEATS"); do
  for ranks in $RANKS; do
    for threads in $THREADS; do
      file="$OUT/run-${ranks}x${threads}-r${rep}.h5"
      echo "== repeat $rep: $ranks ranks x $threads threads -> $file"
      mpirun --oversubscribe --bind-to none -np "$ranks" "$JUGGLE" run "$JOB" --threads "$threads" \
        --set count.paths="$CORPUS" --set tokenize.paths="$CORPUS" --output "$file" --force > "$OUT/run-${ranks}x${threads}-r${rep}.log"
    done
  done
done
echo
echo "== juggle report --study $OUT --plot $OUT/plots"
"$JUGGLE" report --study "$OUT" --plot "$OUT/plots"
