#!/usr/bin/env bash
# Stops the loopback test cluster that up.sh started: sshd (the listener; open sessions end on
# their own), slurmd, slurmctld, munged, each by the pid in its pid file. Keeps the state
# directory, the keys, the user and the packages, so up.sh brings back the very same cluster.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || { echo "[cluster] down.sh needs root" >&2; exit 3; }
for d in "$SSHD_PIDFILE sshd" "$SLURMD_PIDFILE slurmd" "$CTLD_PIDFILE slurmctld" "$MUNGE_PIDFILE munged"; do
  read -r f n <<<"$d"
  if alive "$f" "$n"; then stop "$f" "$n"; say "stopped $n"; else say "$n was not running"; fi
done
