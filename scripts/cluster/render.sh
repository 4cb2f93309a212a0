# shellcheck shell=bash disable=SC2153 # STATE, PORT, … come from lib.sh
# The texts up.sh installs, rendered from lib.sh's settings (sourced after lib.sh).
# up.sh compares each with what is installed and only rewrites, and restarts, on a difference.

render_slurm_conf() {
  cat <<CONF
# Written by EManager's scripts/cluster/up.sh; edits here are overwritten.
ClusterName=emanager
SlurmctldHost=$HOST_NAME(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
SlurmctldPidFile=$CTLD_PIDFILE
SlurmdPidFile=$SLURMD_PIDFILE
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# Bind the daemons to the node's address (127.0.0.1 below), not to every interface.
CommunicationParameters=NoInAddrAny
ReturnToService=2
# The node declares more CPUs than the machine has (see CPUS in lib.sh).
SlurmdParameters=config_overrides
# Schedule within about a second of a submission or a completion, so tests do not wait.
SchedulerParameters=sched_interval=1,bf_interval=1,sched_min_interval=100000
# Like real sites: a request beyond a partition's limits is refused at submission,
# not left PENDING with reason PartitionTimeLimit.
EnforcePartLimits=ALL
MessageTimeout=20
KillWait=5
InactiveLimit=0
NodeName=$HOST_NAME NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
CONF
  local line name max state role
  for line in "${PARTITIONS[@]}"; do
    read -r name max state role <<<"$line"
    printf 'PartitionName=%s Nodes=%s MaxTime=%s State=%s%s\n' "$name" "$HOST_NAME" "$max" "$state" \
      "$([ "$role" = default ] && echo ' Default=YES')"
  done
}

render_sshd_config() {
  cat <<SSHD
# EManager's loopback test sshd (scripts/cluster/up.sh): loopback only, keys only, one user.
Port $PORT
ListenAddress 127.0.0.1
HostKey $STATE/ssh_host_ed25519_key
PidFile $SSHD_PIDFILE
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $HPCUSER
UsePAM no
# OpenSSH's default; the transport keeps its channels below it.
MaxSessions 10
# Parallel test workers open many connections at once; the default (10) starts dropping them.
MaxStartups 64:30:128
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
Subsystem sftp internal-sftp
SSHD
}

# partition_json: the partitions with their limits and what a pilot there meets.
partition_json() {
  local line name max state role sep="" extra
  for line in "${PARTITIONS[@]}"; do
    read -r name max state role <<<"$line"
    case "$state" in
      DOWN) extra=', "submit": "accepted", "jobsStay": "PENDING", "pendingReason": "PartitionDown"' ;;
      INACTIVE) extra=", \"submit\": \"rejected\", \"sbatchStderr\": \"$BLACKLIGHT_REJECTION\"" ;;
      *) extra=', "submit": "accepted"' ;;
    esac
    printf '%s\n    "%s": { "maxMinutes": %s, "state": "%s", "default": %s%s }' "$sep" "$name" "$max" \
      "${state,,}" "$([ "$role" = default ] && echo true || echo false)" "$extra"
    sep=","
  done
}

render_cluster_json() {
  local algo b64 fp
  read -r algo b64 _ <"$STATE/ssh_host_ed25519_key.pub"
  fp=$(ssh-keygen -lf "$STATE/ssh_host_ed25519_key.pub" | awk '{print $2}')
  cat <<JSON
{
  "version": 1,
  "host": "127.0.0.1",
  "port": $PORT,
  "user": "$HPCUSER",
  "home": "/home/$HPCUSER",
  "privateKeyPath": "$STATE/id_ed25519",
  "publicKeyPath": "$STATE/id_ed25519.pub",
  "passphraseKey": { "privateKeyPath": "$STATE/id_ed25519_pass", "passphraseFile": "$STATE/id_ed25519_pass.passphrase" },
  "hostKeyAlgo": "$algo",
  "hostKey": "$b64",
  "hostKeyFile": "$STATE/ssh_host_ed25519_key.pub",
  "hostKeyFingerprint": "$fp",
  "knownHostsFile": "$STATE/known_hosts",
  "sshdPidFile": "$SSHD_PIDFILE",
  "maxSessions": 10,
  "nodeName": "$HOST_NAME",
  "nodeCpus": $CPUS,
  "defaultPartition": "stampede",
  "partitions": {$(partition_json)
  }
}
JSON
}

render_cluster_env() {
  cat <<ENV
# EManager loopback cluster (scripts/cluster/up.sh); \`. $STATE/cluster.env\` in a shell.
EMANAGER_CLUSTER_DIR=$STATE
EMANAGER_CLUSTER_HOST=127.0.0.1
EMANAGER_CLUSTER_PORT=$PORT
EMANAGER_CLUSTER_USER=$HPCUSER
EMANAGER_CLUSTER_KEY=$STATE/id_ed25519
EMANAGER_CLUSTER_KNOWN_HOSTS=$STATE/known_hosts
EMANAGER_CLUSTER_HOST_KEY_FILE=$STATE/ssh_host_ed25519_key.pub
EMANAGER_CLUSTER_NODE_CPUS=$CPUS
EMANAGER_CLUSTER_DEFAULT_PARTITION=stampede
EMANAGER_CLUSTER_PARTITIONS="$(for l in "${PARTITIONS[@]}"; do printf '%s ' "${l%% *}"; done | sed 's/ $//')"
ENV
}

render_known_hosts() {
  local algo b64
  read -r algo b64 _ <"$STATE/ssh_host_ed25519_key.pub"
  echo "[127.0.0.1]:$PORT $algo $b64"
}
