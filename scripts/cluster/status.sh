#!/usr/bin/env bash
# Reports each part of the loopback test cluster; exit 0 when all are up, 1 otherwise.
# Options: --smoke  also run smoke.sh (submits real jobs over ssh; a few seconds).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
ok=0
check() { # check NAME DETAIL COMMAND...
  local name=$1 detail=$2
  shift 2
  if "$@" >/dev/null 2>&1; then printf '  %-10s up    %s\n' "$name" "$detail"; else printf '  %-10s DOWN  %s\n' "$name" "$detail"; ok=1; fi
}
# shellcheck disable=SC2317 # called through check()
munge_ok() { munge -n | unmunge; }
# shellcheck disable=SC2317
state_ok() { [ -r "$STATE/cluster.json" ] && [ -r "$STATE/id_ed25519" ] && [ -r "$STATE/known_hosts" ]; }
pid_of() { [ -s "$1" ] && echo "pid $(<"$1")"; }
echo "[cluster] state directory $STATE"
check munged "$(pid_of "$MUNGE_PIDFILE")" munge_ok
check slurmctld "$(pid_of "$CTLD_PIDFILE")" alive "$CTLD_PIDFILE" slurmctld
check slurmd "$(pid_of "$SLURMD_PIDFILE")" alive "$SLURMD_PIDFILE" slurmd
check node "$HOST_NAME: $(sinfo -h -N -n "$HOST_NAME" -o '%T, %c CPUs' 2>/dev/null | head -1)" slurm_ready
check sshd "127.0.0.1:$PORT $(pid_of "$SSHD_PIDFILE")" sshd_ready
check state "cluster.json, id_ed25519, known_hosts" state_ok
if [ "$ok" = 0 ]; then sinfo -o '  %-12P %-6a %-10l %T' 2>/dev/null; fi
if [ "$ok" = 0 ] && [ "${1:-}" = --smoke ]; then bash "$HERE/smoke.sh" || ok=1; fi
exit "$ok"
