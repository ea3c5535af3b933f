#!/usr/bin/env bash
# juggle across two hosts simulated on this machine (uts_agent.sh): mpirun
# starts an orted per "host" (127.0.0.2 and 127.0.0.3, each a UTS namespace
# with its own host name), two ranks on each, ranks talking over TCP between
# hosts and shared memory within one. count and tokenize must give the
# check: lines and word lists of a one-rank run; the results file must name
# both hosts, two ranks each, with their clock offsets. A run allowed only
# shared memory must fail: the hosts really are apart.
#
#   check_multihost.sh JUGGLE CORPUS WORK
#
# Exit 77 (skipped) when not root (unshare --uts needs it).
set -euo pipefail
juggle=$(readlink -f "$1")
corpus=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "skipped: unshare --uts needs root"; exit 77; }
unshare --uts true 2>/dev/null || { echo "skipped: no UTS namespaces here"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
# shellcheck disable=SC2054  # the commas belong to --host's value
hosts=(--host 127.0.0.2:2,127.0.0.3:2 -np 4 --bind-to none
       --mca plm_rsh_agent "$here/uts_agent.sh" --mca oob_tcp_if_include lo --mca btl_tcp_if_include lo)
on_two_hosts() { timeout 300 mpirun "${hosts[@]}" --mca btl tcp,vader,self "$juggle" "$@"; }
check() { grep '^check: ' <<<"$1" || true; }

for stage in count tokenize; do
  extra=()
  [ "$stage" = count ] || extra=(--top 0 --csv)
  one=$("$juggle" "$stage" --threads 1 --no-output "${extra[@]}" ${extra:+"$work/$stage-1.csv"} "$corpus")
  four=$(on_two_hosts "$stage" --threads 1 --output "$work/$stage.h5" "${extra[@]}" \
         ${extra:+"$work/$stage-4.csv"} "$corpus") || fail "$stage on two hosts exits $?"
  if [ -z "$(check "$one")" ] || [ "$(check "$one")" != "$(check "$four")" ]; then
    fail "$stage: 1 rank says '$(check "$one")', 2 hosts x 2 ranks '$(check "$four")'"
  fi
  if [ "$stage" = tokenize ]; then
    cmp -s "$work/$stage-1.csv" "$work/$stage-4.csv" || fail "tokenize: the word lists differ"
  fi
  echo "ok: $stage on 2 hosts x 2 ranks: $(check "$four")"
  /usr/bin/python3 - "$work/$stage.h5" <<'PY' || fail "$stage: the results file does not record two hosts"
import sys, h5py
with h5py.File(sys.argv[1], "r") as h5:
    hosts = [h.decode() if isinstance(h, bytes) else h for h in h5["ranks/hostname"][:]]
    offsets = h5["ranks/wtime_offset"][:]
assert hosts == ["sim-127-0-0-2"] * 2 + ["sim-127-0-0-3"] * 2, hosts
assert len(offsets) == 4 and all(abs(o) < 1.0 for o in offsets), offsets
print(f"ok: ranks on {hosts}, clock offsets {list(offsets)}")
PY
done

if timeout 120 mpirun "${hosts[@]}" --mca btl vader,self "$juggle" count --no-output "$corpus" \
     >"$work/apart.log" 2>&1; then
  fail "with shared memory alone the two hosts still reached each other: they are not apart"
fi
grep -q "unable to reach each other" "$work/apart.log" ||
  fail "the shared-memory-only run failed for another reason: $(tail -5 "$work/apart.log")"
grep -q "^juggle: rank 0 on sim-127-0-0-2: .*:[0-9]*: " "$work/apart.log" ||
  fail "the failing rank did not name itself, its host and file:line"
echo "ok: with shared memory alone the hosts cannot reach each other (TCP carried the runs above);"
echo "ok: the failing rank named itself, its host and file:line"
