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
# Works in the current directory (results/, the corpus); finds the rest in
# its checkout or installed share/juggle. JUGGLE: default the juggle on
# PATH, else the checkout's build/juggle.
here=$(dirname "${BASH_SOURCE[0]}")
JOB=${1:-$here/laptop-scaling.toml}
JUGGLE=${JUGGLE:-$(command -v juggle || echo "$here/../build/juggle")}
# shellcheck source=jobs/grid.sh
source "$here/grid.sh"
grid_check || exit 2
STUDY=${STUDY:-laptop-$(date -u +%Y%m%dT%H%M%SZ)}
CORPUS=${CORPUS:-inputs/generated}
OUT=results/$STUDY
# OpenMPI refuses to start as root unless told it may.
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

[ -x "$JUGGLE" ] || { echo "laptop-scaling: $JUGGLE not built (make build, or put juggle on PATH)" >&2; exit 2; }
"$here/../tools/default-corpus.sh" "$JUGGLE" "$CORPUS"
mkdir -p "$OUT"
for ((i = 0; i < $(grid_size); i++)); do
  grid_run "$i"
  name="run-${GRID_RANKS}x${GRID_THREADS}-r${GRID_REPEAT}"
  echo "== repeat $GRID_REPEAT: $GRID_RANKS ranks x $GRID_THREADS threads -> $OUT/$name.h5"
  mpirun --oversubscribe --bind-to none -np "$GRID_RANKS" "$JUGGLE" run "$JOB" --threads "$GRID_THREADS" \
    --set count.paths="$CORPUS" --set tokenize.paths="$CORPUS" --output "$OUT/$name.h5" --force > "$OUT/$name.log"
done
echo
echo "== juggle report --study $OUT --plot $OUT/plots"
"$JUGGLE" report --study "$OUT" --plot "$OUT/plots"
