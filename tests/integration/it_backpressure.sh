#!/usr/bin/env bash
# it_backpressure.sh -- Kafka stops under write load.
#
# With producer.max_inflight_bytes=1048576, the broker is stopped while
# the master takes writes: the producer says it pauses reading from the
# master, its ACKed offset stops while the master's offset grows, and its
# RSS stays under 64 MB (the master buffers, not the producer). The broker
# is started again on the same dir and port: the producer catches up (the
# master shows its ACKed offset = master_repl_offset), without a second
# full sync, and the RDB plus the stream replay to the master's data.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 220
require_cmd redis-server redis-cli
require_bins

rss_limit_kb=$((64 * 1024))
if asan_build; then
  # Shadow memory and the allocator's quarantine of freed blocks: keep the
  # quarantine small and allow twice the memory.
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8
  rss_limit_kb=$((128 * 1024))
  log "note: AddressSanitizer build: quarantine_size_mb=8, RSS limit 128 MB"
fi

start_redis master --repl-diskless-sync-delay 0 --repl-backlog-size 64mb
MASTER=master
TOPIC=it.backpressure
prime_backlog master
fill master --keys 100
start_kafka
start_producer p -o producer.max_inflight_bytes=1048576
wait_log p 'full sync done' 30

# About 1 MB/s of replication stream for 30 s.
start_load master --seconds 30 --rate 2000 --value-size 1000
start_acked=$(producer_acked p)
sleep 3
streaming() { (($(producer_acked p) > start_acked)); }
wait_for 20 500 streaming || fail "the producer's ACKed offset does not move under load"
stop_kafka
log "Kafka stopped at master offset $(master_offset master), producer ACKed $(producer_acked p)"

wait_log p 'Kafka is behind .*pausing reads from the master' 30
log "$(grep -m1 'pausing reads' "${PROD_LOG[p]}" | sed 's/^.* repl: //')"
sleep 1
acked1=$(producer_acked p)
m1=$(master_offset master)
max_rss=0
for _ in $(seq 1 16); do
  alive "${PROD_PID[p]}" || fail "the producer exited while Kafka was down"
  rss=$(vmrss_kb "${PROD_PID[p]}")
  ((rss > max_rss)) && max_rss=$rss
  sleep 0.5
done
acked2=$(producer_acked p)
m2=$(master_offset master)
((m2 - m1 > 2000000)) || fail "the load wrote only $((m2 - m1)) bytes while Kafka was down; want more than 2 MB"
[[ $acked2 == "$acked1" ]] ||
  fail "the ACKed offset moved ($acked1 -> $acked2) while Kafka was down: ACKs must mean 'in Kafka'"
((max_rss < rss_limit_kb)) ||
  fail "producer RSS reached $((max_rss / 1024)) MB while paused (limit $((rss_limit_kb / 1024)) MB)"
log "Kafka down: master offset $m1 -> $m2, ACK stays at $acked2, producer RSS max $((max_rss / 1024)) MB"

restart_kafka
log "Kafka restarted on port $KAFKA_PORT"
wait_load
expire_sweep master
wait_caught_up p 60
log "caught up: ACKed offset = master_repl_offset = $(master_offset master)"
rss=$(vmrss_kb "${PROD_PID[p]}")
((rss < rss_limit_kb)) || fail "producer RSS is $((rss / 1024)) MB after catching up (limit $((rss_limit_kb / 1024)) MB)"
log "producer RSS after catching up: $((rss / 1024)) MB"
if [[ $(grep -c 'full sync:' "${PROD_LOG[p]}") != 1 ]]; then
  fail "the producer took another full sync: $(grep 'full sync:' "${PROD_LOG[p]}" | tail -n 1)"
fi

export_settled p
n=$(count_records "$TOPIC" resync)
[[ $n == 1 ]] || fail "want one resync record, got $n"
replay_check replay
