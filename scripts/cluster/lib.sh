# shellcheck shell=bash disable=SC2034
# Shared by up.sh, down.sh, status.sh and smoke.sh (sourced, never run on its own).
# One place for the paths, the partition table and the small process helpers.

STATE=${EMANAGER_CLUSTER_DIR:-/var/lib/emanager-cluster}
PORT=${EMANAGER_CLUSTER_SSH_PORT:-2222}
# The machine has 2 cores; the node claims more (SlurmdParameters=config_overrides) so that
# several pilots of a few cores each can be RUNNING at once. Tasks time-share the real cores.
CPUS=${EMANAGER_CLUSTER_CPUS:-32}
HPCUSER=hpcuser
HOST_NAME=${HOSTNAME:-$(hostname)}
SLURM_CONF=/etc/slurm/slurm.conf
CTLD_PIDFILE=/run/slurmctld.pid
SLURMD_PIDFILE=/run/slurmd.pid
MUNGE_PIDFILE=/run/munge/munged.pid
SSHD_PIDFILE=$STATE/sshd.pid
SSH_OPTS=(-p "$PORT" -i "$STATE/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
  -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$STATE/known_hosts" -o LogLevel=ERROR)

# The SC2014 demo's machines as partitions: name, MaxTime (minutes), State, role.
#   gordon:     State=DOWN, sbatch accepts the job and it stays PENDING (reason PartitionDown)
#               forever, as the demo's gordon pilot never became active.
#   blacklight: State=INACTIVE, sbatch refuses the job outright with SLURM's own message
#               (BLACKLIGHT_REJECTION below, verified by smoke.sh), as the demo's blacklight
#               pilot failed at submission.
PARTITIONS=(
  "stampede 60 UP default"
  "trestles 30 UP -"
  "hopper 120 UP -"
  "gordon 60 DOWN -"
  "blacklight 60 INACTIVE -"
  "debug 10 UP -"
)
BLACKLIGHT_REJECTION='sbatch: error: Batch job submission failed: Required partition not available (inactive or drain)'

say() { echo "[cluster] $*"; }
# Milliseconds since the epoch, from a bash builtin: forks cost ~20 ms each on some sandboxes.
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }

# alive PIDFILE COMM: the pid in PIDFILE is a live process named COMM (a recycled pid is not ours).
alive() {
  local p="" c=""
  { read -r p <"$1"; } 2>/dev/null || return 1
  [ -n "$p" ] || return 1
  { read -r c <"/proc/$p/comm"; } 2>/dev/null || return 1
  [ "$c" = "$2" ]
}

# stop PIDFILE COMM: TERM the daemon named in PIDFILE, wait up to 10 s, then KILL. Only that pid.
stop() {
  alive "$1" "$2" || return 0
  local p
  p=$(cat "$1")
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$1" "$2" || return 0; sleep 0.2; done
  kill -9 "$p" 2>/dev/null || true
}

# slurm_ready: the controller answers and the node can take jobs.
slurm_ready() {
  local st
  st=$(sinfo -h -N -n "$HOST_NAME" -o %T 2>/dev/null | head -1) || return 1
  case "$st" in idle* | mix* | alloc* | completing*) return 0 ;; *) return 1 ;; esac
}

# sshd_ready: something accepts TCP on 127.0.0.1:$PORT and it is our sshd.
sshd_ready() {
  alive "$SSHD_PIDFILE" sshd && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# fast_path_ok: everything is as the last successful up.sh left it (same scripts, same settings,
# daemons alive, node ready, sshd accepting). Builtins except one sinfo, so it takes milliseconds.
STAMP=$STATE/.up.ok
fast_path_ok() {
  local here=$1 want="$PORT $CPUS $HOST_NAME" got="" f
  { read -r got <"$STAMP"; } 2>/dev/null || return 1
  [ "$got" = "$want" ] || return 1
  for f in "$here/lib.sh" "$here/render.sh" "$here/up.sh" "$SLURM_CONF" "$STATE/sshd_config"; do
    [ -f "$f" ] && [ ! "$f" -nt "$STAMP" ] || return 1
  done
  for f in cluster.json cluster.env known_hosts id_ed25519 id_ed25519_pass ssh_host_ed25519_key; do
    [ -s "$STATE/$f" ] || return 1
  done
  alive "$MUNGE_PIDFILE" munged && alive "$CTLD_PIDFILE" slurmctld && alive "$SLURMD_PIDFILE" slurmd || return 1
  alive "$SSHD_PIDFILE" sshd || return 1
  { exec 8<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  exec 8>&-
  slurm_ready
}

# lock_holders FILE: the pids (other than this shell) that have FILE open, one per line.
lock_holders() {
  local fd
  for fd in /proc/[0-9]*/fd/*; do
    [ "$(readlink "$fd" 2>/dev/null)" = "$1" ] || continue
    fd=${fd#/proc/}
    fd=${fd%%/*}
    [ "$fd" = "$$" ] || [ "$fd" = "$BASHPID" ] || echo "$fd"
  done | sort -un
}

# take_lock: holds $STATE/.up.lock on fd 9, waiting up to 5 minutes for another up.sh. A lock held
# by no up.sh at all is stale (a daemon an older up.sh started with the lock inherited, or a child
# left by an up.sh killed half way): its file is replaced, since flock locks the file's inode and
# the stale holder keeps only the old one. Replacement is serialised by a second lock that nothing
# long-lived ever inherits (fd 8 is closed before anything is started).
take_lock() {
  local lock=$STATE/.up.lock p cmd live=0 stale=()
  exec 9>"$lock"
  flock -n 9 && return 0
  exec 8>"$STATE/.recover.lock"
  flock -w 300 8 || { echo "[cluster] another up.sh has held $STATE/.recover.lock for 5 minutes" >&2; exit 1; }
  # reopen: another up.sh may have replaced the file while this one waited
  exec 9>"$lock"
  if flock -n 9; then exec 8>&-; return 0; fi
  # the subshell must not hold the lock itself, or it would count as a live up.sh
  for p in $(lock_holders "$lock" 9>&- 8>&-); do
    cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) || continue
    case "$cmd" in *cluster/up.sh*) live=1 ;; *) stale+=("$p ($(cat "/proc/$p/comm" 2>/dev/null))") ;; esac
  done
  if [ "$live" = 0 ] && [ ${#stale[@]} -gt 0 ]; then
    say "recovered a stale $lock held by ${stale[*]}, which is not an up.sh"
    rm -f "$lock"
    exec 9>"$lock"
  fi
  exec 8>&-
  flock -w 300 9 || { echo "[cluster] another up.sh has held $lock for 5 minutes" >&2; exit 1; }
}
