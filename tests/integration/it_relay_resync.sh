#!/usr/bin/env bash
# it_relay_resync.sh -- eight replicas behind one consumer, across a new
# full sync of the journal.
#
#  (a) the consumer starts before the producer has created the topics;
#      eight replicas REPLICAOF it and converge on the master (DEBUG
#      DIGEST, master_repl_offset, replid);
#  (b) the master restarts without its data: a new replid, so the producer
#      journals a new full sync (a second RESYNC marker). The replicas,
#      streaming, reach that marker, are disconnected, reconnect, get a
#      full sync of the new snapshot and converge on the new master.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"

deadline 170
require_cmd redis-server redis-cli
require_bins

NREP=8
start_redis master --repl-diskless-sync-delay 0
MASTER=master
TOPIC=it.relay.resync
start_kafka
start_consumer c
sleep 2
alive "${CONS_PID[c]}" || fail "the consumer exited while the topics did not exist"
fill master --keys 100
start_producer p
wait_log p 'full sync done' 60
cons_wait_log c 'journal indexed' 60
RP=${CONS_PORT[c]}
for ((i = 1; i <= NREP; i++)); do
  start_redis "r$i" --replicaof 127.0.0.1 "$RP"
done
start_load master --seconds 4 --rate 300
wait_load
expire_sweep master

converged() {
  local name=$1 m1 m2 d r
  m1=$(master_offset master)
  r=$(master_offset "$name")
  d=$(digest "$name")
  m2=$(master_offset master)
  [[ $m1 == "$m2" && $r == "$m1" && $d == "$(digest master)" &&
    $(master_replid "$name") == "$(master_replid master)" ]]
}
wait_all() {
  local i
  for ((i = 1; i <= NREP; i++)); do
    wait_for 150 200 converged "r$i" ||
      fail "$1: replica r$i did not converge: offset $(master_offset "r$i") replid $(master_replid "r$i"); master $(master_offset master) $(master_replid master)"
  done
}
wait_all "(a)"
n=$(relay_cli c INFO replication | tr -d '\r' | grep -c 'state=online')
[[ $n == "$NREP" ]] || fail "(a) INFO on the relay shows $n online replicas, want $NREP"
log "(a) $NREP replicas converged on replid $(master_replid master) offset $(master_offset master)"

# (b) a new history.
old_replid=$(master_replid master)
kill_redis master
start_redis master
# (The master picks its replid for good when its first replica syncs.)
two_syncs() { (($(grep -c 'full sync done' "${PROD_LOG[p]}") >= 2)); }
wait_for 300 200 two_syncs || fail "(b) the producer did not journal a second full sync"
new_replid=$(master_replid master)
[[ $new_replid != "$old_replid" ]] || fail "(b) the restarted master kept its replid"
fill master --keys 50
start_load master --seconds 3 --rate 300
wait_load
expire_sweep master
wait_all "(b)"
syncs=$(grep -c 'full sync from snapshot' "${CONS_LOG[c]}" || true)
((syncs >= 2 * NREP)) || fail "(b) want at least $((2 * NREP)) full syncs in the consumer log, got $syncs"
log "(b) after the master's restart all $NREP replicas took the new snapshot ($syncs full syncs served) and converged on $new_replid"
