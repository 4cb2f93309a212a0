#!/usr/bin/env bash
# Stops the loopback test cluster that up.sh started: sshd (the listener; open sessions end on
# their own), slurmd, slurmctld, munged, each by the pid in its pid file; and Grid Engine
# (sge-up.sh) and PostgreSQL (pg-up.sh) when they were started. Keeps the state
# directory, the keys, the user and the packages, so up.sh brings back the very same cluster.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || { echo "[cluster] down.sh needs root" >&2; exit 3; }
for d in "$SSHD_PIDFILE sshd" "$SLURMD_PIDFILE slurmd" "$CTLD_PIDFILE slurmctld" "$MUNGE_PIDFILE munged"; do
  read -r f n <<<"$d"
  if alive "$f" "$n"; then stop "$f" "$n"; say "stopped $n"; else say "$n was not running"; fi
done
# Grid Engine: execd, then qmaster (their own pid files under /var/spool/gridengine)
for e in /var/spool/gridengine/execd/*/execd.pid; do
  [ -f "$e" ] || continue
  if alive "$e" sge_execd; then stop "$e" sge_execd; say "stopped sge_execd"; fi
done
Q=/var/spool/gridengine/qmaster/qmaster.pid
if [ -f "$Q" ] && alive "$Q" sge_qmaster; then stop "$Q" sge_qmaster; say "stopped sge_qmaster"; fi
# PostgreSQL: pg_ctl as its owner, fast shutdown (open sessions are ended)
if [ -f "$STATE/pg/data/PG_VERSION" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$PGBIN" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null && say "stopped postgresql"
  fi
fi
