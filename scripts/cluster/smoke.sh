#!/usr/bin/env bash
# Proves the loopback cluster works end to end, the way EManager uses it: over ssh as hpcuser
# (with the pinned host key), sinfo/scontrol/squeue/sbatch/scancel; a stampede job runs and
# writes into /home/hpcuser; a gordon job is accepted and stays PENDING (PartitionDown);
# blacklight refuses the job with exactly $BLACKLIGHT_REJECTION. Exit 1 with the reason otherwise.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
T0=$(now_ms)
fail() { echo "[cluster] smoke test FAILED: $*" >&2; exit 1; }
TAG="$(date +%s)-$$"

# The remote part reports one "key value" line per fact; this side judges them.
OUT=$(ssh "${SSH_OPTS[@]}" "$HPCUSER@127.0.0.1" bash -s -- "$TAG" <<'REMOTE'
tag=$1
mkdir -p "$HOME/.emanager-smoke"
sinfo -h -o %P >/dev/null && echo "sinfo ok"
scontrol show partition stampede >/dev/null && echo "scontrol ok"
t0=$(date +%s%N)
j=$(sbatch --parsable -p stampede -t 1 -n 1 -J emanager-smoke -o /dev/null --wrap "echo ok > \$HOME/.emanager-smoke/$tag")
echo "stampede_job $j"
g=$(sbatch --parsable -p gordon -t 1 -J emanager-smoke-gordon -o /dev/null --wrap true)
for _ in $(seq 1 25); do
  r=$(squeue -h -j "$g" -o '%T/%r')
  [ "$r" = PENDING/PartitionDown ] && break
  sleep 0.2
done
echo "gordon_job $g $r"
scancel "$g" && echo "scancel ok"
b=$(sbatch -p blacklight -t 1 -o /dev/null --wrap true 2>&1 >/dev/null)
echo "blacklight $b exit=$?"
for _ in $(seq 1 150); do [ -s "$HOME/.emanager-smoke/$tag" ] && break; sleep 0.2; done
echo "stampede_wrote $(cat "$HOME/.emanager-smoke/$tag" 2>/dev/null) $((($(date +%s%N) - t0) / 1000000))"
squeue -h -u "$USER" >/dev/null && echo "squeue ok"
rm -f "$HOME/.emanager-smoke/$tag"
REMOTE
) || fail "ssh to $HPCUSER@127.0.0.1:$PORT failed (exit $?): $OUT"

fact() { sed -n "s/^$1 //p" <<<"$OUT" | head -1; }
for c in sinfo scontrol scancel squeue; do [ "$(fact "$c")" = ok ] || fail "$c did not work over ssh"; done
JOB=$(fact stampede_job)
[ -n "$JOB" ] || fail "sbatch -p stampede did not submit a job: $OUT"
read -r WROTE MS <<<"$(fact stampede_wrote)"
[ "$WROTE" = ok ] || fail "stampede job $JOB did not write into /home/$HPCUSER within 30 s"
read -r GJOB GSTATE <<<"$(fact gordon_job)"
[ "$GSTATE" = PENDING/PartitionDown ] || fail "gordon job $GJOB is '$GSTATE', expected PENDING/PartitionDown"
BL=$(fact blacklight)
[ "$BL" = "$BLACKLIGHT_REJECTION exit=1" ] || fail "blacklight: expected '$BLACKLIGHT_REJECTION' and exit 1, got '$BL'"
say "smoke test passed in $(($(now_ms) - T0)) ms: sinfo, scontrol, squeue, scancel over ssh;" \
  "stampede job $JOB wrote /home/$HPCUSER/.emanager-smoke/… ${MS} ms after sbatch;" \
  "gordon job $GJOB PENDING (PartitionDown), cancelled; blacklight refused: $BLACKLIGHT_REJECTION"
