#!/usr/bin/env bash
# it_restart.sh -- kill -9 of the producer under write load, then restart.
#
#  * the restarted producer resumes with a partial resync (PSYNC from the
#    journal's position): no second full sync, still one resync record;
#  * export-stream finds no gap (restarts may be > 0), and the RDB plus
#    the stream replayed into a fresh server give the master's data;
#  * after the writes stop, the master shows the producer's ACKed offset =
#    master_repl_offset; then a burst of writes and SIGTERM: exit 0, and
#    the last REPLCONF ACK it sent (seen through a recording TCP proxy)
#    and its final durable offset both equal master_repl_offset.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 170
require_cmd redis-server redis-cli
require_bins

# No PINGs from the master (it sends one every 10 s by default): the
# SIGTERM check below compares offsets across about a second.
start_redis master --repl-diskless-sync-delay 0 --repl-backlog-size 64mb \
  --repl-ping-replica-period 3600
MASTER=master
TOPIC=it.restart
prime_backlog master
fill master --keys 200
start_kafka

start_load master --seconds 14 --rate 2000
start_producer p
wait_log p 'full sync done' 30
sleep 2
kill_producer p
log "producer SIGKILLed while streaming at master offset $(master_offset master)"
sleep 1

# The second run talks to the master through a proxy that records what it
# sends (its REPLCONF ACKs). A long linger keeps records unconfirmed for a
# while, so that SIGTERM below finds work to flush.
proxy_port=$(free_port)
run_bg proxy "$T/proxy.out" "$PYTHON" "$TOOLS/tcp_proxy.py" serve \
  --listen "$proxy_port" --to "${REDIS_PORT[master]}" --log "$T/proxy.bin"
wait_for 50 100 bash -c "exec 3<>/dev/tcp/127.0.0.1/$proxy_port" 2>/dev/null ||
  fail "the proxy did not start"
start_producer p -o source.port="$proxy_port" -o kafka.properties=linger.ms=1000
wait_log p 'partial resync from offset' 30
log "$(grep -E 'resuming from the journal|partial resync' "${PROD_LOG[p]}" | sed 's/^.* repl: //' | tr '\n' ' ')"
alive "$LOAD_PID" || fail "the write load ended before the restarted producer resumed; make it longer"
wait_load
expire_sweep master
wait_caught_up p 15
log "caught up: ACKed offset = master_repl_offset = $(master_offset master)"
if log_has p 'full sync'; then
  fail "the restarted producer took a full sync: $(grep 'full sync' "${PROD_LOG[p]}" | head -n 1)"
fi
n=$(count_records "$TOPIC" resync)
[[ $n == 1 ]] || fail "want one resync record (the first full sync only), got $n"

export_settled p
log "journal contiguous across the restart ($STREAM_RESTARTS restarts)"
psync_check
replay_check replay

# SIGTERM: flush, last ACK, exit 0.
wait_caught_up p 10
before=$(master_offset master)
"$PYTHON" "$TOOLS/datagen.py" burst --port "${REDIS_PORT[master]}" --count 3000 \
  --value-size 100 >"$T/burst.log" 2>&1 || fail "burst failed: $(tail -n 2 "$T/burst.log")"
sleep 0.3
final=$(master_offset master)
acks_before=$(wc -c <"$T/proxy.bin")
stop_producer p
[[ $EXIT_RC == 0 ]] || fail "SIGTERM: producer exited $EXIT_RC, want 0"
sleep 0.5
last_ack=$("$PYTHON" "$TOOLS/tcp_proxy.py" last-ack --log "$T/proxy.bin") ||
  fail "the proxy saw no REPLCONF ACK"
[[ $(master_offset master) == "$final" ]] || fail "the master offset moved during the stop"
[[ $last_ack == "$final" ]] ||
  fail "last REPLCONF ACK before exit was $last_ack, master_repl_offset is $final (was $before before the burst)"
durable=$(sed -n 's/.*stopped: durable offset \([0-9]*\).*/\1/p' "${PROD_LOG[p]}")
[[ $durable == "$final" ]] || fail "the producer stopped at durable offset '$durable', master_repl_offset is $final"
if tail -c "+$((acks_before + 1))" "$T/proxy.bin" | grep -qa "$final"; then
  when="after SIGTERM"
else
  when="before SIGTERM"
fi
log "SIGTERM: exit 0; last ACK $last_ack = durable = master_repl_offset (burst $before..$final; ACK sent $when)"
