#!/usr/bin/env bash
# A real SLURM cluster and an sshd on loopback, for EManager's tests and demo. Idempotent: run it
# as often as you like; it only does what is missing. Needs root and Debian's packages.
#   partitions (each stands for one SC2014 machine):
#     stampede (default, 60 min), trestles (30 min), hopper (120 min), debug (10 min),
#     gordon     State=DOWN: jobs are accepted and stay PENDING forever, like the demo's gordon pilot;
#     blacklight State=INACTIVE: sbatch rejects the job, like the demo's failed blacklight pilot.
#   sshd on 127.0.0.1:2222, key auth only, user hpcuser; everything tests need is in $STATE.
set -euo pipefail
STATE=${EMANAGER_CLUSTER_DIR:-/var/lib/emanager-cluster}
PORT=${EMANAGER_CLUSTER_SSH_PORT:-2222}
USER_NAME=hpcuser
CPUS=${EMANAGER_CLUSTER_CPUS:-16}
say() { echo "[cluster] $*"; }

[ "$(id -u)" = 0 ] || { echo "[cluster] needs root (it installs Debian packages and starts daemons)" >&2; exit 3; }

need=()
command -v slurmctld >/dev/null || need+=(slurm-wlm)
command -v munged >/dev/null || [ -x /usr/sbin/munged ] || need+=(munge)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; }
fi

mkdir -p "$STATE"
HOST=$(hostname)

# munge
mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
[ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge
chmod 400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null; then say "starting munged"; runuser -u munge -- /usr/sbin/munged; fi

# slurm
CONF=/etc/slurm/slurm.conf
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > "$STATE/slurm.conf.new" <<CONF
ClusterName=emanager
SlurmctldHost=$HOST
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
SlurmdParameters=config_overrides
SchedulerParameters=sched_interval=2,bf_interval=2
MessageTimeout=20
KillWait=5
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=stampede Nodes=$HOST Default=YES MaxTime=60 State=UP
PartitionName=trestles Nodes=$HOST MaxTime=30 State=UP
PartitionName=hopper Nodes=$HOST MaxTime=120 State=UP
PartitionName=debug Nodes=$HOST MaxTime=10 State=UP
PartitionName=gordon Nodes=$HOST MaxTime=60 State=DOWN
PartitionName=blacklight Nodes=$HOST MaxTime=60 State=INACTIVE
CONF
if ! cmp -s "$STATE/slurm.conf.new" "$CONF"; then say "writing $CONF"; cp "$STATE/slurm.conf.new" "$CONF"; RESTART=1; else RESTART=0; fi
if [ "$RESTART" = 1 ]; then pkill -x slurmctld 2>/dev/null || true; pkill -x slurmd 2>/dev/null || true; sleep 1; fi
if ! pgrep -x slurmctld >/dev/null; then say "starting slurmctld"; slurmctld; fi
if ! pgrep -x slurmd >/dev/null; then say "starting slurmd"; slurmd; fi
for i in $(seq 1 30); do
  if sinfo -h -p stampede -o %a 2>/dev/null | grep -q up && sinfo -h -N -o %T 2>/dev/null | grep -qE 'idle|mix|alloc'; then break; fi
  scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true
  sleep 1
done

# user and keys
id "$USER_NAME" >/dev/null 2>&1 || { say "adding user $USER_NAME"; useradd -m -s /bin/bash "$USER_NAME"; }
# "*" = no password login, but not a locked account (sshd without PAM refuses locked ones)
usermod -p "*" "$USER_NAME"
[ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C emanager-test -f "$STATE/id_ed25519"
install -d -m 700 -o "$USER_NAME" -g "$USER_NAME" "/home/$USER_NAME/.ssh"
install -m 600 -o "$USER_NAME" -g "$USER_NAME" "$STATE/id_ed25519.pub" "/home/$USER_NAME/.ssh/authorized_keys"

# sshd on loopback only, its own config and host key
mkdir -p /run/sshd
[ -f "$STATE/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/ssh_host_ed25519_key"
cat > "$STATE/sshd_config.new" <<SSHD
Port $PORT
ListenAddress 127.0.0.1
HostKey $STATE/ssh_host_ed25519_key
PidFile $STATE/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PubkeyAuthentication yes
AllowUsers $USER_NAME
MaxSessions 10
UsePAM no
Subsystem sftp internal-sftp
SSHD
if ! cmp -s "$STATE/sshd_config.new" "$STATE/sshd_config"; then
  mv "$STATE/sshd_config.new" "$STATE/sshd_config"
  [ -f "$STATE/sshd.pid" ] && kill "$(cat "$STATE/sshd.pid")" 2>/dev/null && sleep 0.5
fi
if ! { [ -f "$STATE/sshd.pid" ] && kill -0 "$(cat "$STATE/sshd.pid")" 2>/dev/null; }; then say "starting sshd on 127.0.0.1:$PORT"; /usr/sbin/sshd -f "$STATE/sshd_config"; fi
for i in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.25; done

HOSTKEY_B64=$(awk '{print $2}' "$STATE/ssh_host_ed25519_key.pub")
cat > "$STATE/cluster.json" <<JSON
{
  "host": "127.0.0.1",
  "port": $PORT,
  "user": "$USER_NAME",
  "privateKeyPath": "$STATE/id_ed25519",
  "hostKeyAlgo": "ssh-ed25519",
  "hostKey": "$HOSTKEY_B64",
  "hostKeyFile": "$STATE/ssh_host_ed25519_key.pub",
  "nodeCpus": $CPUS,
  "partitions": {
    "stampede": { "maxMinutes": 60, "state": "up", "default": true },
    "trestles": { "maxMinutes": 30, "state": "up" },
    "hopper": { "maxMinutes": 120, "state": "up" },
    "debug": { "maxMinutes": 10, "state": "up" },
    "gordon": { "maxMinutes": 60, "state": "down" },
    "blacklight": { "maxMinutes": 60, "state": "inactive" }
  }
}
JSON
chmod 644 "$STATE/cluster.json"
say "ready: ssh -i $STATE/id_ed25519 -p $PORT $USER_NAME@127.0.0.1 (state in $STATE)"
