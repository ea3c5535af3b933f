#!/usr/bin/env bash
# The benchmark harness at a tiny scale (BENCH_SCALE from the caller), then
# `juggle report` of the results file it wrote.
#   run_tiny.sh PYTHON JUGGLE WORK
set -euo pipefail
python=$1 juggle=$2 work=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work/results"
"$python" "$here/../../bench/bench.py" --juggle "$juggle" --work "$work" --results "$work/results"
"$juggle" report "$work"/results/bench-*.h5
