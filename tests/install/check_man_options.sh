#!/usr/bin/env bash
# The man page cannot fall behind the program: every subcommand of
# `juggle --help` and every long option of each subcommand's --help must be
# named in docs/juggle.1 (as roff writes it: \-\-name).
#
#   check_man_options.sh JUGGLE MANPAGE
set -euo pipefail
juggle=$1
page=$2
missing=0
subs=$("$juggle" --help | awk '/^Subcommands:/ {on = 1; next} on && NF == 0 {on = 0} on {print $1}')
[ -n "$subs" ] || { echo "FAIL: no subcommands in juggle --help" >&2; exit 1; }
for sub in $subs; do
  grep -q "^\.SS \"juggle $sub" "$page" || { echo "FAIL: no section for juggle $sub" >&2; missing=1; }
  for opt in $("$juggle" "$sub" --help | grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' | sed 's/^[ ,]*//' | sort -u); do
    roff=${opt//-/\\-}
    grep -qF -- "$roff" "$page" || { echo "FAIL: juggle $sub $opt is not in $page" >&2; missing=1; }
  done
done
[ "$missing" = 0 ] && echo "ok: every subcommand and option of juggle --help is in $page"
exit "$missing"
