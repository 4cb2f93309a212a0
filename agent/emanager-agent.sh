#!/usr/bin/env bash
# EManager pilot agent (protocol v1). Needs bash and coreutils only.
# Usage: emanager-agent.sh SANDBOX
# The server writes SANDBOX/agent.conf and drops task batches into SANDBOX/inbox/ (atomic
# rename); the agent runs them on its cores and appends facts to SANDBOX/events.log. It never
# decides a task's or its own state: the server does, from these facts. See agent/README.md.
set -u
set -m # every background task gets its own process group, so a cancel kills all of it

SB=${1:?usage: emanager-agent.sh SANDBOX}
cd "$SB" || exit 2
SB=$(pwd)
mkdir -p inbox/done control tasks data

CORES=1 WALLTIME=86400 MARGIN=30 HB=5 LAUNCH=fork PILOT=unknown
while IFS='=' read -r k v; do
  case "$k" in
    cores) CORES=$v ;; walltime_s) WALLTIME=$v ;; drain_margin_s) MARGIN=$v ;;
    heartbeat_s) HB=$v ;; launch) LAUNCH=$v ;; pilot_id) PILOT=$v ;;
  esac
done < agent.conf

now_ms() { date +%s%3N; }
emit() { local IFS=$'\t'; printf 'v1\t%s\t%s\n' "$(now_ms)" "$*" >> events.log; }

# Cores: what the batch system gave us, else the configured count.
if [ -n "${SLURM_CPUS_ON_NODE:-}" ] && [ -n "${SLURM_JOB_NUM_NODES:-}" ]; then
  CORES=$(( SLURM_CPUS_ON_NODE * SLURM_JOB_NUM_NODES ))
  HOSTS=$(scontrol show hostnames "${SLURM_JOB_NODELIST:-}" 2>/dev/null | paste -sd, -)
elif [ -n "${PBS_NODEFILE:-}" ] && [ -r "${PBS_NODEFILE}" ]; then
  CORES=$(wc -l < "$PBS_NODEFILE"); HOSTS=$(sort -u "$PBS_NODEFILE" | paste -sd, -)
elif [ -n "${LSB_MCPU_HOSTS:-}" ]; then
  set -- $LSB_MCPU_HOSTS; CORES=0; HOSTS=""
  while [ $# -ge 2 ]; do CORES=$(( CORES + $2 )); HOSTS="${HOSTS:+$HOSTS,}$1"; shift 2; done
fi
HOSTS=${HOSTS:-$(hostname)}
[ "$CORES" -ge 1 ] 2>/dev/null || CORES=1

declare -a FREE           # FREE[slot]=1 when the core slot is free
for ((i = 0; i < CORES; i++)); do FREE[i]=1; done
declare -A PID SLOTS      # key "task.attempt" → pid, slot list
declare -a QUEUE=()       # pending task lines, FIFO
START=$(date +%s)
LAST_HB=0
DRAIN=""

beat() { local t; t=$(now_ms); printf '%s\n' "$t" > heartbeat.tmp && mv -f heartbeat.tmp heartbeat; LAST_HB=$(date +%s); }

# The synthetic skeleton task: read every input in rbuf chunks, compute for LENGTH seconds
# (flops mode: LENGTH FLOPs at a nominal 1 GFLOP/s), write each output with its exact size.
synthetic() {
  local mode=$1 length=$2 rbuf=$3 wbuf=$4; shift 4
  local nin=$1; shift
  local i f
  for ((i = 0; i < nin; i++)); do
    f=$1; shift
    dd if="$SB/data/$f" of=/dev/null bs="$rbuf" status=none || { echo "cannot read input $f" >&2; exit 3; }
  done
  if [ "$mode" = flops ]; then length=$(awk -v l="$length" 'BEGIN { printf "%.3f", l / 1e9 }'); fi
  sleep "$length"
  local nout=$1; shift
  for ((i = 0; i < nout; i++)); do
    f=$1 size=$2; shift 2
    mkdir -p "$(dirname "$SB/data/$f")"
    head -c "$size" /dev/zero > "$SB/data/$f.part" && mv -f "$SB/data/$f.part" "$SB/data/$f" || { echo "cannot write output $f" >&2; exit 4; }
  done
}

free_count() { local n=0 i; for ((i = 0; i < CORES; i++)); do [ "${FREE[i]}" = 1 ] && n=$((n + 1)); done; echo "$n"; }

# Starts one task line if enough cores are free; returns 1 when it must wait.
start_task() {
  local line=$1 IFS=$'\t'
  local -a f
  read -r -a f <<< "$line"
  local id=${f[0]} attempt=${f[1]} cores=${f[2]}
  [ "$(free_count)" -ge "$cores" ] || return 1
  local slots="" i n=0
  for ((i = 0; i < CORES && n < cores; i++)); do
    if [ "${FREE[i]}" = 1 ]; then FREE[i]=0; slots="${slots:+$slots,}$i"; n=$((n + 1)); fi
  done
  local key="$id.$attempt" dir="tasks/$id.$attempt"
  mkdir -p "$dir"
  ( cd "$dir" && synthetic "${f[4]}" "${f[5]}" "${f[6]}" "${f[7]}" "${f[@]:9}" ) > "$dir/stdout" 2> "$dir/stderr" &
  PID[$key]=$!
  SLOTS[$key]=$slots
  emit task_executing "$id" "$attempt" "$slots"
  return 0
}

reap() {
  local key pid rc s
  for key in "${!PID[@]}"; do
    pid=${PID[$key]}
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"; rc=$?
      emit task_done "${key%.*}" "${key##*.}" "$rc" 0
      IFS=, read -r -a s <<< "${SLOTS[$key]}"
      for i in "${s[@]}"; do FREE[i]=1; done
      unset "PID[$key]" "SLOTS[$key]"
    fi
  done
}

read_inbox() {
  local b line
  for b in inbox/batch-*.tsv; do
    [ -e "$b" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do [ -n "$line" ] && QUEUE+=("$line"); done < "$b"
    mv -f "$b" inbox/done/
  done
}

cancels() {
  local c id key
  for c in control/cancel-*; do
    [ -e "$c" ] || return 0
    id=${c#control/cancel-}
    for key in "${!PID[@]}"; do [ "${key%.*}" = "$id" ] && kill -TERM -- "-${PID[$key]}" 2>/dev/null; done
    rm -f "$c"
  done
}

shutdown() {
  local why=$1 key
  emit agent_draining "$why"
  for key in "${!PID[@]}"; do
    kill -TERM -- "-${PID[$key]}" 2>/dev/null
    emit task_aborted "${key%.*}" "${key##*.}" "$why"
  done
  wait 2>/dev/null
  emit agent_exit "$why"
  exit 0
}
trap 'shutdown "SIGTERM received (cancelled or walltime)"' TERM
trap 'shutdown "SIGINT received"' INT

emit agent_active "$CORES" "$HOSTS"
beat
while :; do
  now=$(date +%s)
  (( now - LAST_HB >= HB )) && beat
  if [ -z "$DRAIN" ]; then
    if [ -e control/drain ]; then DRAIN="drain requested by the server"; fi
    if (( now - START >= WALLTIME - MARGIN )); then DRAIN="walltime ends in ${MARGIN} s"; fi
    [ -n "$DRAIN" ] && emit agent_draining "$DRAIN"
  fi
  reap
  cancels
  if [ -z "$DRAIN" ]; then
    read_inbox
    declare -a rest=()
    for line in "${QUEUE[@]}"; do
      start_task "$line" || rest+=("$line")
    done
    QUEUE=("${rest[@]}")
  fi
  if [ -n "$DRAIN" ] && [ "${#PID[@]}" -eq 0 ]; then emit agent_exit "$DRAIN"; exit 0; fi
  if [ -n "$DRAIN" ] && [[ "$DRAIN" == walltime* ]] && (( now - START >= WALLTIME - 2 )); then shutdown "walltime reached"; fi
  sleep 0.05
done
