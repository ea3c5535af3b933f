# shellcheck shell=bash
# A scaling study's grid, shared by jobs/laptop-scaling.sh and
# jobs/scaling.sbatch: every configuration of RANKS x THREADS, REPEATS
# times. Run i of the grid is repeat i / (|RANKS| |THREADS|), so all
# configurations are measured once before any is measured again (a slow
# spell of the machine then touches every configuration alike).
#
#   RANKS="1 2 4" THREADS="1 2" REPEATS=3
#   grid_size                 -> 18
#   grid_run 7                -> GRID_RANKS=2 GRID_THREADS=2 GRID_REPEAT=2 (1-based)
RANKS=${RANKS:-"1 2"}
THREADS=${THREADS:-"1 2"}
REPEATS=${REPEATS:-3}

grid_check() {
  local v
  for v in $RANKS $THREADS $REPEATS; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "grid: '$v' in RANKS/THREADS/REPEATS is not a positive integer" >&2; return 2; }
  done
}

grid_size() {
  local -a r t
  read -ra r <<< "$RANKS"
  read -ra t <<< "$THREADS"
  echo $(( ${#r[@]} * ${#t[@]} * REPEATS ))
}

# shellcheck disable=SC2034  # GRID_* are this function's results
grid_run() {
  local -a r t
  read -ra r <<< "$RANKS"
  read -ra t <<< "$THREADS"
  local i=$1 per=$(( ${#r[@]} * ${#t[@]} ))
  (( i >= 0 && i < per * REPEATS )) || { echo "grid: run $i is outside the grid of $(( per * REPEATS ))" >&2; return 2; }
  GRID_REPEAT=$(( i / per + 1 ))
  GRID_RANKS=${r[$(( i % per / ${#t[@]} ))]}
  GRID_THREADS=${t[$(( i % ${#t[@]} ))]}
}

grid_max() {
  local m=0 v
  for v in $1; do (( v > m )) && m=$v; done
  echo "$m"
}
