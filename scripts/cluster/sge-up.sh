#!/usr/bin/env bash
# Grid Engine (Debian gridengine 8.1.9) next to the loopback SLURM cluster, as root, for the SGE
# adapter's tests. Idempotent: every step checks first; a second run on a running cell changes
# nothing and takes about a second. Run after up.sh (ensure.mjs does): jobs are submitted by
# up.sh's user hpcuser over its loopback sshd.
#   queues: all.q (8 slots, h_rt 1 h, PE smp) and dead.q (1 slot, disabled with `qmod -d`: a job
#           sent there is accepted and waits for ever, as SLURM's DOWN gordon)
#   scheduler: 1 s intervals, accounting flushed every second, so tests do not wait.
#   state: $STATE/sge.json (what tests read; lib/test-support/sge.ts).
# Every daemon starts with fd 9 closed (`9>&-`) so it never inherits this script's lock.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ "$EUID" = 0 ] || { echo "[sge] sge-up.sh needs root: it installs Debian packages and starts daemons" >&2; exit 3; }
export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
C=$SGE_ROOT/$SGE_CELL/common
W=$STATE/sge
QMASTER_PID=/var/spool/gridengine/qmaster/qmaster.pid
SLOTS=8
mkdir -p "$W"
exec 9>"$STATE/.sge-up.lock"
flock -w 120 9 || { echo "[sge] another sge-up.sh has held $STATE/.sge-up.lock for 2 minutes" >&2; exit 1; }
DID=()
H=$HOST_NAME

install_sge() {
  dpkg -s gridengine-master gridengine-exec gridengine-client >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null || { echo "[sge] gridengine is missing and there is no apt-get here" >&2; exit 3; }
  # The three shared/* questions belong to gridengine-common; without gridengineconfig=true no cell is made.
  printf '%s\n' "gridengine-common shared/gridenginemaster string $H" \
    "gridengine-common shared/gridenginecell string default" \
    "gridengine-common shared/gridengineconfig boolean true" | debconf-set-selections
  local guard=0
  # the packages' scripts must not start the daemons before host_aliases exists
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; guard=1; fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gridengine-master gridengine-exec gridengine-client >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gridengine-master gridengine-exec gridengine-client >/dev/null
  fi
  [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
  DID+=("installed gridengine")
}

# 127.0.0.1 reverse-resolves to "localhost": without this alias qmaster calls itself localhost and
# every client is refused ("client IP resolved to host name localhost").
host_alias() {
  local want="$H localhost" restart=0
  [ "$(cat "$C/host_aliases" 2>/dev/null)" = "$want" ] || { echo "$want" >"$C/host_aliases"; restart=1; DID+=("wrote host_aliases"); }
  [ "$(cat "$C/act_qmaster" 2>/dev/null)" = "$H" ] || { echo "$H" >"$C/act_qmaster"; restart=1; }
  chown sgeadmin:sgeadmin "$C/host_aliases" "$C/act_qmaster"
  if [ "$restart" = 1 ]; then
    # daemons started before the alias (by a package script) run under the wrong name
    stop "$QMASTER_PID" sge_qmaster
    local e
    for e in /var/spool/gridengine/execd/*/execd.pid; do [ -f "$e" ] && stop "$e" sge_execd; done
  fi
  return 0
}

start_qmaster() {
  if ! alive "$QMASTER_PID" sge_qmaster; then /usr/sbin/sge_qmaster 9>&-; DID+=("started sge_qmaster"); fi
  for _ in $(seq 60); do qconf -sh >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "[sge] qmaster did not answer in 30 s" >&2
  exit 1
}

configure() {
  qconf -ss 2>/dev/null | grep -qx "$H" || { qconf -as "$H" >/dev/null; DID+=("made $H a submit host"); }
  if ! qconf -sel 2>/dev/null | grep -qx "$H"; then
    printf '%s\n' "hostname $H" "load_scaling NONE" "complex_values NONE" "user_lists NONE" "xuser_lists NONE" \
      "projects NONE" "xprojects NONE" "usage_scaling NONE" "report_variables NONE" >"$W/exechost.conf"
    qconf -Ae "$W/exechost.conf" >/dev/null
    DID+=("added exec host $H")
  fi
  if ! qconf -ssconf | grep -q '^schedule_interval *0:0:1$'; then
    qconf -ssconf | sed -e 's/^schedule_interval .*/schedule_interval 0:0:1/' \
      -e 's/^flush_submit_sec .*/flush_submit_sec 1/' -e 's/^flush_finish_sec .*/flush_finish_sec 1/' >"$W/sched.conf"
    qconf -Msconf "$W/sched.conf" >/dev/null
    DID+=("scheduler at 1 s")
  fi
  if ! qconf -sconf global | grep -q 'flush_time=00:00:01'; then
    mkdir -p "$W/conf"
    # qconf -Mconf takes the configuration's name from the file's name
    qconf -sconf global | sed 's/flush_time=[0-9:]*/flush_time=00:00:01/' >"$W/conf/global"
    qconf -Mconf "$W/conf/global" >/dev/null
    DID+=("accounting flush at 1 s")
  fi
  if ! qconf -spl 2>/dev/null | grep -qx smp; then
    printf '%s\n' "pe_name smp" "slots 999" "user_lists NONE" "xuser_lists NONE" "start_proc_args NONE" \
      "stop_proc_args NONE" 'allocation_rule $pe_slots' "control_slaves FALSE" "job_is_first_task TRUE" \
      "urgency_slots min" "accounting_summary FALSE" "qsort_args NONE" >"$W/pe-smp.conf"
    qconf -Ap "$W/pe-smp.conf" >/dev/null
    DID+=("added PE smp")
  fi
  mkq all.q "$SLOTS" 1:00:00
  mkq dead.q 1 1:00:00
  # disabled: shows "d" in qstat -f
  if ! qstat -f -q dead.q 2>/dev/null | grep -q "^dead.q@.* d *$"; then qmod -d dead.q >/dev/null; DID+=("disabled dead.q"); fi
}

# mkq NAME SLOTS H_RT: a queue from the built-in template (`EDITOR=cat qconf -aq` prints it, then fails harmlessly)
mkq() {
  qconf -sql 2>/dev/null | grep -qx "$1" && return 0
  { EDITOR=cat qconf -aq 2>/dev/null || true; } | sed -e "s/^qname .*/qname $1/" -e "s/^hostlist .*/hostlist $H/" \
    -e "s/^slots .*/slots $2/" -e "s/^pe_list .*/pe_list smp/" -e "s/^load_thresholds .*/load_thresholds NONE/" \
    -e "s/^h_rt .*/h_rt $3/" -e "s|^shell .*|shell /bin/bash|" -e "s/^shell_start_mode .*/shell_start_mode unix_behavior/" >"$W/$1.conf"
  qconf -Aq "$W/$1.conf" >/dev/null
  DID+=("added queue $1")
}

start_execd() {
  local pidf
  pidf=$(ls /var/spool/gridengine/execd/*/execd.pid 2>/dev/null | head -1 || true)
  if [ -z "$pidf" ] || ! alive "$pidf" sge_execd; then /usr/sbin/sge_execd 9>&-; DID+=("started sge_execd"); fi
  for _ in $(seq 60); do
    qhost -h "$H" 2>/dev/null | awk -v h="$H" '$1==h && $4!="-"{ok=1} END{exit !ok}' && return 0
    sleep 0.5
  done
  echo "[sge] execd did not report to qmaster in 30 s" >&2
  exit 1
}

write_state() {
  local tmp=$STATE/sge.json.tmp.$$
  cat >"$tmp" <<JSON
{
  "version": 1,
  "host": "$H",
  "sgeRoot": "$SGE_ROOT",
  "cell": "$SGE_CELL",
  "user": "$HPCUSER",
  "slots": $SLOTS,
  "queues": {
    "all.q": { "slots": $SLOTS, "hRtMinutes": 60, "enabled": true },
    "dead.q": { "slots": 1, "hRtMinutes": 60, "enabled": false }
  },
  "enabledQueue": "all.q",
  "disabledQueue": "dead.q"
}
JSON
  chmod 644 "$tmp"
  if cmp -s "$tmp" "$STATE/sge.json"; then rm -f "$tmp"; else mv -f "$tmp" "$STATE/sge.json"; DID+=("wrote $STATE/sge.json"); fi
}

T0=$(now_ms)
install_sge
host_alias
start_qmaster
configure
start_execd
write_state
for d in "${DID[@]}"; do echo "[sge] $d"; done
echo "[sge] ready in $(($(now_ms) - T0)) ms: qsub as $HPCUSER, queues all.q and dead.q (disabled)"
