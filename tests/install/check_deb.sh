#!/usr/bin/env bash
# The Debian package: built by CPack from BUILD_DIR, its declared
# dependencies checked, installed with apt-get (its dependencies are among
# make deps' packages, so nothing is downloaded), installed_checks.sh run
# against /usr by an unprivileged user, then removed, leaving no
# /usr/bin/juggle behind.
#
#   check_deb.sh SOURCE_DIR BUILD_DIR
#
# Exit 77 (skipped) when not root, without dpkg, or when a juggle is already
# installed system-wide (a user's own is never replaced by a test).
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "skipped: installing a package needs root"; exit 77; }
for tool in dpkg-deb apt-get cpack; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool missing"; exit 77; }
done
if dpkg-query -W -f='${Status}' juggle 2>/dev/null | grep -q 'install ok installed' || [ -e /usr/bin/juggle ]; then
  echo "skipped: juggle is already installed in /usr"
  exit 77
fi
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d /tmp/juggle-deb.XXXXXX)
installed=0
cleanup() {
  [ "$installed" = 0 ] || apt-get remove -y -qq juggle >/dev/null || dpkg -r juggle >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$build" && cpack -G DEB -B "$work/package" >/dev/null)
deb=$(find "$work/package" -maxdepth 1 -name 'juggle_*.deb' | head -1)
[ -n "$deb" ] || fail "cpack made no juggle_*.deb"
echo "ok: built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# OpenMP's runtime is GCC's libgomp1 or, built by Clang, LLVM's libomp.
for need in libhdf5-openmpi libcurl zlib1g libopenmpi openmpi-bin python3-h5py python3-matplotlib 'libstdc\+\+6' 'lib(gomp|omp)'; do
  grep -Eq "$need" <<<"$depends" || fail "the package does not declare $need"
done
echo "ok: dependencies declared"

installed=1
apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
[ -x /usr/bin/juggle ] || fail "apt-get install gave no /usr/bin/juggle"
echo "ok: installed with apt-get"
chmod 755 "$work"
mkdir "$work/checks"
chown nobody:nogroup "$work/checks"
setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work/checks" \
  bash "$src/tests/install/installed_checks.sh" /usr "$work/checks"

apt-get remove -y -qq juggle >/dev/null
installed=0
[ ! -e /usr/bin/juggle ] || fail "/usr/bin/juggle is still there after apt-get remove"
echo "ok: removed"
