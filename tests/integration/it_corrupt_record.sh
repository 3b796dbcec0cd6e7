#!/usr/bin/env bash
# it_corrupt_record.sh -- records that are not ours, or of a version this
# build does not know, are clear errors naming topic, partition and offset:
#
#  * rkbridge inspect prints one error line per bad record and exits 2;
#  * the producer, finding such a record in the journal's tail when it
#    recovers its position, exits 2 with one line naming the first one, and
#    publishes nothing after it.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
deadline 120
require_cmd redis-server redis-cli java
require_bins

start_redis master --repl-diskless-sync-delay 0
start_kafka
TOPIC=it.corrupt
kafka_create_topic "$TOPIC" 1

# Two values through Kafka's own console producer: text that is not a
# record, then "RK" + version 9 (a tab) + padding to a full header.
printf '%s\n' "not an rkbridge record" \
  "RK$(printf '\t')$(printf 'x%.0s' $(seq 80))" |
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_DIR/tools-log4j2.properties" \
    -cp "$(kafka_jars)/*" org.apache.kafka.tools.ConsoleProducer \
    --bootstrap-server "$BROKERS" --topic "$TOPIC" --sync \
    >"$T/console-producer.log" 2>&1 ||
  fail "console producer failed: $(tail -n 3 "$T/console-producer.log")"

rc=0
inspect "$TOPIC" >"$T/inspect.out" 2>"$T/inspect.err" || rc=$?
[[ $rc == 2 ]] || fail "inspect of bad records exited $rc, want 2"
grep -q "topic 'it.corrupt' partition 0 offset 0: " "$T/inspect.err" ||
  fail "inspect did not name offset 0: $(cat "$T/inspect.err")"
grep -q "topic 'it.corrupt' partition 0 offset 1: record version 9" "$T/inspect.err" ||
  fail "inspect did not report version 9 at offset 1: $(cat "$T/inspect.err")"
[[ $(wc -l <"$T/inspect.err") == 2 ]] || fail "want one line per bad record"
log "inspect: $(tr '\n' '|' <"$T/inspect.err")"

MASTER=master
start_producer p
producer_exit p 30 || fail "producer still runs on a journal it cannot read"
[[ $EXIT_RC == 2 ]] || fail "producer exited $EXIT_RC, want 2"
n=$(grep -c "topic 'it.corrupt' partition 0 offset 0: not an rkbridge record" "${PROD_LOG[p]}" || true)
[[ $n == 1 ]] || fail "want one producer line naming the bad record, got $n"
inspect "$TOPIC" >"$T/inspect2.out" 2>"$T/inspect2.err" || true
n=$(($(wc -l <"$T/inspect2.out") + $(wc -l <"$T/inspect2.err")))
[[ $n == 2 ]] || fail "the topic holds $((n - 2)) more records after the producer ran"
log "ok"
