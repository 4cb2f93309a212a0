#!/usr/bin/env bash
# EManager pilot agent, protocol v1 (agent/README.md describes the files and formats).
#   emanager-agent.sh SANDBOX              run the pilot whose sandbox this is
#   emanager-agent.sh --synthetic ARGS…    one rank of a synthetic task (what srun/mpirun start)
# Needs bash >= 4.1 and coreutils (mkdir mv rm dd wc); awk only for flops-mode tasks (a bash
# loop stands in without it). Reads every input with `read` into arrays: nothing from the
# inbox is ever eval'd, sourced or globbed. Reports facts only; the server decides states.
# Processes: the agent (inbox, slots, events, heartbeat), one spawner it forks at start-up
# (forks the tasks), and one process per task (its own process group, runs the task).
set -u
shopt -s nullglob extglob
shopt -s globasciiranges 2>/dev/null # bash >= 4.3: [A-Z] means ASCII whatever the locale

if [ -z "${BASH_VERSINFO:-}" ] || ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 1))); then
  msg="bash >= 4.1 is required, this is ${BASH_VERSION:-not bash}"
  echo "emanager-agent: $msg" >&2
  [ -d "${1:-}" ] && printf 'v1\t%s000\tagent_exit\tconf_error\t%s\n' "$(date +%s)" "$msg" >>"$1/events.log"
  exit 2
fi

# ------------------------------------------------------------------ clock, sleep, tools
if [ -n "${EPOCHREALTIME:-}" ]; then
  clock() { local t=${EPOCHREALTIME/[.,]/}; NOW=${t:0:13}; } # epoch ms, no fork
else
  clock() { NOW=$(date +%s%3N); }
fi

# A pipe nobody writes to: `read -t` on it sleeps without forking `sleep`.
open_pipe() {
  local fd
  { exec {fd}<> <(:); } 2>/dev/null || return 1
  read -r -t 0.001 -u "$fd" _
  (($? > 128)) || { exec {fd}>&-; return 1; }
  printf -v "$1" %s "$fd"
}
NAP_FD=""
nap() { if [ -n "$NAP_FD" ]; then read -r -t "$1" -u "$NAP_FD" _; else sleep "$1"; fi; return 0; }

DDQ=() DDQ_KNOWN=0
check_dd() { # GNU dd >= 8.20 can be quiet; older ones print statistics to the task's stderr
  ((DDQ_KNOWN)) && return 0
  dd if=/dev/null of=/dev/null status=none 2>/dev/null && DDQ=(status=none)
  DDQ_KNOWN=1
}

init_tools() {
  AWK=""
  if command -v mawk >/dev/null; then AWK="mawk"; elif command -v awk >/dev/null; then AWK="awk"; fi
  open_pipe NAP_FD || NAP_FD=""
}

# ------------------------------------------------------------------ the synthetic task
# The `task` program's contract (skeleton reference §1.6): read each input in rbuf chunks,
# compute for LENGTH (seconds asleep in time mode, Fibonacci additions in flops mode), write
# each output with exactly its size in wbuf chunks, parent directories made. Interleave 1
# spreads the compute over the read chunks, 2 over the write chunks, 3 over both; chunks go
# in at most SLICES dd calls per file. Only rank 0 does I/O, as the MPI build did.
SLICES=16

compute_units() { # $1 = units to spend: microseconds (time) or FLOPs
  local n=$1 s i a=0 b=1 c
  ((n > 0)) || return 0
  if [ "$SYN_MODE" = time ]; then
    printf -v s '%d.%06d' $((n / 1000000)) $((n % 1000000))
    nap "$s"
  elif [ -n "$AWK" ]; then
    "$AWK" -v n="$n" 'BEGIN { a = 0; b = 1; for (i = 0; i < n; i++) { c = a + b; a = b; b = c } }'
  else
    for ((i = 0; i < n; i++)); do c=$((a + b)) a=$b b=$c; done
  fi
}

# Spends the share of the work that $1 of SYN_TOTAL chunk operations have earned (all of it at the end).
compute_to() {
  local target=$SYN_UNITS
  (($# && SYN_TOTAL > 0)) && target=$(((SYN_UNITS / SYN_TOTAL) * $1 + (SYN_UNITS % SYN_TOTAL) * $1 / SYN_TOTAL))
  compute_units $((target - SYN_SPENT))
  SYN_SPENT=$target
}

chunks_of() { CHUNKS=$((($1 + $2 - 1) / $2)); }

syn_read() { # $1 = 1 when the compute is spread over the reads
  local i f g a b n
  for ((i = 0; i < ${#SYN_IN[@]}; i++)); do
    f=${SYN_IN[i]}
    if ! [ -f "$f" ] || ! [ -r "$f" ]; then echo "task: cannot read input $f" >&2; return 3; fi
    if (($1 == 0)); then
      dd if="$f" of=/dev/null bs="$SYN_RBUF" "${DDQ[@]}" || { echo "task: reading $f failed" >&2; return 3; }
      continue
    fi
    n=${SYN_RCH[i]}
    for ((g = 0; g < SLICES && g < n; g++)); do
      a=$((n * g / (n < SLICES ? n : SLICES))) b=$((n * (g + 1) / (n < SLICES ? n : SLICES)))
      dd if="$f" of=/dev/null bs="$SYN_RBUF" skip="$a" count=$((b - a)) "${DDQ[@]}" || { echo "task: reading $f failed" >&2; return 3; }
      SYN_DONE=$((SYN_DONE + b - a))
      compute_to "$SYN_DONE"
    done
  done
}

write_chunks() { # $1 file, $2 first chunk, $3 end chunk (exclusive), $4 file size
  local full=$(($4 / SYN_WBUF)) rem=$(($4 % SYN_WBUF)) k
  k=$((($3 < full ? $3 : full) - $2))
  if ((k > 0)); then dd if=/dev/zero bs="$SYN_WBUF" count="$k" "${DDQ[@]}" >>"$1" || return 1; fi
  if ((rem > 0 && $3 > full)); then dd if=/dev/zero bs="$rem" count=1 "${DDQ[@]}" >>"$1" || return 1; fi
  return 0
}

syn_write() { # $1 = 1 when the compute is spread over the writes
  local i o size g a b n m
  local -a dirs=()
  for o in "${SYN_OUT[@]}"; do [[ $o == */* ]] && dirs+=("${o%/*}"); done
  ((${#dirs[@]})) && { mkdir -p -- "${dirs[@]}" || { echo "task: cannot create output directories" >&2; return 4; }; }
  for ((i = 0; i < ${#SYN_OUT[@]}; i++)); do
    o=${SYN_OUT[i]} size=${SYN_SIZE[i]}
    { : >"$o"; } 2>/dev/null || { echo "task: cannot write output $o" >&2; return 4; }
    chunks_of "$size" "$SYN_WBUF"
    n=$CHUNKS m=$((n < SLICES ? n : SLICES))
    (($1)) || m=$((n > 0 ? 1 : 0))
    for ((g = 0; g < m; g++)); do
      a=$((n * g / m)) b=$((n * (g + 1) / m))
      if (($1)); then SYN_DONE=$((SYN_DONE + b - a)); compute_to "$SYN_DONE"; fi
      write_chunks "$o" "$a" "$b" "$size" || { echo "task: writing $o failed" >&2; return 4; }
    done
  done
}

# synthetic TYPE MODE LENGTH RBUF WBUF INTERLEAVE N_IN IN… N_OUT (OUT SIZE)…
synthetic() {
  local length=$3 inter=$6 nin=$7 nout i int frac spread_r=0 spread_w=0 s
  SYN_MODE=$2 SYN_RBUF=$4 SYN_WBUF=$5
  shift 7
  SYN_IN=("${@:1:nin}")
  shift "$nin"
  nout=$1
  shift
  SYN_OUT=() SYN_SIZE=() SYN_RCH=()
  for ((i = 0; i < nout; i++)); do SYN_OUT+=("$1") SYN_SIZE+=("$2"); shift 2; done
  if [ "$SYN_MODE" = time ]; then
    int=${length%%.*} frac=000000
    [[ $length == *.* ]] && frac=${length#*.}000000
    SYN_UNITS=$((10#$int * 1000000 + 10#${frac:0:6}))
  else
    SYN_UNITS=$length
  fi
  SYN_SPENT=0 SYN_DONE=0 SYN_TOTAL=0
  if ((SYN_RANK != 0)); then
    compute_to
    printf 'synthetic task rank %d: compute %s (%s mode), no I/O\n' "$SYN_RANK" "$length" "$SYN_MODE"
    return 0
  fi
  ((inter == 1 || inter == 3)) && spread_r=1
  ((inter == 2 || inter == 3)) && spread_w=1
  if ((spread_r)); then
    for ((i = 0; i < nin; i++)); do
      s=$(wc -c <"${SYN_IN[i]}") || { echo "task: cannot read input ${SYN_IN[i]}" >&2; return 3; }
      chunks_of $((10#${s//[!0-9]/})) "$SYN_RBUF"
      SYN_RCH+=("$CHUNKS") SYN_TOTAL=$((SYN_TOTAL + CHUNKS))
    done
  fi
  if ((spread_w)); then
    for s in "${SYN_SIZE[@]}"; do chunks_of "$s" "$SYN_WBUF"; SYN_TOTAL=$((SYN_TOTAL + CHUNKS)); done
  fi
  syn_read "$spread_r" || return
  ((spread_w)) || compute_to
  syn_write "$spread_w" || return
  compute_to
  printf 'synthetic task: %d inputs read, compute %s (%s mode), %d outputs written\n' "$nin" "$length" "$SYN_MODE" "$nout"
}

if [ "${1:-}" = --synthetic ]; then
  shift
  init_tools
  check_dd
  SYN_RANK=${SLURM_PROCID:-${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-0}}}}
  synthetic "$@"
  exit
fi

# ------------------------------------------------------------------ start-up
SELF=$0
[[ $SELF == /* ]] || SELF=$PWD/$SELF
SB=${1:?usage: emanager-agent.sh SANDBOX}
cd -- "$SB" || exit 2
SB=$PWD
# stdout is the event log (a plain printf per event, no redirection to set up and undo);
# everything else the shell or a tool says goes to stderr, the bootstrap log
exec >>events.log 2>>bootstrap.log </dev/null || exit 2
clock
START_MS=$NOW

# Every value is sanitised so one argument stays one field: no tab, newline or CR survives.
emit() {
  local a
  local -a out=()
  for a; do out+=("${a//[$'\t\n\r']/ }"); done
  local IFS=$'\t'
  clock
  printf 'v1\t%s\t%s\n' "$NOW" "${out[*]}"
}
# For fields that cannot hold a tab or newline (validated ids, numbers): no sanitising pass.
emit_plain() {
  local IFS=$'\t'
  clock
  printf 'v1\t%s\t%s\n' "$NOW" "$*"
}
log() { clock; printf '[%s] %s\n' "$NOW" "$*" >&2; }
fatal() { log "fatal: $1"; emit agent_exit conf_error "$1"; exit 2; }

log "agent starting in $SB (pid $$, bash $BASH_VERSION, host ${HOSTNAME:-?})"
declare -A CONF=()
[ -r agent.conf ] || fatal "agent.conf is missing or unreadable"
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  case $line in '' | '#'*) ;; *=*) CONF[${line%%=*}]=${line#*=} ;; esac
done <agent.conf
[ "${CONF[protocol_version]:-}" = 1 ] || fatal "agent.conf protocol_version is ${CONF[protocol_version]:-missing}; this agent speaks 1"
CONF[poll_ms]=${CONF[poll_ms]:-100} CONF[kill_grace_s]=${CONF[kill_grace_s]:-3}
for k in cores walltime_s drain_margin_s heartbeat_s poll_ms kill_grace_s; do
  [[ ${CONF[$k]:-} =~ ^(0|[1-9][0-9]{0,9})$ ]] || fatal "agent.conf $k is ${CONF[$k]:-missing}, not a whole number"
done
[[ ${CONF[pilot_id]:-} =~ ^[A-Za-z0-9_.-]{1,128}$ ]] || fatal "agent.conf pilot_id is missing or not a plain word"
LAUNCH=${CONF[launch]:-}
case $LAUNCH in fork | srun | mpirun) ;; *) fatal "agent.conf launch is '${LAUNCH}', not fork, srun or mpirun" ;; esac
[ "$LAUNCH" = fork ] || command -v "$LAUNCH" >/dev/null || fatal "launch method $LAUNCH, but there is no $LAUNCH on the PATH"
((CONF[cores] >= 1 && CONF[heartbeat_s] >= 1)) || fatal "agent.conf cores and heartbeat_s must be at least 1"
printf -v POLL '%d.%03d' $((CONF[poll_ms] / 1000)) $((CONF[poll_ms] % 1000))
GRACE_MS=$((CONF[kill_grace_s] * 1000))
DEADLINE=$((START_MS + (CONF[walltime_s] - CONF[drain_margin_s]) * 1000))
init_tools
open_pipe WAKE || fatal "cannot open a pipe (bash process substitution, /dev/fd) for task messages"
[ -d inbox/claimed ] && [ -d control ] && [ -d tasks ] || mkdir -p inbox/claimed control tasks || fatal "cannot create inbox/, control/ and tasks/ in $SB"

# ------------------------------------------------------------------ the allocation
# NODES/NCORES: the hosts the batch system gave and the cores to use on each.
expand_nodelist() { # SLURM's compressed host list without scontrol: a[01-03,7],b → a01 a02 a03 a07 b
  local list=$1 term="" depth=0 i c t r lo hi n re='^([^][]*)\[([^][]*)\](.*)$'
  local -a work=() rs=() new=()
  EXPANDED=()
  for ((i = 0; i < ${#list}; i++)); do
    c=${list:i:1}
    case $c in '[') depth=$((depth + 1)) ;; ']') depth=$((depth - 1)) ;; esac
    if [ "$c" = , ] && ((depth == 0)); then work+=("$term") term=""; else term+=$c; fi
  done
  [ -n "$term" ] && work+=("$term")
  while ((${#work[@]})); do
    t=${work[0]} work=("${work[@]:1}")
    if [[ $t =~ $re ]]; then
      local pre=${BASH_REMATCH[1]} post=${BASH_REMATCH[3]}
      IFS=, read -r -a rs <<<"${BASH_REMATCH[2]}"
      new=()
      for r in "${rs[@]}"; do
        lo=${r%-*} hi=${r#*-}
        [[ $lo =~ ^[0-9]+$ && $hi =~ ^[0-9]+$ ]] || continue
        for ((n = 10#$lo; n <= 10#$hi; n++)); do printf -v c '%s%0*d%s' "$pre" "${#lo}" "$n" "$post"; new+=("$c"); done
      done
      work=("${new[@]}" "${work[@]}")
    else
      EXPANDED+=("$t")
    fi
  done
}

alloc_slurm() {
  local -a hosts=() counts=() parts=()
  local p i limit
  if command -v scontrol >/dev/null; then mapfile -t hosts < <(scontrol show hostnames "$SLURM_JOB_NODELIST" 2>/dev/null); fi
  if ((${#hosts[@]} == 0)); then expand_nodelist "$SLURM_JOB_NODELIST"; hosts=("${EXPANDED[@]}"); fi
  IFS=, read -r -a parts <<<"${SLURM_JOB_CPUS_PER_NODE:-}"
  for p in "${parts[@]}"; do
    if [[ $p =~ ^([0-9]+)\(x([0-9]+)\)$ ]]; then
      for ((i = 0; i < BASH_REMATCH[2]; i++)); do counts+=("${BASH_REMATCH[1]}"); done
    elif [[ $p =~ ^[0-9]+$ ]]; then counts+=("$p"); fi
  done
  if ((${#counts[@]} != ${#hosts[@]})); then
    counts=()
    for p in "${hosts[@]}"; do counts+=("${SLURM_CPUS_ON_NODE:-${CONF[cores]}}"); done
  fi
  # the job's task count bounds what job steps may use, even when whole nodes were given
  limit=$((${SLURM_NTASKS:-0} * ${SLURM_CPUS_PER_TASK:-1}))
  if ((limit > 0)); then
    for ((i = 0; i < ${#counts[@]}; i++)); do
      ((counts[i] > limit)) && counts[i]=$limit
      limit=$((limit - counts[i]))
    done
  fi
  NODES=("${hosts[@]}") NCORES=("${counts[@]}") SOURCE=slurm
}

alloc_hostfile() { # one host per line or per word, once per core (PBS_NODEFILE, LSB_HOSTS)
  local h i
  local -A seen=()
  NODES=() NCORES=()
  for h in "$@"; do
    [ -n "$h" ] || continue
    if [ -z "${seen[$h]:-}" ]; then seen[$h]=${#NODES[@]}; NODES+=("$h") NCORES+=(0); fi
    i=${seen[$h]}
    NCORES[i]=$((NCORES[i] + 1))
  done
}

detect_allocation() {
  local -a w=()
  local i
  if [ -n "${SLURM_JOB_ID:-}" ] && [ -n "${SLURM_JOB_NODELIST:-}" ]; then
    alloc_slurm
  elif [ -n "${PBS_NODEFILE:-}" ] && [ -r "$PBS_NODEFILE" ]; then
    mapfile -t w <"$PBS_NODEFILE"
    alloc_hostfile "${w[@]}"
    SOURCE=pbs
  elif [ -n "${LSB_MCPU_HOSTS:-}" ]; then
    read -r -a w <<<"$LSB_MCPU_HOSTS"
    NODES=() NCORES=() SOURCE=lsf
    for ((i = 0; i + 1 < ${#w[@]}; i += 2)); do NODES+=("${w[i]}") NCORES+=("${w[i + 1]}"); done
  elif [ -n "${LSB_HOSTS:-}" ]; then
    read -r -a w <<<"$LSB_HOSTS"
    alloc_hostfile "${w[@]}"
    SOURCE=lsf
  fi
  if [ -z "${SOURCE:-}" ] || ((${#NODES[@]} == 0)); then
    NODES=("${HOSTNAME:-localhost}") NCORES=("${CONF[cores]}") SOURCE=conf
  fi
  ALL_NODES=("${NODES[@]}")
  # fork starts everything here: the cores of other nodes cannot be reached
  if [ "$LAUNCH" = fork ] && ((${#NODES[@]} > 1)); then
    local me=0 short=${HOSTNAME%%.*}
    for ((i = 0; i < ${#NODES[@]}; i++)); do [ "${NODES[i]%%.*}" = "$short" ] && me=$i; done
    NODES=("${NODES[me]}") NCORES=("${NCORES[me]}")
    log "launch method fork on a ${#ALL_NODES[@]}-node allocation: only ${NODES[0]}'s cores are used"
  fi
}
SOURCE=""
detect_allocation

# Slot table: slot s lives on node SLOT_NODE[s]; FREE[s] is 1 when no task holds it.
CORES=0
declare -a FREE=() SLOT_NODE=() NODE_FIRST=() NODE_FREE=()
for ((n = 0; n < ${#NODES[@]}; n++)); do
  NODE_FIRST[n]=$CORES NODE_FREE[n]=${NCORES[n]}
  for ((s = 0; s < NCORES[n]; s++)); do FREE[CORES]=1 SLOT_NODE[CORES]=$n CORES=$((CORES + 1)); done
done
((CORES >= 1)) || fatal "the allocation has no cores (${SOURCE}: ${NODES[*]})"
FREE_N=$CORES
# bash before 4.4 calls an empty array "unbound"; the checks above are done, so drop -u there
((BASH_VERSINFO[0] > 4 || BASH_VERSINFO[1] >= 4)) || set +u

# Takes $1 free slots, all on one node when one has room, else across nodes in order.
# Sets SLOTS_CSV (slot numbers), HOSTS_CSV, HOSTSPEC (host:count, for mpirun) and NN (node count).
alloc_slots() {
  local need=$1 n s end k got=0 from=0
  SLOTS_CSV="" HOSTS_CSV="" HOSTSPEC="" NN=0
  for ((n = 0; n < ${#NODES[@]}; n++)); do ((NODE_FREE[n] >= need)) && { from=$n; break; }; done
  for ((n = from; n < ${#NODES[@]} && got < need; n++)); do
    end=$((NODE_FIRST[n] + NCORES[n])) k=0
    for ((s = NODE_FIRST[n]; s < end && got < need; s++)); do
      ((FREE[s])) || continue
      FREE[s]=0 got=$((got + 1)) k=$((k + 1))
      SLOTS_CSV+=${SLOTS_CSV:+,}$s
    done
    if ((k)); then
      NODE_FREE[n]=$((NODE_FREE[n] - k)) NN=$((NN + 1))
      HOSTS_CSV+=${HOSTS_CSV:+,}${NODES[n]} HOSTSPEC+=${HOSTSPEC:+,}${NODES[n]}:$k
    fi
  done
  FREE_N=$((FREE_N - got))
}

free_slots() {
  local s
  for s in ${1//,/ }; do
    FREE[s]=1 NODE_FREE[SLOT_NODE[s]]=$((NODE_FREE[SLOT_NODE[s]] + 1)) FREE_N=$((FREE_N + 1))
  done
}

# ------------------------------------------------------------------ the queue
# Received tasks wait in arrival order (QH..QT-1); a started or failed entry is unset in place.
declare -a Q_LINE=() Q_CORES=() Q_KEY=() Q_TIMER=()
QH=0 QT=0 NQ=0 DIRTY=0
# A running task (from its start request to its end) has SLOTS; PID once its process said so.
declare -A SEEN=() PID=() SLOTS=() HOSTS=() ASKED=() T0=() KILLED=() KILL_AT=() CANCELLED=() LOST=()
# Inline tasks: a synthetic task in time mode with no input and no output only waits out its
# length, which the agent can do itself (a deadline in INLINE, in ms) instead of forking a process
# that sleeps: no fork, no process to watch. This is what lets a pilot keep up with thousands of
# short tasks per second; everything else (shell tasks, I/O, flops) still runs in its own process.
declare -A INLINE=()
NEXT_INLINE=0
NRUN=0 DRAINING="" STOP="" STOP_DETAIL=""
MK=() WOKE=()

dequeue() { unset "Q_LINE[$1]" "Q_CORES[$1]" "Q_KEY[$1]" "Q_TIMER[$1]"; NQ=$((NQ - 1)); }

fail_queued() { # $1 reason, $2 detail, $3 = task id to limit to (optional)
  local i key
  for ((i = QH; i < QT; i++)); do
    key=${Q_KEY[i]:-}
    [ -n "$key" ] || continue
    [ -n "${3:-}" ] && [ "${key%.*}" != "$3" ] && continue
    emit task_failed "${key%.*}" "${key##*.}" "$1" - "$2"
    dequeue "$i"
  done
}

# Checks without regular expressions: bash compiles the pattern of every =~ anew (about 50 µs
# here, and a task record took ten of them: the agent topped out near 1,000 tasks/s on that
# alone); extended glob patterns are matched directly, in a microsecond or two.
is_word() { [[ $1 == +([A-Za-z0-9_.-]) ]] && ((${#1} <= 128)); }  # 1-128 of A-Z a-z 0-9 _ . -
is_count() { [[ $1 == @(0|[1-9]*([0-9])) ]] && ((${#1} <= $2)); } # 0, or no leading zero; at most $2 digits
is_positive() { [[ $1 == [1-9]*([0-9]) ]] && ((${#1} <= $2)); }   # >= 1, at most $2 digits
is_seconds() {                                                   # 1-10 digits, then optionally . and 1-6 digits
  [[ $1 == +([0-9])?(.+([0-9])) ]] || return 1
  local whole=${1%%.*}
  ((${#whole} <= 10)) || return 1
  [[ $1 != *.* ]] || { local frac=${1#*.}; ((${#frac} <= 6)); }
}

check_synthetic() { # on accept_line's fields f: sets `why` when the record is malformed
  local n=${#f[@]} nin=${f[12]:-} nout i
  is_word "${f[6]:-}" || { why="type is not a plain word"; return; }
  case ${f[7]:-} in
    time) is_seconds "${f[8]:-}" || { why="length is not a number of seconds"; return; } ;;
    flops) [[ ${f[8]:-} == +([0-9]) ]] && ((${#f[8]} <= 16)) || { why="length is not a whole number of FLOPs"; return; } ;;
    *) why="mode is not time or flops"; return ;;
  esac
  is_positive "${f[9]:-}" 10 && is_positive "${f[10]:-}" 10 || { why="the buffers must be whole numbers >= 1"; return; }
  [[ ${f[11]:-} == [0-3] ]] || { why="interleave is not 0, 1, 2 or 3"; return; }
  is_count "$nin" 7 || { why="the input count is not a number"; return; }
  nout=${f[13 + nin]:-}
  is_count "$nout" 7 || { why="the output count is missing or not a number"; return; }
  ((n == 14 + nin + 2 * nout)) || { why="expected $((14 + nin + 2 * nout)) fields for $nin inputs and $nout outputs, found $n"; return; }
  for ((i = 0; i < nout; i++)); do
    is_count "${f[15 + nin + 2 * i]}" 18 || { why="output $((i + 1)) has no whole-number size"; return; }
  done
}

accept_line() { # on accept_batch's fields f; $1 batch name, $2 line number
  ((${#f[@]})) && [[ ${f[0]} != '#'* ]] || return 0
  local line id=${f[1]:-} att=${f[2]:-} cores=${f[3]:-} why=""
  local IFS=$'\t'
  line="${f[*]}"
  IFS=$' \t\n'
  if [ "${f[0]:-}" != v1 ] || ! { is_word "$id" && is_count "$att" 7; }; then
    emit inbox_error "$1" "$2" "not a v1 task line with a task id and attempt: ${line:0:200}"
    return 0
  fi
  if [ -n "${SEEN[$id.$att]:-}" ]; then
    emit inbox_error "$1" "$2" "task $id attempt $att was received before; this copy is ignored"
    return 0
  fi
  if ! is_positive "$cores" 8; then
    why="cores is not a whole number >= 1"
  else
    case ${f[5]:-} in
      shell) ((${#f[@]} == 7)) || why="a shell task line has 7 fields, this one has ${#f[@]}" ;;
      synthetic) check_synthetic ;;
      *) why="unknown task kind '${f[5]:-}'" ;;
    esac
  fi
  if [ -n "$why" ]; then emit task_failed "$id" "$att" bad_record - "$why"; return 0; fi
  SEEN[$id.$att]=1
  if ((cores > CORES)); then emit task_failed "$id" "$att" too_wide - "it needs $cores cores; this pilot has $CORES"; return 0; fi
  if [ -n "${CANCELLED[$id]:-}" ]; then emit task_failed "$id" "$att" cancelled - "cancelled before it arrived"; return 0; fi
  emit_plain task_received "$id" "$att" "$cores"
  Q_LINE[QT]=$line Q_CORES[QT]=$cores Q_KEY[QT]=$id.$att
  # time mode, 0 inputs, 0 outputs (the record was checked above): run inline, for LENGTH in ms,
  # with no directory or record file (no process will look for them)
  if [ "$LAUNCH" = fork ] && [ "${f[5]}" = synthetic ] && [ "${f[7]}" = time ] && [ "${f[12]}" = 0 ] && [ "${f[13]}" = 0 ]; then
    local sec=${f[8]%%.*} frac=000
    [[ ${f[8]} == *.* ]] && frac=${f[8]#*.}000
    Q_TIMER[QT]=$((10#$sec * 1000 + 10#${frac:0:3}))
  else
    MK+=("tasks/$id.$att")
    [ "${f[4]}" = - ] || MK+=("${f[4]}")
  fi
  QT=$((QT + 1)) NQ=$((NQ + 1)) DIRTY=1
}

accept_batch() { # $1 = a batch this agent has claimed
  local n=0 i j first=$QT key
  local -a f
  MK=()
  # fields straight from the file: bash reads a regular file in blocks, a here-string byte by byte
  while IFS=$'\t' read -r -a f || ((${#f[@]})); do
    n=$((n + 1))
    accept_line "${1##*/}" "$n"
  done <"$1"
  # the acknowledgement: the server, unsure whether a hand-over arrived, finds it here (or the
  # file in inbox/claimed/) and does not send the batch again
  emit_plain batch_read "${1##*/}" "$n"
  # one mkdir for the whole batch, not one per task
  for ((j = 0; j < ${#MK[@]}; j += 1000)); do mkdir -p -- "${MK[@]:j:1000}"; done
  # each task's record goes into its directory, where its process reads it when it starts
  for ((i = first; i < QT; i++)); do
    key=${Q_KEY[i]:-}
    [ -n "$key" ] || continue
    [ -z "${Q_TIMER[i]:-}" ] || { unset "Q_LINE[i]"; continue; }
    if ! { printf '%s\n' "${Q_LINE[i]}" >"tasks/$key/task.tsv"; } 2>/dev/null; then
      emit task_failed "${key%.*}" "${key##*.}" launch_error - "cannot write $SB/tasks/$key/task.tsv"
      dequeue "$i"
    fi
    unset "Q_LINE[i]"
  done
}

inbox() {
  local b
  for b in inbox/batch-*.tsv; do
    # the rename is the claim: a second agent in this sandbox cannot read the batch twice
    mv -f -- "$b" inbox/claimed/ 2>/dev/null || continue
    accept_batch "inbox/claimed/${b#inbox/}"
  done
}

# ------------------------------------------------------------------ running tasks
# Tasks are forked by a spawner: a second bash process forked at start-up, while the agent's
# memory was small. Forking the agent itself (its queue, its tables) costs page copies on
# both sides for every task; the spawner's fork stays cheap and runs beside the agent's own
# bookkeeping. Messages on the wake pipe, one line each (atomic under PIPE_BUF):
#   S key pid      the task's process is about to run it (written by that process)
#   D key status   it ended with this status (written by that process, its last act)
#   X key status   the spawner collected the process (after D, or instead of it when killed)

# Runs "$@" without the agent's pipes, so a task cannot write into them.
closed() {
  if [ -n "$NAP_FD" ]; then "$@" {WAKE}>&- {NAP_FD}>&-; else "$@" {WAKE}>&-; fi
}

# The forked process of one task, in its own process group; stdout and stderr are already its files.
run_task() {
  local -a f=() run=()
  local rc
  exec {REQ}>&-
  printf 'S %s %s\n' "$TASK_KEY" "$BASHPID" >&"$WAKE"
  IFS=$'\t' read -r -a f <"tasks/$TASK_KEY/task.tsv"
  local wd=${f[4]:-}
  [ "$wd" = - ] && wd=tasks/$TASK_KEY
  if ((${#f[@]} < 7)); then
    echo "cannot read the task record tasks/$TASK_KEY/task.tsv" >"$SB/tasks/$TASK_KEY/launch_error"
    printf 'D %s 126\n' "$TASK_KEY" >&"$WAKE"
    exit 126
  fi
  export EMANAGER_TASK_ID=${f[1]} EMANAGER_ATTEMPT=${f[2]} EMANAGER_CORES=${f[3]} EMANAGER_SLOTS=$SLOTS_CSV EMANAGER_HOSTS=$HOSTS_CSV EMANAGER_SANDBOX=$SB
  if ! cd -- "$wd"; then # (the reason lands in the task's stderr)
    echo "cannot enter the working directory $wd" >"$SB/tasks/$TASK_KEY/launch_error"
    printf 'D %s 126\n' "$TASK_KEY" >&"$WAKE"
    exit 126
  fi
  case $LAUNCH in
    srun) run=(srun --exclusive --ntasks="${f[3]}" --nodes="$NN" --nodelist="$HOSTS_CSV" --kill-on-bad-exit=1) ;;
    mpirun) run=(mpirun -np "${f[3]}" --host "$HOSTSPEC") ;;
  esac
  # A kill reaches the whole group at once. This process outlives its command (the trap only
  # runs once the command has ended), so it is still here, and the group with it, when a
  # command that ignores SIGTERM gets the SIGKILL.
  trap : TERM
  if [ "${f[5]}" = shell ]; then
    closed "${run[@]}" bash -c "${f[6]}"
  elif [ "$LAUNCH" = fork ]; then
    trap 'exit 143' TERM # the synthetic task runs right here: a kill ends it
    SYN_RANK=0
    synthetic "${f[@]:6}"
  else
    closed "${run[@]}" bash "$SELF" --synthetic "${f[@]:6}"
  fi
  rc=$?
  printf 'D %s %s\n' "$TASK_KEY" "$rc" >&"$WAKE"
  exit "$rc"
}

spawn_one() { # $1 = "key slots hosts hostspec nodes", tab-separated
  local IFS=$'\t'
  set -f
  # shellcheck disable=SC2206 # split on tabs with globbing off, on purpose
  local -a r=($1)
  set +f
  IFS=$' \t\n'
  TASK_KEY=${r[0]} SLOTS_CSV=${r[1]} HOSTS_CSV=${r[2]} HOSTSPEC=${r[3]} NN=${r[4]}
  run_task >"tasks/$TASK_KEY/stdout" 2>"tasks/$TASK_KEY/stderr" &
  KIDS[$!]=$TASK_KEY
}

spawner_reap() {
  local pid rc
  for pid in "${!KIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    wait "$pid"
    rc=$?
    printf 'X %s %s\n' "${KIDS[$pid]}" "$rc" >&"$WAKE"
    unset "KIDS[$pid]"
  done
}

spawner() {
  local last=0 t
  local -A KIDS=()
  set -m # each task its own process group
  trap : TERM INT HUP # the agent decides when its tasks stop; this process goes when the agent has gone
  check_dd # (here, beside the agent's own start-up, rather than before it)
  while :; do
    t=1
    ((${#KIDS[@]})) && t=0.05
    if read_line "$REQ" "$t"; then
      [ "$LINE" = quit ] && exit 0
      spawn_one "$LINE"
    fi
    clock
    if ((NOW - last >= 50)); then
      spawner_reap
      last=$NOW
      kill -0 "$AGENT_PID" 2>/dev/null || exit 0
    fi
  done
}

start_spawner() {
  spawner </dev/null >/dev/null &
  SPAWNER=$!
}

start_task() { # $1 = queue index
  local key=${Q_KEY[$1]} cores=${Q_CORES[$1]} ms=${Q_TIMER[$1]:-}
  dequeue "$1"
  if [ -n "$ms" ]; then start_inline "$key" "$cores" "$ms"; return; fi
  if ! [ -f "tasks/$key/task.tsv" ]; then emit task_failed "${key%.*}" "${key##*.}" launch_error - "$SB/tasks/$key is gone"; return; fi
  alloc_slots "$cores"
  SLOTS[$key]=$SLOTS_CSV HOSTS[$key]=$HOSTS_CSV ASKED[$key]=$NOW NRUN=$((NRUN + 1))
  printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$SLOTS_CSV" "$HOSTS_CSV" "$HOSTSPEC" "$NN" >&"$REQ"
}

start_inline() { # $1 key, $2 cores, $3 length in ms
  alloc_slots "$2"
  clock
  SLOTS[$1]=$SLOTS_CSV HOSTS[$1]=$HOSTS_CSV ASKED[$1]=$NOW T0[$1]=$NOW INLINE[$1]=$((NOW + $3)) NRUN=$((NRUN + 1))
  ((NEXT_INLINE && NEXT_INLINE <= NOW + $3)) || NEXT_INLINE=$((NOW + $3))
  emit_plain task_executing "${1%.*}" "${1##*.}" "$SLOTS_CSV" "$HOSTS_CSV" "$$"
}

finish_inline() { # $1 key: its deadline has come, or it was killed
  local key=$1
  free_slots "${SLOTS[$key]}"
  NRUN=$((NRUN - 1)) DIRTY=1
  if [ -n "${KILLED[$key]:-}" ]; then
    emit task_failed "${key%.*}" "${key##*.}" "${KILLED[$key]%%:*}" 143 "${KILLED[$key]#*:}"
  else
    emit_plain task_done "${key%.*}" "${key##*.}" 0 $((NOW - T0[$key]))
  fi
  unset "INLINE[$key]" "SLOTS[$key]" "HOSTS[$key]" "ASKED[$key]" "T0[$key]" "KILLED[$key]"
}

# Ends the inline tasks whose time has come and starts what waits in their place, again and
# again while that frees cores, so a stream of no-op tasks does not wait one poll per round.
run_inline() {
  local key rounds=0 next
  while ((${#INLINE[@]})); do
    clock
    ((NOW >= NEXT_INLINE)) || return 0
    next=0
    for key in "${!INLINE[@]}"; do
      if ((NOW >= INLINE[$key])); then finish_inline "$key"; elif ((!next || INLINE[$key] < next)); then next=${INLINE[$key]}; fi
    done
    NEXT_INLINE=$next
    ((NQ > 0 && FREE_N > 0)) && schedule
    # now and then the main loop must read its inbox, controls and task messages
    ((++rounds < 500)) || return 0
  done
  NEXT_INLINE=0
}

# How long the main loop may sleep: its poll, or less when an inline task is due sooner.
nap_for() {
  NAP=$POLL
  ((${#INLINE[@]})) || return 0
  clock
  local ms=$((NEXT_INLINE - NOW))
  ((ms < CONF[poll_ms])) || return 0
  ((ms > 0)) || ms=0
  printf -v NAP '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

schedule() { # FIFO with backfill: a task too wide for the free cores keeps its place, narrower ones behind it start
  local i
  DIRTY=0
  for ((i = QH; i < QT && FREE_N > 0; i++)); do
    [ -n "${Q_KEY[i]:-}" ] && ((Q_CORES[i] <= FREE_N)) && start_task "$i"
  done
  while ((QH < QT)) && [ -z "${Q_KEY[QH]:-}" ]; do QH=$((QH + 1)); done
}

started() { # $1 key, $2 pid
  [ -n "${SLOTS[$1]:-}" ] && [ -z "${PID[$1]:-}" ] || return 0
  clock
  PID[$1]=$2 T0[$1]=$NOW
  emit_plain task_executing "${1%.*}" "${1##*.}" "${SLOTS[$1]}" "${HOSTS[$1]}" "$2"
  # killed before it had a pid: now it can be
  if [ -n "${KILLED[$1]:-}" ]; then kill -TERM -- "-$2" 2>/dev/null; KILL_AT[$1]=$((NOW + GRACE_MS)); fi
}

finished() { # $1 key, $2 exit status (a number, or - when unknown)
  local key=$1 rc=$2 msg="" id=${1%.*} att=${1##*.} pid=${PID[$1]:-}
  [ -n "${SLOTS[$key]:-}" ] || return 0
  [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null # whatever the task left running in its process group
  free_slots "${SLOTS[$key]}"
  NRUN=$((NRUN - 1)) DIRTY=1
  clock
  if [ -z "$pid" ]; then
    emit task_failed "$id" "$att" launch_error "$rc" "its process ended, or never came up, before it could start the task"
  elif [ "$rc" = - ]; then
    emit task_failed "$id" "$att" lost - "its process is gone and nobody saw its exit status"
  elif [ -n "${KILLED[$key]:-}" ] && ((rc != 0)); then # (one that exited 0 did its work before the kill)
    emit task_failed "$id" "$att" "${KILLED[$key]%%:*}" "$rc" "${KILLED[$key]#*:}"
  elif [ "$STOP" = signal ] && ((rc >= 128)); then
    # killed by a signal as the agent got one: a batch system's cancel (scancel, qdel) signals every
    # process of the job at once, so the task may end before the agent kills it. That is the
    # pilot's end, not the task's failure: the engine runs it again elsewhere.
    emit task_failed "$id" "$att" signal "$rc" "killed with the pilot: $STOP_DETAIL"
  elif ((rc == 126)) && [ -e "tasks/$key/launch_error" ]; then
    read -r msg <"tasks/$key/launch_error"
    emit task_failed "$id" "$att" launch_error "$rc" "$msg"
  else
    emit_plain task_done "$id" "$att" "$rc" $((NOW - T0[$key]))
  fi
  unset "PID[$key]" "SLOTS[$key]" "HOSTS[$key]" "ASKED[$key]" "T0[$key]" "KILLED[$key]" "KILL_AT[$key]" "LOST[$key]"
}

heard() { # $1 = one wake-pipe line
  local kind=${1%% *} rest=${1#* }
  local key=${rest% *} val=${rest##* }
  [[ $val == +([0-9]) ]] || return 0
  case $kind in
    S) started "$key" "$val" ;;
    D | X) finished "$key" "$val" ;;
  esac
}

# A task whose process vanished with no D or X (the spawner itself died) is reported lost after a
# second; one whose process never said it started (its request died with a spawner), after 30 s.
check_running() {
  local key pid
  for key in "${!SLOTS[@]}"; do
    [ -n "${INLINE[$key]:-}" ] && continue # no process to watch
    [ -z "${PID[$key]:-}" ] && ((NOW - ASKED[$key] >= 30000)) && finished "$key" -
  done
  for key in "${!PID[@]}"; do
    pid=${PID[$key]}
    if kill -0 "$pid" 2>/dev/null; then unset "LOST[$key]"; continue; fi
    if [ -z "${LOST[$key]:-}" ]; then LOST[$key]=$NOW; elif ((NOW - LOST[$key] >= 1000)); then finished "$key" -; fi
  done
  if ! kill -0 "$SPAWNER" 2>/dev/null; then
    log "the spawner (pid $SPAWNER) is gone; starting another"
    start_spawner
  fi
}

kill_task() { # $1 key, $2 reason, $3 detail
  [ -n "${KILLED[$1]:-}" ] && return 0
  KILLED[$1]="$2:$3"
  if [ -n "${INLINE[$1]:-}" ]; then INLINE[$1]=0 NEXT_INLINE=1; return 0; fi # due at once: run_inline reports it
  [ -n "${PID[$1]:-}" ] || return 0 # (started() kills it as soon as it has a pid)
  kill -TERM -- "-${PID[$1]}" 2>/dev/null
  clock
  KILL_AT[$1]=$((NOW + GRACE_MS))
}

escalate() {
  local key
  for key in "${!KILL_AT[@]}"; do
    ((NOW >= KILL_AT[$key])) || continue
    kill -KILL -- "-${PID[$key]}" 2>/dev/null
    unset "KILL_AT[$key]"
  done
}

# `read -t` reads a pipe byte by byte and may time out in the middle of a line, keeping what
# it had read; lines are written whole (one write each), so the rest is already there.
read_line() { # $1 fd, $2 timeout; LINE = the line; fails when nothing came
  local rest IFS= # (no IFS: a space where the line was cut must survive)
  if ! read -r -t "$2" -u "$1" LINE; then
    [ -n "$LINE" ] || return 1
    read -r -u "$1" rest
    LINE+=$rest
  fi
}

listen() { # sleeps up to $1 s or until a message comes; WOKE = the lines
  local k
  WOKE=()
  read_line "$WAKE" "$1" || return 0
  WOKE+=("$LINE")
  while read -r -t 0 -u "$WAKE" && IFS= read -r -u "$WAKE" k; do WOKE+=("$k"); done
}

# ------------------------------------------------------------------ control, heartbeat, stopping
control() {
  local c id key
  local -a consumed=()
  if [ -z "$DRAINING" ] && [ -e control/drain ]; then
    DRAINING=drain_requested
    emit agent_draining drain_requested "the server asked the agent to drain"
    fail_queued drained "not started: the agent is draining"
  fi
  for c in control/cancel-*; do
    consumed+=("$c")
    id=${c#control/cancel-}
    [[ $id =~ ^[A-Za-z0-9_.-]{1,128}$ ]] || { log "ignoring control file $c"; continue; }
    CANCELLED[$id]=1
    for key in "${!SLOTS[@]}"; do [ "${key%.*}" = "$id" ] && kill_task "$key" cancelled "cancelled by the server"; done
    fail_queued cancelled "cancelled before it started" "$id"
  done
  ((${#consumed[@]} == 0)) || rm -f -- "${consumed[@]}"
}

beat() {
  clock
  printf 'v1\t%s\t%s\t%s\t%s\n' "$NOW" "$NRUN" "$NQ" "$FREE_N" >heartbeat.tmp && mv -f heartbeat.tmp heartbeat
  NEXT_BEAT=$((NOW + CONF[heartbeat_s] * 1000))
}

finish() { # $1 reason, $2 detail
  printf 'quit\n' >&"$REQ"
  emit agent_exit "$1" "$2"
  beat
  log "exit: $1 ($2)"
  exit 0
}

# Signal or walltime: fail what waits, kill what runs (TERM, then KILL after the grace), report, exit.
stop_all() {
  local reason=$1 detail=$2 key m until give_up
  for m in "${WOKE[@]}"; do heard "$m"; done # what already ended is reported as it ended
  WOKE=()
  emit agent_draining "$reason" "$detail"
  fail_queued drained "not started: $detail"
  for key in "${!SLOTS[@]}"; do kill_task "$key" "$reason" "killed: $detail"; done
  clock
  until=$((NOW + GRACE_MS)) give_up=$((NOW + GRACE_MS + 5000))
  while ((NRUN > 0)); do
    run_inline
    ((NRUN > 0)) || break
    listen 0.05
    for m in "${WOKE[@]}"; do heard "$m"; done
    clock
    ((NOW >= until)) && for key in "${!PID[@]}"; do kill -KILL -- "-${PID[$key]}" 2>/dev/null; done
    if ((NOW >= give_up)); then # unkillable (D state) or never started: report it and go
      for key in "${!SLOTS[@]}"; do emit task_failed "${key%.*}" "${key##*.}" "$reason" - "$detail; it did not end after SIGKILL"; done
      break
    fi
    if ((NOW >= NEXT_CHECK)); then check_running; NEXT_CHECK=$((NOW + 1000)); fi
  done
  finish "$reason" "$detail"
}

on_signal() { [ -n "$STOP" ] || STOP=signal STOP_DETAIL="the agent received $1"; }
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGINT' INT
trap 'on_signal SIGHUP' HUP

# ------------------------------------------------------------------ main loop
AGENT_PID=$$
open_pipe REQ || fatal "cannot open a pipe to the spawner"
start_spawner
printf -v NODES_CSV '%s,' "${ALL_NODES[@]}"
log "allocation ($SOURCE): ${NODES_CSV%,}; $CORES cores used; launch $LAUNCH; deadline in $(((DEADLINE - START_MS) / 1000)) s"
emit agent_active "${CONF[pilot_id]}" "${HOSTNAME:-localhost}" "${NODES_CSV%,}" "$CORES" "$SOURCE" "$LAUNCH" "$$" "$BASH_VERSION"
NEXT_CHECK=0 NEXT_BEAT=0
while :; do
  clock
  [ -n "$STOP" ] && stop_all "$STOP" "$STOP_DETAIL"
  ((NOW >= DEADLINE)) && stop_all walltime "the walltime ends in ${CONF[drain_margin_s]} s"
  control
  [ -n "$DRAINING" ] || inbox
  for m in "${WOKE[@]}"; do heard "$m"; done
  ((${#KILL_AT[@]} == 0)) || escalate
  if ((NOW >= NEXT_CHECK)); then
    check_running
    NEXT_CHECK=$((NOW + 1000))
  fi
  ((DIRTY && FREE_N > 0 && NQ > 0)) && schedule
  run_inline
  [ -n "$DRAINING" ] && ((NRUN == 0)) && finish drain_requested "drained; nothing runs"
  ((NOW >= NEXT_BEAT)) && beat # (after the first tasks have started, on the first round)
  nap_for
  listen "$NAP"
done
