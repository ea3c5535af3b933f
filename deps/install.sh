#!/usr/bin/env bash
# Install the Debian packages listed in deps/debian-packages.txt that are
# missing, when this user may: as root, or through sudo without a password.
# Otherwise (an ordinary cluster account, JUGGLE_NO_APT=1, a system without
# dpkg) it installs nothing, names what is missing and exits 0, so the build
# goes on and CMake says which dependency it cannot find (README: "Building
# without root").
# Idempotent: when everything is present it only checks, without touching apt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v dpkg-query >/dev/null; then
  echo "deps: no dpkg here: install the equivalents of $here/debian-packages.txt yourself (README: Building without root)"
  exit 0
fi
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/debian-packages.txt" | grep -v '^$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=none
if [ "${JUGGLE_NO_APT:-0}" != 1 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  fi
fi
if [ "$sudo" = none ]; then
  echo "deps: not installing (not root, no password-less sudo, or JUGGLE_NO_APT=1); missing Debian packages:"
  echo "deps:   ${missing[*]}"
  echo "deps: an administrator can run: apt-get install ${missing[*]}"
  echo "deps: or point CMake at modules/Spack: make CMAKE_FLAGS=\"-DCMAKE_PREFIX_PATH=...\" (README: Building without root)"
  exit 0
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
