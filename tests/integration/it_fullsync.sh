#!/usr/bin/env bash
# it_fullsync.sh [diskless|disk] -- a full sync journaled under write load.
#
# A master filled with every value type (dbs 0, 1, 5, 15, a function
# library), a slowed-down RDB (rdb-key-save-delay) and a write load that
# runs before, during and after the sync. Then, once the load stopped:
#  (a) the master shows the producer's ACKed offset = master_repl_offset;
#  (b) WAIT 1 after a write returns 1 (ACK means "in Kafka");
#  (c) export-rdb's offset = the resync marker's offset = export-stream's
#      first, and export-stream's end = master_repl_offset (the tool itself
#      rejects gaps and overlaps);
#  (d) the journaled stream bytes equal the master's backlog bytes;
#  (e) the RDB loaded into a fresh server plus the stream replayed into it
#      give the master's data (DEBUG DIGEST, stream groups, FUNCTION LIST).
# The argument selects repl-diskless-sync yes (EOF framing) or no ($len).
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"

mode=${1:-diskless}
case $mode in
  diskless) diskless=yes ;;
  disk) diskless=no ;;
  *) fail "usage: $0 [diskless|disk]" ;;
esac
IT_NAME+="-$mode"
deadline 170
require_cmd redis-server redis-cli
require_bins

start_redis master --repl-diskless-sync "$diskless" --repl-diskless-sync-delay 0 \
  --repl-backlog-size 64mb
MASTER=master
TOPIC=it.fullsync.$mode
# With a backlog from the start the master counts offsets, so the full
# sync starts at an offset other than 0 (a stronger check of offsets).
prime_backlog master
fill master --keys 500
# About 2 s of RDB transfer (microseconds per key), so that the load
# really runs while the RDB is produced and journaled.
rcli master CONFIG SET rdb-key-save-delay 1000 >/dev/null
start_kafka

start_load master --seconds 10 --rate 1500
start_producer p
wait_log p 'full sync: master replid' 30
wait_log p 'full sync done' 60
alive "$LOAD_PID" || fail "the write load ended before the full sync was done; it must run during and after it"
log "$(grep -E 'RDB received|full sync done' "${PROD_LOG[p]}" | sed 's/^.* repl: //' | tr '\n' ' ')"
wait_load
expire_sweep master

# (a) the ACKed offset reaches the master's offset.
wait_caught_up p 10
log "(a) ACKed offset = master_repl_offset = $(master_offset master)"

# (b) WAIT: one replica (the producer) confirms a new write.
rcli master SET it:wait:probe "$(date +%s%N)" >/dev/null
n=$(rcli master WAIT 1 5000)
[[ $n == 1 ]] || fail "(b) WAIT 1 5000 after a write returned '$n', want 1"
log "(b) WAIT 1 5000 = 1"

# (c) snapshot, marker and stream agree with each other and the master.
export_settled p
m1=$SETTLED_OFFSET
resyncs=$(inspect "$TOPIC" | awk '$2 == "resync"')
[[ $(wc -l <<<"$resyncs") -eq 1 && -n $resyncs ]] ||
  fail "(c) want exactly one resync record in $TOPIC, got: '$resyncs'"
marker_offset=$(kv offset "$resyncs")
ends=$(count_records "$TOPIC.snapshot" snapshot-end)
[[ $ends -eq 1 ]] || fail "(c) want one snapshot-end record, got $ends"
replid=$(master_replid master)
[[ $RDB_REPLID == "$replid" && $STREAM_REPLID == "$replid" ]] ||
  fail "(c) replids: rdb $RDB_REPLID stream $STREAM_REPLID master $replid"
[[ $RDB_OFFSET == "$marker_offset" ]] ||
  fail "(c) export-rdb offset $RDB_OFFSET != resync marker offset $marker_offset"
((STREAM_END > STREAM_FIRST)) || fail "(c) the stream is empty"
((RDB_OFFSET > 0)) || fail "(c) the full sync started at offset 0, but the master had a backlog and writes before it"
log "(c) rdb offset = marker offset = stream first = $RDB_OFFSET; stream end = master offset = $m1"

# (d) byte for byte what the master holds in its backlog.
psync_check

# (e) RDB + stream reproduce the master's data.
replay_check replay
