#!/usr/bin/env bash
# make demo, offline: serve the generated corpus from 127.0.0.1 with latency,
# fetch it sequentially (for comparison), then run inputs/demo.toml under
# mpirun: fetch (multi) -> count -> tokenize, one results file.
set -euo pipefail
BUILD=${BUILD:-build}; NP=${NP:-2}; PYTHON=${PYTHON:-python3}; MPIRUN=${MPIRUN:-mpirun}
CORPUS=inputs/generated
WORK=$BUILD/demo
JUGGLE=$BUILD/juggle
mkdir -p "$WORK"
tools/default-corpus.sh "$JUGGLE" "$CORPUS"

python3 tools/serve_files.py $CORPUS --latency 50 --lifetime 600 > "$WORK/server.out" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q PORT "$WORK/server.out" 2>/dev/null && break; sleep 0.05; done
port=$(awk '/PORT/{print $2}' "$WORK/server.out")
[ -n "$port" ] || { echo "demo: the file server did not start" >&2; exit 1; }
for f in "$CORPUS"/*.gz; do echo "http://127.0.0.1:$port/$(basename "$f")"; done > "$WORK/demo.urls"
echo "== serving $CORPUS on 127.0.0.1:$port with 50 ms latency per request =="
echo
echo "== sequential fetch, for comparison =="
$JUGGLE fetch --urls "$WORK/demo.urls" --out "$WORK/sequential" --mode sequential --force --no-output | tail -n 1
echo
echo "== mpirun -np $NP juggle run inputs/demo.toml =="
$MPIRUN -np "$NP" "$JUGGLE" run inputs/demo.toml --set fetch.urls="$WORK/demo.urls"
echo
# shellcheck disable=SC2012  # our own names: no odd characters
run_file=$(ls -t results/run-*.h5 | head -n 1)
echo "== the results file, read back with h5py (analysis/show_results.py) =="
$PYTHON analysis/show_results.py "$run_file"
echo
echo "== juggle report $run_file --plot results/demo-plots =="
$JUGGLE report "$run_file" --plot results/demo-plots
