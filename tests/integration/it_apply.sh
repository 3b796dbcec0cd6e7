#!/usr/bin/env bash
# it_apply.sh -- the consumer in apply mode writes the journal into target
# Redis servers as a client.
#
# A master filled with every value type in several dbs (and a function
# library) under the same write load as in relay mode (transactions,
# scripts, functions, expiring keys, db switches, INCR counters), the
# producer journaling it. Checks:
#  (a) a consumer loads the snapshot into an empty target, then applies the
#      stream: `rkbridge verify` reports the target equal to the master,
#      the INCR counters match exactly, the position key is in db 0;
#  (b) the consumer group holds the stream topic's end offset once idle;
#  (c) restarted (SIGTERM, exit 0) it goes on from its position: after
#      more load, equal again;
#  (d) a target that is not empty is refused without apply.flush (exit 2,
#      one line saying why); with apply.flush = true it is flushed (logged)
#      and loaded;
#  (e) filters: apply.dbs = 0 and 5, db 5 mapped to 2, keys starting with
#      "it:x" left out: the target holds exactly the master's db 0 and db
#      5 (as db 2) minus those keys, value by value;
#  (f) an error reply: a key the target changed by itself makes the
#      master's next write on it fail (WRONGTYPE): the consumer stops
#      (exit 2) naming the command, its stream offset and Kafka offset, and
#      marks the target halted; a restart refuses to go on until the halt
#      key is deleted; with apply.on_error = log it logs and goes on;
#  (g) a wrong target password: exit 2 with the target's refusal;
#  (h) a target with the users of deploy/apply-target-users.conf: the
#      consumer (user rkbridge) loads and applies it; the application user
#      reads, and its writes get NOPERM;
#  (i) the master restarts without its data: the producer journals a new
#      full sync (a resync marker); the consumer, reaching it, stops (exit
#      2) without apply.flush since the target holds the old dataset, and
#      with apply.flush = true flushes it, loads the new snapshot and is
#      equal to the new master.
# and first, without Kafka: -t in apply mode, bad filter values, and a
# target that is not Redis (exit 2, one line).
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"

deadline 250
require_cmd redis-server redis-cli
require_bins

# Configuration: checked before anything starts.
out=$("$CONSUMER_BIN" -o kafka.brokers=127.0.0.1:1 -o kafka.topic=t \
  -o mode=apply -t 2>&1) || fail "-t of an apply config failed: $out"
rc=0
out=$("$CONSUMER_BIN" -o kafka.brokers=127.0.0.1:1 -o kafka.topic=t \
  -o mode=apply -o apply.dbs=x -o apply.db_map=1 -t 2>&1) || rc=$?
[[ $rc == 1 && $out == *'apply.dbs: "x" is not a db number'* &&
  $out == *'apply.db_map: "1" is not "source-db:target-db"'* ]] ||
  fail "bad filters: exit $rc, '$out'"
log "config: -t ok, bad apply.dbs and apply.db_map refused"

http_port=$(free_port)
run_bg fake-http "$T/fake-http.out" "$PYTHON" "$TOOLS/fake_http.py" --port "$http_port"
wait_for 50 100 test -f "$T/fake-http.out"
rc=0
out=$(timeout 20 "$CONSUMER_BIN" -o kafka.brokers=127.0.0.1:1 -o kafka.topic=t \
  -o mode=apply -o target.port="$http_port" 2>&1) || rc=$?
[[ $rc == 2 && $out == *"target 127.0.0.1:$http_port does not speak the Redis protocol"* ]] ||
  fail "a target that is not Redis: exit $rc, '$out'"
log "a target that is not Redis: exit 2, $(grep -o 'target 127.*' <<<"$out")"

start_redis master
MASTER=master
TOPIC=it.apply
fill master --keys 300
start_kafka
start_load master --seconds 8 --rate 400
start_producer p
wait_log p 'full sync done' 60

# start_apply NAME TARGET [ARGS...] -- a consumer in apply mode.
start_apply() {
  local name=$1 target=$2
  shift 2
  start_consumer "$name" -o mode=apply -o "target.port=${REDIS_PORT[$target]}" "$@"
}
# equal TARGET -- rkbridge verify says the target equals the master.
equal() {
  "$TOOL_BIN" verify --source "127.0.0.1:${REDIS_PORT[master]}" \
    --target "127.0.0.1:${REDIS_PORT[$1]}" >"$T/verify-$1.out" 2>&1
}
# wait_equal TARGET CONSUMER -- fails at once if the consumer exits.
equal_or_dead() {
  equal "$1" && return 0
  alive "${CONS_PID[$2]}" || fail "consumer $2 exited: $(tail -n 3 "${CONS_LOG[$2]}")"
  return 1
}
wait_equal() {
  wait_for 150 200 equal_or_dead "$1" "$2" ||
    fail "target $1 did not converge: $(tail -n 5 "$T/verify-$1.out")"
}
# counters_equal TARGET -- every INCR counter of the load, exactly.
counters_equal() {
  local db k a b n=0
  for db in 0 1 5 15; do
    while read -r k; do
      [[ -n $k ]] || continue
      a=$(rcli master -n "$db" GET "$k")
      b=$(rcli "$1" -n "$db" GET "$k")
      [[ $a == "$b" ]] || fail "counter db $db $k: master $a, target $1 $b"
      n=$((n + 1))
    done < <(rcli master -n "$db" --scan --pattern '*counter*' | grep -v ':h')
  done
  ((n > 0)) || fail "no counters found on the master"
  COUNTERS=$n
}

# (a)
start_redis t1
start_apply a1 t1
cons_wait_log a1 'snapshot [0-9a-f]+ loaded' 60
alive "$LOAD_PID" || fail "the load ended before the snapshot was applied"
wait_load
expire_sweep master
wait_caught_up p 20
wait_equal t1 a1
counters_equal t1
pos=$(rcli t1 -n 0 GET rkbridge:position)
[[ $pos == "v1 stream $TOPIC "* ]] || fail "(a) position key holds '$pos'"
log "(a) target t1 equals the master (rkbridge verify), $COUNTERS counters exact; position: $pos"

# (b)
group_line() {
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_DIR/tools-log4j2.properties" \
    -cp "$(kafka_jars)/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
    --bootstrap-server "$BROKERS" --describe --group "$1" 2>&1 |
    grep -E "^$1 +$TOPIC +0 " || true
}
sleep 2.5
read -r _ _ _ committed logend lag _ <<<"$(group_line rkbridge-consumer)"
[[ $committed =~ ^[0-9]+$ ]] || fail "(b) no committed offset in group rkbridge-consumer"
# Heartbeats keep arriving; the committed offset trails by at most a few.
((lag <= 5)) || fail "(b) committed $committed, log end $logend, lag $lag"
log "(b) group rkbridge-consumer: committed $committed of $logend (lag $lag)"

# (c)
stop_consumer a1
[[ $EXIT_RC == 0 ]] || fail "(c) SIGTERM: exit $EXIT_RC"
start_load master --seconds 3 --rate 400
wait_load
start_apply a1 t1
cons_wait_log a1 'applying the stream from Kafka offset' 30
grep -q 'loading snapshot' "${CONS_LOG[a1]}" && fail "(c) the restart loaded the snapshot again"
expire_sweep master
wait_equal t1 a1
counters_equal t1
log "(c) restarted: went on from its position, equal again"
stop_consumer a1

# (d)
start_redis t2
rcli t2 SET unrelated 1 >/dev/null
start_apply a2 t2
wait_for 100 100 eval '! alive "${CONS_PID[a2]}"' || fail "(d) the consumer did not stop on a non-empty target"
wait "${CONS_PID[a2]}" && rc=0 || rc=$?
[[ $rc == 2 ]] || fail "(d) non-empty target: exit $rc"
grep -q 'holds 1 keys: set apply.flush = true' "${CONS_LOG[a2]}" ||
  fail "(d) no clear message: $(tail -n 3 "${CONS_LOG[a2]}")"
start_apply a2 t2 -o apply.flush=true
cons_wait_log a2 'FLUSHING target' 30
cons_wait_log a2 'snapshot [0-9a-f]+ loaded' 60
wait_equal t2 a2
log "(d) a non-empty target: refused (exit 2), then flushed with apply.flush and loaded"
stop_consumer a2

# (e)
rcli master -n 5 SET it:x:left-out 1 >/dev/null
rcli master -n 5 SET it:kept 1 >/dev/null
start_redis t3
start_apply a3 t3 -o apply.dbs=0 -o apply.dbs=5 -o apply.db_map=5:2 \
  -o apply.exclude_prefixes=it:x -o kafka.group=it-apply-filter
cons_wait_log a3 'applying the stream' 60
filtered_ok() {
  local sdb tdb k n=0 want got
  for pair in 0:0 5:2; do
    sdb=${pair%%:*} tdb=${pair##*:}
    want=$(rcli master -n "$sdb" --scan | grep -v '^it:x' | sort)
    got=$(rcli t3 -n "$tdb" --scan | grep -v '^rkbridge:' | sort)
    [[ $want == "$got" ]] || return 1
    while read -r k; do
      [[ $(rcli master -n "$sdb" DEBUG DIGEST-VALUE "$k") == "$(rcli t3 -n "$tdb" DEBUG DIGEST-VALUE "$k")" ]] || return 1
      n=$((n + 1))
    done <<<"$want"
  done
  for db in 1 5 15; do
    [[ -z $(rcli t3 -n "$db" --scan) ]] || return 1
  done
  FILTERED=$n
}
wait_for 100 200 filtered_ok || fail "(e) the filtered target differs"
[[ $(rcli t3 -n 2 EXISTS it:kept) == 1 && $(rcli t3 -n 2 EXISTS it:x:left-out) == 0 ]] ||
  fail "(e) prefix filter"
log "(e) filtered: dbs 0 and 5 (as 2), it:x* left out: $FILTERED keys equal value by value, dbs 1 5 15 empty"
stop_consumer a3

# (f)
start_apply a1 t1
cons_wait_log a1 'applying the stream' 30
rcli master SET it:f:key 1 >/dev/null
wait_for 100 100 eval '[[ $(rcli t1 EXISTS it:f:key) == 1 ]]' || fail "(f) it:f:key not applied"
rcli t1 DEL it:f:key >/dev/null
rcli t1 HSET it:f:key f v >/dev/null
rcli master APPEND it:f:key 2 >/dev/null
wait_for 100 100 eval '! alive "${CONS_PID[a1]}"' || fail "(f) the consumer did not stop on an error reply"
wait "${CONS_PID[a1]}" && rc=0 || rc=$?
[[ $rc == 2 ]] || fail "(f) error reply: exit $rc"
grep -qE 'target refused "APPEND it:f:key 2" at stream offset [0-9]+ \(Kafka offset [0-9]+\): WRONGTYPE' "${CONS_LOG[a1]}" ||
  fail "(f) no clear error line: $(tail -n 3 "${CONS_LOG[a1]}")"
[[ -n $(rcli t1 GET rkbridge:halted) ]] || fail "(f) the target is not marked halted"
start_apply a1 t1
wait_for 100 100 eval '! alive "${CONS_PID[a1]}"' || fail "(f) a halted target was not refused"
grep -q 'is halted since the consumer stopped on an error' "${CONS_LOG[a1]}" ||
  fail "(f) restart on a halted target: $(tail -n 3 "${CONS_LOG[a1]}")"
rcli t1 DEL rkbridge:halted >/dev/null
rcli t1 DEL it:f:key >/dev/null
rcli t1 RPUSH it:f:key x >/dev/null
start_apply a1 t1 -o apply.on_error=log
cons_wait_log a1 'applying the stream' 30
rcli master APPEND it:f:key 3 >/dev/null
cons_wait_log a1 'target refused "APPEND it:f:key 3".*going on' 30
rcli master SET it:f:after 1 >/dev/null
wait_for 100 100 eval '[[ $(rcli t1 GET it:f:after) == 1 ]]' || fail "(f) on_error=log did not go on"
log "(f) error reply: stopped with exit 2 naming the command, target halted, restart refused; with on_error=log: logged and went on"
stop_consumer a1

# (g)
start_redis t4 --requirepass right
start_apply a4 t4 -o target.password=wrong
wait_for 100 100 eval '! alive "${CONS_PID[a4]}"' || fail "(g) a wrong password was not fatal"
wait "${CONS_PID[a4]}" && rc=0 || rc=$?
[[ $rc == 2 ]] || fail "(g) wrong password: exit $rc"
grep -qE 'refused AUTH: WRONGPASS' "${CONS_LOG[a4]}" || fail "(g) $(tail -n 2 "${CONS_LOG[a4]}")"
log "(g) wrong target password: exit 2, $(grep -o 'refused AUTH.*' "${CONS_LOG[a4]}" | head -n 1)"

# (h)
# The file's directives as options (redis-server takes a config file only
# as its first argument, and start_redis gives its own first).
acl_args=()
while read -r -a words; do
  [[ ${words[0]:-} == user ]] && acl_args+=(--user "${words[@]:1}")
done <"$RKB_SOURCE_DIR/deploy/apply-target-users.conf"
((${#acl_args[@]} > 6)) || fail "(h) no user lines in deploy/apply-target-users.conf"
REDIS_USER[t5]=rkbridge REDIS_PASS[t5]=change-me-consumer
start_redis t5 "${acl_args[@]}"
start_apply a5 t5 -o target.user=rkbridge -o target.password=change-me-consumer
cons_wait_log a5 'applying the stream' 60
acl_equal() {
  "$TOOL_BIN" verify --source "127.0.0.1:${REDIS_PORT[master]}" \
    --target "127.0.0.1:${REDIS_PORT[t5]}" --target-user rkbridge \
    --target-password change-me-consumer >"$T/verify-t5.out" 2>&1
}
wait_for 100 200 acl_equal || fail "(h) target t5 differs: $(tail -n 3 "$T/verify-t5.out")"
app() { redis-cli -h 127.0.0.1 -p "${REDIS_PORT[t5]}" --user app --pass change-me-app --no-auth-warning "$@"; }
out=$(app SET it:h:write 1 2>&1)
[[ $out == NOPERM* ]] || fail "(h) a write by the app user gave '$out'"
[[ $(app -n 0 EXISTS rkbridge:position) == 1 ]] || fail "(h) the app user cannot read"
log "(h) ACL of deploy/apply-target-users.conf: consumer applies as user rkbridge; the app reads, its write gets: $out"
stop_consumer a5

# (i)
start_apply a2 t2
cons_wait_log a2 'applying the stream' 30
kill_redis master
start_redis master
two_syncs() { (($(grep -c 'full sync done' "${PROD_LOG[p]}") >= 2)); }
wait_for 300 200 two_syncs || fail "(i) the producer did not journal a second full sync"
wait_for 200 100 eval '! alive "${CONS_PID[a2]}"' || fail "(i) the consumer did not stop at the resync marker"
wait "${CONS_PID[a2]}" && rc=0 || rc=$?
[[ $rc == 2 ]] || fail "(i) resync without apply.flush: exit $rc"
grep -qE 'a full load is needed \(a new snapshot at Kafka offset [0-9]+\), and target .* holds [0-9]+ keys: set apply.flush = true' "${CONS_LOG[a2]}" ||
  fail "(i) no clear message: $(tail -n 2 "${CONS_LOG[a2]}")"
fill master --keys 50
start_apply a2 t2 -o apply.flush=true
cons_wait_log a2 'FLUSHING target' 30
start_load master --seconds 3 --rate 300
wait_load
expire_sweep master
wait_equal t2 a2
counters_equal t2
log "(i) the master restarted empty: stopped at the resync marker without apply.flush (exit 2); with it flushed, loaded the new snapshot, equal ($COUNTERS counters)"
stop_consumer a2
