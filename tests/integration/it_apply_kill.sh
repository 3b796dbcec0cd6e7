#!/usr/bin/env bash
# it_apply_kill.sh -- apply mode is exactly once: the consumer killed with
# SIGKILL at random moments under write load, ten times, leaves the target
# equal to the master (rkbridge verify) with every INCR counter exact.
#
# The first kill lands while the snapshot is being loaded (the restart
# loads it again over the keys already written); the other nine at random
# moments, 0.2 to 2 s after each restart, while the load runs: in a
# reload or in the stream. A restart reloads only an unfinished load. The random
# delays come from a seed printed at the start (RKB_KILL_SEED=... repeats
# a run).
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"

deadline 230
require_cmd redis-server redis-cli
require_bins

SEED=${RKB_KILL_SEED:-$RANDOM}
RANDOM=$SEED
log "seed $SEED"

start_redis master
MASTER=master
TOPIC=it.apply.kill
fill master --keys 6000
start_kafka
start_producer p
wait_log p 'full sync done' 60
start_redis target
start_load master --seconds 25 --rate 800

start_apply() {
  start_consumer a -o mode=apply -o "target.port=${REDIS_PORT[target]}" "$@"
}
position() { rcli target -n 0 GET rkbridge:position; }

start_apply
cons_wait_log a 'loading snapshot' 30
kill -9 "${CONS_PID[a]}"
wait "${CONS_PID[a]}" 2>/dev/null || true
grep -q 'snapshot [0-9a-f]* loaded' "${CONS_LOG[a]}" &&
  log "kill 1: the load had finished (position $(position))" ||
  log "kill 1: during the snapshot load (position $(position))"
for i in 2 3 4 5 6 7 8 9 10; do
  before=$(position)
  start_apply
  ms=$((200 + RANDOM % 1800))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  alive "${CONS_PID[a]}" || fail "consumer exited before kill $i: $(tail -n 3 "${CONS_LOG[a]}")"
  alive "$LOAD_PID" || fail "the write load ended before kill $i"
  kill -9 "${CONS_PID[a]}"
  wait "${CONS_PID[a]}" 2>/dev/null || true
  # Only an unfinished load is done again; a position in the stream is
  # continued from.
  if [[ $before == "v1 stream "* ]] && grep -q 'loading snapshot' "${CONS_LOG[a]}"; then
    fail "kill $i: the restart loaded the snapshot again though the position was '$before'"
  fi
  log "kill $i after ${ms} ms: position $(position)"
done
[[ $(position) == "v1 stream "* ]] || fail "after 10 kills the position is still '$(position)'"

start_apply
wait_load
expire_sweep master
wait_caught_up p 20
equal() {
  "$TOOL_BIN" verify --source "127.0.0.1:${REDIS_PORT[master]}" \
    --target "127.0.0.1:${REDIS_PORT[target]}" >"$T/verify.out" 2>&1 && return 0
  alive "${CONS_PID[a]}" || fail "consumer exited: $(tail -n 3 "${CONS_LOG[a]}")"
  return 1
}
wait_for 150 200 equal || fail "target did not converge: $(tail -n 5 "$T/verify.out")"
n=0
for db in 0 1 5 15; do
  while read -r k; do
    [[ -n $k ]] || continue
    a=$(rcli master -n "$db" GET "$k")
    b=$(rcli target -n "$db" GET "$k")
    [[ $a == "$b" ]] || fail "counter db $db $k: master $a, target $b"
    n=$((n + 1))
  done < <(rcli master -n "$db" --scan --pattern '*counter*' | grep -v ':h')
done
((n > 0)) || fail "no counters on the master"
grep -h 'target refused\|cannot apply' "$T"/consumer-a.*.log && fail "error lines in the consumer logs"
log "after 10 SIGKILLs: $(tail -n 1 "$T/verify.out"); $n INCR counters exact"
