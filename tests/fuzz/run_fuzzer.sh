#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its committed seeds.
# Usage: run_fuzzer.sh BINARY SEEDS_DIR WORK_DIR SECONDS [LIBRARY]
# New inputs go to WORK_DIR/corpus, a crashing input to WORK_DIR/artifacts/;
# the seeds are only read. Prints "fuzz: NAME: N runs clean in S s" and
# exits 0, or exits non-zero with libFuzzer's report of what failed.
#
# LIBRARY (e.g. libhdf5): crashes, hangs and allocations over the memory
# limit whose innermost frame is in that library are counted and listed,
# not failures: the library is not ours to fix (docs/reliability.md), while
# any of them in juggle's code still fails. Each is replayed to find that
# frame (the memory limit's report names the allocating frames). The target
# then runs in libFuzzer's fork mode so it goes on after a crash.
set -euo pipefail
binary=$1 seeds=$2 work=$3 seconds=$4 library=${5:-}
name=$(basename "$binary")
mkdir -p "$work/corpus" "$work/artifacts" "$work/earlier"
# Artifacts of earlier runs are kept aside: each run judges what it finds.
find "$work/artifacts" -type f -exec mv -t "$work/earlier" {} +
log="$work/last-run.log"
# -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that
# needs 2 GiB is a leak or an unbounded allocation. Leaks are checked at the
# end of every input (LeakSanitizer).
flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
       -artifact_prefix="$work/artifacts/")
# (A loop inside the library is caught after 3 s: replaying it must be quick.)
[[ -n $library ]] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -timeout=3)
# Leaks inside the libraries (libhdf5 on its error paths) are theirs: the
# same suppressions as make test-asan. A leak in juggle's code still fails.
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="suppressions=$here/../sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# A UBSan report needs its stack to be placed (the replay below reads it).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
status=0
"$binary" "${flags[@]}" "$work/corpus" "$seeds" >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
# Fork mode reports "#N: cov: ..." lines instead.
[[ -z $runs ]] && runs=$(sed -n 's/^#\([0-9][0-9]*\):.*/\1/p' "$log" | tail -1)
if [[ -n $library ]]; then
  in_library=0 unreproduced=0 ours=()
  # The innermost frame that is neither the sanitizer's (its allocator and
  # libc interceptors, e.g. "in malloc" inside the fuzz binary), libFuzzer's
  # nor libc's (by library, or by glibc's source path when symbolized, as in
  # "__memcpy_avx512_unaligned_erms string/../sysdeps/..."). "main" is
  # libFuzzer's: a memory report lists its input buffers among the live
  # allocations.
  for crash in "$work"/artifacts/crash-* "$work"/artifacts/timeout-* "$work"/artifacts/oom-*; do
    [[ -e $crash ]] || continue
    replay_status=0
    replay=$("$binary" -timeout=3 "$crash" 2>&1) || replay_status=$?
    frame=$(printf '%s\n' "$replay" | grep -E '^ +#[0-9]+ ' |
      grep -v -E '__interceptor_|__sanitizer|__asan|fuzzer::|libclang_rt|StackTrace|__libc_|libc\.so|/sysdeps/|in _start| in main ' |
      grep -v -E ' in (malloc|calloc|realloc|free|mem(cpy|move|set|cmp)|str[a-z]*|posix_memalign|aligned_alloc|operator (new|delete)[^ ]*) ' |
      head -1 || true)
    if [[ $frame == *"$library"* ]]; then
      in_library=$((in_library + 1))
    elif ((replay_status == 0)); then
      # Fork mode also writes a "crash" when a job dies at exit (not from an
      # input, often an empty file): replayed alone, the input passes.
      unreproduced=$((unreproduced + 1))
    else
      # It fails again, and not inside the library: ours, even when no frame
      # could be placed (the report's first line says what it was).
      ours+=("$crash: ${frame:-$(printf '%s\n' "$replay" | grep -m1 -E 'ERROR|runtime error|Sanitizer' || echo "exit $replay_status")}")
    fi
  done
  if ((${#ours[@]})); then
    printf '%s\n' "${ours[@]}" >&2
    echo "fuzz: $name FAILED: ${#ours[@]} crash(es) outside $library; inputs in $work/artifacts/" >&2
    exit 1
  fi
  echo "fuzz: $name: ${runs:-?} runs in $seconds s, no crash in juggle's code;" \
       "$in_library input(s) crash, hang or run out of memory inside $library, $unreproduced job exit(s) not reproducible from an input" \
       "(kept in $work/artifacts/)"
  exit 0
fi
if [[ $status -ne 0 ]]; then
  tail -60 "$log" >&2
  echo "fuzz: $name FAILED (exit $status) after ${runs:-?} runs; the input is in $work/artifacts/" >&2
  exit "$status"
fi
echo "fuzz: $name: ${runs:-?} runs clean in $seconds s ($(find "$work/corpus" -type f | wc -l) inputs in $work/corpus)"
