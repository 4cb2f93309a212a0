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
# the optional parts: reported, never counted against the exit status (most suites do without them)
optional() { # NAME STARTED-BY COMMAND...
  local name=$1 by=$2
  shift 2
  if "$@" >/dev/null 2>&1; then printf '  %-10s up\n' "$name"; else printf '  %-10s off   (%s starts it)\n' "$name" "$by"; fi
}
# shellcheck disable=SC2317
sge_ok() { qstat -f; }
# shellcheck disable=SC2317
pg_ok() { PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1) && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" status; }
optional gridengine "node scripts/cluster/ensure.mjs --sge" sge_ok
optional postgresql "node scripts/cluster/ensure.mjs --pg" pg_ok
if [ "$ok" = 0 ]; then sinfo -o '%P %a %l %T' 2>/dev/null | awk '{printf "  %-12s %-9s %-10s %s\n", $1, $2, $3, $4}'; fi
if [ "$ok" = 0 ] && [ "${1:-}" = --smoke ]; then bash "$HERE/smoke.sh" || ok=1; fi
exit "$ok"
