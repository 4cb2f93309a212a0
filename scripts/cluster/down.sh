#!/usr/bin/env bash
# Stops the loopback test cluster started by up.sh (keeps its state directory and keys).
STATE=${EMANAGER_CLUSTER_DIR:-/var/lib/emanager-cluster}
[ -f "$STATE/sshd.pid" ] && kill "$(cat "$STATE/sshd.pid")" 2>/dev/null
pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null
echo "[cluster] stopped"
