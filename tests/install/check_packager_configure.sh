#!/usr/bin/env bash
# A packager's build needs no test tools: configured with BUILD_TESTING=OFF
# and Catch2 made unfindable, CMake succeeds and adds no tests; the same
# configure with tests on fails (so the first result is not an accident).
#
#   check_packager_configure.sh SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d /tmp/juggle-configure.XXXXXX)
trap 'rm -rf "$work"' EXIT
no_catch2=(-DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON)
cmake -S "$src" -B "$work/off" -DBUILD_TESTING=OFF "${no_catch2[@]}" >"$work/off.log" 2>&1 ||
  { cat "$work/off.log"; echo "FAIL: BUILD_TESTING=OFF does not configure without Catch2" >&2; exit 1; }
[ ! -e "$work/off/tests" ] || { echo "FAIL: BUILD_TESTING=OFF still configures tests/" >&2; exit 1; }
echo "ok: BUILD_TESTING=OFF configures without Catch2 and without tests/"
if cmake -S "$src" -B "$work/on" "${no_catch2[@]}" >"$work/on.log" 2>&1; then
  echo "FAIL: tests configure without Catch2: the check above proves nothing" >&2
  exit 1
fi
echo "ok: with tests on, the missing Catch2 is an error"
