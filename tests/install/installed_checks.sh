#!/usr/bin/env bash
# What an installed juggle must do with nothing but its install tree, checked
# by check_install.sh (a prefix, source hidden) and check_deb.sh (/usr):
# --version, gen, count against zcat | wc -l (one rank and under mpirun),
# tokenize, report --plot (the plot script found from the binary's place),
# man -l of its page, and bash completion of subcommands and options.
#
#   installed_checks.sh PREFIX WORK       (PREFIX/bin/juggle; WORK writable)
set -euo pipefail
prefix=$1
work=$2
juggle=$prefix/bin/juggle
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

version=$("$juggle" --version) || fail "$juggle --version exits $?"
[[ $version == juggle* ]] || fail "--version says '$version'"
ok "$juggle --version: $version"

corpus=$work/corpus
"$juggle" gen --out "$corpus" --files 6 --size 384KiB --seed 5 >/dev/null
want=$(cat "$corpus"/*.gz | zcat | wc -l)
out=$("$juggle" count --output "$work/count.h5" "$corpus")
grep -q "^check: lines=$want " <<<"$out" || fail "count: expected lines=$want in: $out"
ok "count: lines=$want, as zcat | wc -l"

mpi_out=$(mpirun -np 2 "$juggle" count --no-output "$corpus") || fail "mpirun -np 2 juggle count exits $?"
grep -q "^check: lines=$want " <<<"$mpi_out" || fail "count under mpirun: expected lines=$want in: $mpi_out"
ok "count under mpirun -np 2: lines=$want"

tok=$("$juggle" tokenize --top 3 --output "$work/tokenize.h5" "$corpus") || fail "tokenize exits $?"
grep -q "^check: .*failed=0" <<<"$tok" || fail "tokenize: no clean check line in: $tok"
ok "tokenize"

"$juggle" report --plot "$work/plots" "$work/count.h5" "$work/tokenize.h5" >/dev/null 2>"$work/plot.err" ||
  { cat "$work/plot.err" >&2; fail "report --plot exits non-zero"; }
pngs=$(find "$work/plots" -name '*.png' -size +2k | wc -l)
[ "$pngs" -ge 2 ] || fail "report --plot wrote $pngs PNG files"
ok "report --plot: $pngs plots"

page=$(find "$prefix/share/man/man1" -name 'juggle.1*' | head -1)
[ -n "$page" ] || fail "no man page under $prefix/share/man/man1"
text=$(MANWIDTH=100 man -l "$page" 2>"$work/man.err") || { cat "$work/man.err" >&2; fail "man -l $page"; }
[ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "man -l $page warns"; }
for word in count tokenize fetch resolve run report gen --threads --output "EXIT STATUS"; do
  grep -qF -- "$word" <<<"$text" || fail "the man page does not mention $word"
done
ok "man -l $page renders"

completion=$prefix/share/bash-completion/completions/juggle
# shellcheck source=/dev/null
source "$completion"
COMP_WORDS=("$juggle" co); COMP_CWORD=1; _juggle
[[ " ${COMPREPLY[*]} " == *" count "* ]] || fail "completion of 'co' gave: ${COMPREPLY[*]}"
COMP_WORDS=("$juggle" count --thr); COMP_CWORD=2; _juggle
[[ " ${COMPREPLY[*]} " == *" --threads "* ]] || fail "completion of 'count --thr' gave: ${COMPREPLY[*]}"
ok "bash completion: subcommands and options"
