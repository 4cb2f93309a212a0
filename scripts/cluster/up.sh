#!/usr/bin/env bash
# A real SLURM cluster and an sshd on loopback, for EManager's tests and demo (as root).
# Idempotent: each step checks first and acts only on what is missing or changed, so a second
# run on a cluster that is up exits 0 in well under a second. Prints what it did.
#   SLURM: munged, slurmctld, slurmd; one node (32 CPUs declared) and a partition per SC2014
#          machine: stampede (default, 60 min), trestles (30), hopper (120), debug (10),
#          gordon (DOWN: jobs stay PENDING), blacklight (INACTIVE: sbatch rejects the job).
#   sshd:  127.0.0.1:$PORT only, its own config, keys only, no root, user hpcuser.
#   State: $EMANAGER_CLUSTER_DIR (default /var/lib/emanager-cluster): keys, known_hosts,
#          cluster.env, cluster.json (what tests read). See scripts/cluster/README.md.
# Options: --smoke  run smoke.sh even when nothing changed (it always runs after a change).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
. "$HERE/render.sh"
T0=$(now_ms)
FORCE_SMOKE=0
[ "${1:-}" = --smoke ] && FORCE_SMOKE=1

[ "$EUID" = 0 ] || { echo "[cluster] up.sh needs root: it installs Debian packages, adds a user and starts daemons" >&2; exit 3; }
if [ "$FORCE_SMOKE" = 0 ] && fast_path_ok "$HERE"; then
  say "already up, nothing to do ($(($(now_ms) - T0)) ms): ssh -p $PORT $HPCUSER@127.0.0.1, state in $STATE"
  exit 0
fi
mkdir -p "$STATE"
chmod 755 "$STATE"
# Parallel test workers may all call this at once: one at a time. Every daemon below is started
# with fd 9 closed (`9>&-`): a daemon that inherited it would hold the lock for as long as it lives.
take_lock
rm -f "$STAMP"
DID=()
MUNGE_STARTED=0
POLICY_GUARD=0
trap '[ "$POLICY_GUARD" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT

# put TEXT FILE MODE: (re)writes FILE only when its content differs; true when it wrote.
put() {
  local tmp="$2.tmp.$$"
  printf '%s\n' "$1" >"$tmp"
  chmod "$3" "$tmp"
  if cmp -s "$tmp" "$2"; then rm -f "$tmp"; return 1; fi
  mv -f "$tmp" "$2"
}

install_packages() {
  local need=()
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null || need+=(slurm-wlm)
  [ -x /usr/sbin/munged ] || need+=(munge)
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "[cluster] ${need[*]} missing and there is no apt-get here (Debian/Ubuntu only)" >&2; exit 3; }
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start services: a system sshd would listen on every interface.
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; POLICY_GUARD=1; fi
  local t
  t=$(now_ms)
  if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then say "apt-get update (package lists are missing)"; apt-get update -qq; fi
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    say "install failed, refreshing package lists and retrying"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  DID+=("installed ${need[*]} in $(($(now_ms) - t)) ms")
}

start_munge() {
  mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
    DID+=("created the munge key")
  fi
  chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge
  chmod 400 /etc/munge/munge.key
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
  runuser -u munge -- /usr/sbin/munged 9>&-
  MUNGE_STARTED=1
  DID+=("started munged")
}

start_slurm() {
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  rm -f "$STATE/slurm.conf.new"
  if put "$(render_slurm_conf)" "$SLURM_CONF" 644; then
    DID+=("wrote $SLURM_CONF")
    stop "$CTLD_PIDFILE" slurmctld
    stop "$SLURMD_PIDFILE" slurmd
  fi
  if [ "$MUNGE_STARTED" = 1 ]; then
    # SLURM daemons that outlived their munged cannot authenticate with the new one: the node goes
    # DOWN and jobs never start. Restart them (queued and running jobs survive, as on any restart).
    stop "$CTLD_PIDFILE" slurmctld
    stop "$SLURMD_PIDFILE" slurmd
  fi
  alive "$CTLD_PIDFILE" slurmctld || { slurmctld 9>&-; DID+=("started slurmctld"); }
  alive "$SLURMD_PIDFILE" slurmd || { slurmd 9>&-; DID+=("started slurmd"); }
  local st
  for _ in $(seq 1 60); do
    slurm_ready && return 0
    st=$(sinfo -h -N -n "$HOST_NAME" -o %T 2>/dev/null | head -1 || true)
    case "$st" in down* | drain* | fail*) scontrol update nodename="$HOST_NAME" state=resume >/dev/null 2>&1 || true ;; esac
    sleep 0.5
  done
  echo "[cluster] SLURM did not become ready in 30 s (node state: ${st:-no answer})" >&2
  tail -n 5 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
  exit 1
}

setup_user() {
  if ! id "$HPCUSER" >/dev/null 2>&1; then useradd -m -s /bin/bash "$HPCUSER"; DID+=("added user $HPCUSER"); fi
  # "*": no password can log in, yet the account is not locked (sshd without PAM refuses locked ones).
  [ "$(getent shadow "$HPCUSER" | cut -d: -f2)" = "*" ] || usermod -p '*' "$HPCUSER"
  if [ ! -f "$STATE/id_ed25519" ]; then
    ssh-keygen -q -t ed25519 -N '' -C emanager-test -f "$STATE/id_ed25519"
    DID+=("generated the user key $STATE/id_ed25519")
  fi
  # A second key, protected by a passphrase, so the passphrase path is tested for real.
  if [ ! -f "$STATE/id_ed25519_pass" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '\n' >"$STATE/id_ed25519_pass.passphrase")
    ssh-keygen -q -t ed25519 -N "$(cat "$STATE/id_ed25519_pass.passphrase")" -C emanager-test-passphrase -f "$STATE/id_ed25519_pass"
    DID+=("generated the passphrase-protected key $STATE/id_ed25519_pass")
  fi
  install -d -m 700 -o "$HPCUSER" -g "$HPCUSER" "/home/$HPCUSER/.ssh"
  if put "$(cat "$STATE/id_ed25519.pub" "$STATE/id_ed25519_pass.pub")" "/home/$HPCUSER/.ssh/authorized_keys" 600; then
    DID+=("installed authorized_keys")
  fi
  chown "$HPCUSER:$HPCUSER" "/home/$HPCUSER/.ssh/authorized_keys"
}

start_sshd() {
  mkdir -p /run/sshd
  chmod 755 /run/sshd
  rm -f "$STATE/sshd_config.new"
  if [ ! -f "$STATE/ssh_host_ed25519_key" ]; then
    ssh-keygen -q -t ed25519 -N '' -C emanager-test-host -f "$STATE/ssh_host_ed25519_key"
    DID+=("generated the host key")
  fi
  if put "$(render_sshd_config)" "$STATE/sshd_config" 644; then
    /usr/sbin/sshd -t -f "$STATE/sshd_config"
    DID+=("wrote $STATE/sshd_config")
    stop "$SSHD_PIDFILE" sshd # the listener only: open sessions are separate processes and live on
  fi
  if ! alive "$SSHD_PIDFILE" sshd; then
    /usr/sbin/sshd -f "$STATE/sshd_config" -E "$STATE/sshd.log" 9>&-
    DID+=("started sshd on 127.0.0.1:$PORT")
  fi
  for _ in $(seq 1 40); do sshd_ready && return 0; sleep 0.25; done
  echo "[cluster] sshd did not accept connections on 127.0.0.1:$PORT (log: $STATE/sshd.log)" >&2
  exit 1
}

write_state() {
  put "$(render_known_hosts)" "$STATE/known_hosts" 644 && DID+=("wrote $STATE/known_hosts")
  put "$(render_cluster_env)" "$STATE/cluster.env" 644 && DID+=("wrote $STATE/cluster.env")
  put "$(render_cluster_json)" "$STATE/cluster.json" 644 && DID+=("wrote $STATE/cluster.json")
  return 0
}

install_packages
start_munge
start_slurm
setup_user
start_sshd
write_state
for d in "${DID[@]}"; do say "$d"; done
if [ ${#DID[@]} -gt 0 ] || [ "$FORCE_SMOKE" = 1 ]; then bash "$HERE/smoke.sh"; fi
echo "$PORT $CPUS $HOST_NAME" >"$STAMP"
if [ ${#DID[@]} -eq 0 ]; then
  say "already up, nothing to do ($(($(now_ms) - T0)) ms): ssh -p $PORT $HPCUSER@127.0.0.1, state in $STATE"
else
  say "ready in $(($(now_ms) - T0)) ms: ssh -i $STATE/id_ed25519 -p $PORT $HPCUSER@127.0.0.1 (state in $STATE)"
fi
