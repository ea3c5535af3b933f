#!/usr/bin/env bash
# Stands in for ssh as OpenMPI's rsh launcher agent (plm_rsh_agent) so that
# one machine plays several hosts: "uts_agent.sh [OPTIONS] HOST COMMAND..."
# runs COMMAND (the orted that mpirun starts on HOST) in a UTS namespace of
# its own, whose host name is sim-HOST (dots as dashes). The ranks that orted
# starts inherit that name: juggle records it, and OpenMPI treats each orted
# as a node of its own (no shared memory between them: TCP over lo).
set -euo pipefail
while [[ ${1:-} == -* ]]; do shift; done  # ssh options OpenMPI may pass
host=$1
shift
# shellcheck disable=SC2016  # expanded by the inner bash
exec unshare --uts bash -c 'hostname "$0" && exec bash -c "$1"' "sim-${host//./-}" "$*"
