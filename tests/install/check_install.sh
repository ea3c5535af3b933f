#!/usr/bin/env bash
# An installed juggle works on its own: installed into a temporary prefix by
# an unprivileged user (setpriv), moved, then run as that user with the
# source and build trees out of sight (a private mount namespace lays an empty tmpfs over
# them, so tests running meanwhile still see them): installed_checks.sh.
#
#   check_install.sh SOURCE_DIR BUILD_DIR
#
# Exit 77 (skipped) when not root: setpriv and mount namespaces need it.
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root (setpriv, unshare -m)"; exit 77; }
for tool in setpriv unshare man; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool missing"; exit 77; }
done
work=$(mktemp -d /tmp/juggle-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
chown nobody:nogroup "$work"
# A sanitized build reads its suppression files from the checkout, which is
# about to be hidden: the checks use copies.
if [[ ${LSAN_OPTIONS:-} == *"$src/tests/sanitizers/"* ]]; then
  cp -r "$src/tests/sanitizers" "$work/sanitizers"
  export LSAN_OPTIONS=${LSAN_OPTIONS//"$src/tests/sanitizers/"/"$work/sanitizers/"}
fi
as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=$work PATH=$PATH"
cp "$src/tests/install/installed_checks.sh" "$work/"
# cmake --install writes install_manifest.txt into the build tree, which is
# not nobody's: in the namespace a file of nobody's is bound over it.
touch "$build/install_manifest.txt" "$work/manifest.txt"
chown nobody:nogroup "$work/manifest.txt"
hide="mount -t tmpfs none '$src'"
case "$build/" in "$src"/*) ;; *) hide="$hide && mount -t tmpfs none '$build'" ;; esac
unshare -m bash -euo pipefail -c "
  mount --bind '$work/manifest.txt' '$build/install_manifest.txt'
  $as_nobody cmake --install '$build' --prefix '$work/prefix' >/dev/null
  [ \"\$(stat -c %U '$work/prefix/bin/juggle')\" = nobody ] || { echo 'FAIL: not installed by nobody' >&2; exit 1; }
  echo \"ok: installed into $work/prefix by nobody (\$(wc -l < '$work/manifest.txt') files):\"
  (cd '$work/prefix' && find . -type f -o -type l | sort)
  umount '$build/install_manifest.txt'
  # The checks run from their copy: the checkout disappears now.
  $hide
  [ ! -e '$src/CMakeLists.txt' ] && echo 'ok: $src hidden'
  # A module tree gets moved or copied: the checks run on the moved prefix.
  mv '$work/prefix' '$work/moved'
  exec $as_nobody bash '$work/installed_checks.sh' '$work/moved' '$work'"
