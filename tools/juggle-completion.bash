# bash completion for juggle (installed as share/bash-completion/completions/juggle).
# Subcommands and options are read from juggle's own --help, so they cannot
# drift from the binary; file names complete everywhere else.
_juggle() {
  # prev is set by _init_completion; local, so it does not leak into the shell.
  # shellcheck disable=SC2034
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur=${COMP_WORDS[COMP_CWORD]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }
  local prog=${words[0]} sub="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      -*) ;;
      *) sub=${words[i]}; break ;;
    esac
  done
  if [ -z "$sub" ]; then
    if [[ $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
    else
      local subs
      subs=$("$prog" --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next} on && NF == 0 {on = 0} on {print $1}')
      mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    local opts
    opts=$("$prog" "$sub" --help 2>/dev/null | grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u)
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return
  fi
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  compopt -o filenames 2>/dev/null
}
complete -F _juggle juggle
