#!/usr/bin/env bash
# it_bad_input.sh -- the producer facing broken peers and bad Kafka setups.
#
#  * a peer that is not Redis (answers HTTP 400 and closes): one clear
#    error line, the producer keeps running and reconnecting, and nothing
#    is published;
#  * the master dies in the middle of the RDB transfer: a clear error, no
#    snapshot-end and no resync record for that attempt; once the master
#    is back (same port), one full sync completes: exactly one resync
#    marker, pointing at a complete snapshot;
#  * Kafka unreachable at start: a clear error line, retries, and exit 0
#    on SIGTERM;
#  * a topic that cannot be created (replication factor 3 on one broker):
#    exit 2 with a clear line;
#  * a stream topic with 3 partitions: exit 2 with a line naming it.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 180
require_cmd redis-server redis-cli
require_bins
start_kafka

# ---- peers that run in the background while the RDB test goes on

# Not Redis at all.
http_port=$(free_port)
run_bg fake-http "$T/fake-http.out" "$PYTHON" "$TOOLS/fake_http.py" \
  --port "$http_port" --log "$T/fake-http.conns"
wait_for 50 100 test -f "$T/fake-http.out"
start_producer http -o source.port="$http_port" -o kafka.topic=it.bad.http

# Kafka unreachable: a port nothing listens on.
closed_port=$(free_port)
start_redis quiet --repl-diskless-sync-delay 0
MASTER=quiet
start_producer nokafka -o kafka.brokers="127.0.0.1:$closed_port" -o kafka.topic=it.bad.nokafka

# ---- the master dies in the middle of the RDB transfer

start_redis master --repl-diskless-sync-delay 0
MASTER=master
TOPIC=it.bad.rdb
rcli master DEBUG POPULATE 200000 key 100 >/dev/null
# 20 microseconds per key: about 4 s for the whole RDB.
rcli master CONFIG SET rdb-key-save-delay 20 >/dev/null
start_producer p
wait_log p 'full sync: master replid' 30
chunks_seen() { [[ $(count_records "$TOPIC.snapshot" snapshot-chunk) -gt 0 ]]; }
wait_for 100 100 chunks_seen || fail "no snapshot-chunk record while the RDB is transferred"
kill_redis master
log "master SIGKILLed after $(count_records "$TOPIC.snapshot" snapshot-chunk) snapshot chunks"
wait_log p "master 127\.0\.0\.1:${REDIS_PORT[master]}: .*(closed|reset|EOF)" 10
log "error line: $(grep -E "master 127\.0\.0\.1:${REDIS_PORT[master]}: " "${PROD_LOG[p]}" | head -n 1 | sed 's/^.* P . //')"
sleep 2
alive "${PROD_PID[p]}" || fail "the producer exited after the master died"
n=$(count_records "$TOPIC.snapshot" snapshot-end)
[[ $n == 0 ]] || fail "an aborted RDB transfer published $n snapshot-end records"
n=$(count_records "$TOPIC" resync)
[[ $n == 0 ]] || fail "an aborted RDB transfer published $n resync records"

# Back on the same port (empty, new replid). The producer must reconnect
# and complete a full sync; that is checked at the end, after the others.
start_redis master
rcli master SET it:after:restart yes >/dev/null

# ---- back to the background producers

conns=$(wc -l <"$T/fake-http.conns")
((conns >= 2)) || fail "the producer connected $conns times to the HTTP peer; it should keep retrying"
alive "${PROD_PID[http]}" || fail "the producer exited after talking to an HTTP peer"
re="master 127\.0\.0\.1:$http_port: .*(unexpected|protocol|not .*Redis|Redis server)"
log_has http "$re" || fail "no clear error line for the HTTP peer (want /$re/)"
log "HTTP peer ($conns connections): $(grep -E "$re" "${PROD_LOG[http]}" | head -n 1 | sed 's/^.* P . //')"
out=$(inspect it.bad.http 2>&1) || fail "inspect it.bad.http failed: $out"
[[ -z $out ]] || fail "records were published for the HTTP peer: $(head -n 3 <<<"$out")"
out=$(inspect it.bad.http.snapshot 2>&1) || fail "inspect it.bad.http.snapshot failed: $out"
[[ -z $out ]] || fail "snapshot records were published for the HTTP peer: $(head -n 3 <<<"$out")"
stop_producer http
[[ $EXIT_RC == 0 ]] || fail "producer (HTTP peer) exited $EXIT_RC on SIGTERM, want 0"

alive "${PROD_PID[nokafka]}" || fail "the producer exited while Kafka was unreachable"
nokafka_lines() { grep -c 'cannot reach Kafka brokers.*retrying' "${PROD_LOG[nokafka]}"; }
two_lines() { [[ $(nokafka_lines) -ge 2 ]]; }
wait_for 40 500 two_lines ||
  fail "want 'cannot reach Kafka brokers ... retrying' lines for repeated attempts while Kafka is down, got $(nokafka_lines)"
alive "${PROD_PID[nokafka]}" || fail "the producer exited while Kafka was unreachable"
n=$(nokafka_lines)
log "Kafka down: $n error lines: $(grep -m1 'cannot reach Kafka brokers' "${PROD_LOG[nokafka]}" | sed 's/^.* P . //')"
t0=$SECONDS
stop_producer nokafka
[[ $EXIT_RC == 0 ]] || fail "producer (Kafka down) exited $EXIT_RC on SIGTERM, want 0"
log "Kafka down: SIGTERM -> exit 0 in $((SECONDS - t0)) s"

# ---- topics the producer cannot use

start_producer rf3 -o kafka.topic=it.bad.rf3 -o kafka.replication_factor=3
producer_exit rf3 30 || fail "producer with replication_factor=3 still runs after 30 s"
[[ $EXIT_RC == 2 ]] || fail "producer with replication_factor=3 exited $EXIT_RC, want 2"
log_has rf3 "cannot create topic 'it\.bad\.rf3" || fail "no 'cannot create topic' line naming it.bad.rf3"
log "replication factor 3: exit 2: $(grep -m1 'cannot create topic' "${PROD_LOG[rf3]}" | sed 's/^.* P . //')"

kafka_create_topic it.bad.parts 3
start_producer parts -o kafka.topic=it.bad.parts
producer_exit parts 30 || fail "producer with a 3-partition stream topic still runs after 30 s"
[[ $EXIT_RC == 2 ]] || fail "producer with a 3-partition stream topic exited $EXIT_RC, want 2"
log_has parts "'it\.bad\.parts'.*3 partitions" || fail "no line naming topic it.bad.parts and its 3 partitions"
log "3 partitions: exit 2: $(grep -m1 "it.bad.parts'.*partitions" "${PROD_LOG[parts]}" | sed 's/^.* P . //')"

# ---- the restarted master: one complete full sync
wait_log p 'full sync done' 40
rcli master SET it:probe streaming >/dev/null
wait_in_topic "$TOPIC" 'frame .*SET it:probe streaming'
resyncs=$(inspect "$TOPIC" | awk '$2 == "resync"')
[[ -n $resyncs && $(wc -l <<<"$resyncs") -eq 1 ]] ||
  fail "want exactly one resync record after the restart, got: '$resyncs'"
n=$(count_records "$TOPIC.snapshot" snapshot-end)
[[ $n == 1 ]] || fail "want one snapshot-end record, got $n"
[[ $(kv replid "$resyncs") == "$(master_replid master)" ]] ||
  fail "resync marker replid $(kv replid "$resyncs") is not the restarted master's $(master_replid master)"
export_journal
[[ $RDB_OFFSET == "$(kv offset "$resyncs")" && $RDB_REPLID == "$(kv replid "$resyncs")" ]] ||
  fail "the complete snapshot (offset $RDB_OFFSET) is not the one the marker names: $resyncs"
log "after the restart: one full sync, one resync marker, snapshot complete"
