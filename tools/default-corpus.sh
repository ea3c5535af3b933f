#!/usr/bin/env bash
# The default input (make demo, the job scripts, the scaling studies): the
# generated corpus, made once. Its definition lives here only.
#   tools/default-corpus.sh JUGGLE [DIR]          (DIR default inputs/generated)
set -euo pipefail
juggle=$1
dir=${2:-inputs/generated}
[ -f "$dir/MANIFEST.tsv" ] || "$juggle" gen --out "$dir" --files 64 --size 128MiB --seed 1
