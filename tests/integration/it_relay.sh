#!/usr/bin/env bash
# it_relay.sh -- the consumer in relay mode serves two real replicas.
#
# A master filled with every value type in several dbs (and a function
# library) under a light write load, the producer journaling it, one
# consumer, and two redis-servers doing REPLICAOF to the consumer's relay
# port. Checks:
#  (a) both replicas take a full sync from the journal and converge: DEBUG
#      DIGEST and master_repl_offset equal to the master's;
#  (b) a write on a replica is refused with READONLY;
#  (c) INFO replication and ROLE on the relay port show a master with the
#      two replicas online at the master's offset;
#  (c2) SYNC (redis-cli --rdb) gets the "$<size>"-framed RDB, byte for byte
#      the snapshot export-rdb rebuilds (replicas, announcing capa eof,
#      get the EOF framing);
#  (d) garbage on the relay port gets a protocol error; the replicas keep
#      being served; (d2) a PSYNC for a replid the journal never had gets
#      a full sync (as from Redis) and a clear log line; (d3) a client
#      flooding INFO without reading its replies is closed;
#  (e) a replica restarted with its data continues with +CONTINUE
#      (partial resync) and converges, though the master wrote more than
#      its own backlog (16 KB) meanwhile;
#  (f) the consumer stopped with SIGTERM exits 0, and once restarted the
#      replicas continue with +CONTINUE and converge; the same after a
#      SIGKILL under write load;
#  (g) a replica restarted without data gets a full sync and converges;
#  (h) a second consumer with relay.password: a replica with masterauth
#      syncs; no AUTH gets NOAUTH, a wrong password WRONGPASS;
#  (i) a stopped replica (SIGSTOP) does not hold back the other one during
#      a burst larger than the per-replica output bound, and catches up
#      once resumed;
#  (j) the consumer group kafka.group holds a committed offset near the
#      end of the stream topic (what the replicas acknowledged).
# and first, without Kafka: -t and a missing relay.listen.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"

deadline 170
require_cmd redis-server redis-cli
require_bins

# Configuration: checked before anything starts.
out=$("$CONSUMER_BIN" -o kafka.brokers=127.0.0.1:1 -o kafka.topic=t \
  -o relay.listen=127.0.0.1:1 -t 2>&1) || fail "-t of a good config failed: $out"
rc=0
out=$("$CONSUMER_BIN" -o kafka.brokers=127.0.0.1:1 -o kafka.topic=t -t 2>&1) || rc=$?
[[ $rc == 1 && $out == *"relay.listen: required in relay mode"* ]] ||
  fail "no relay.listen: exit $rc, '$out'"
log "config: -t ok, missing relay.listen refused with exit 1"

# The master's own backlog is the smallest Redis allows, so that (e)
# continues from a position only Kafka still holds.
start_redis master --repl-backlog-size 16kb
MASTER=master
TOPIC=it.relay
fill master --keys 300
start_kafka
start_load master --seconds 12 --rate 400
start_producer p
wait_log p 'full sync done' 60
start_consumer c
cons_wait_log c 'journal indexed' 30
RP=${CONS_PORT[c]}
start_redis r1 --replicaof 127.0.0.1 "$RP"
start_redis r2 --replicaof 127.0.0.1 "$RP"
alive "$LOAD_PID" || fail "the write load ended before the replicas synced; it must run during and after"
cons_wait_log c 'replica #[0-9]+ .*: RDB sent' 30
wait_load
expire_sweep master

# All of name's state equals the master's: digest and offset, read twice
# around the replica's so a master PING in between cannot fool us.
converged() {
  local name=$1 m1 m2 d r
  m1=$(master_offset master)
  r=$(master_offset "$name")
  d=$(digest "$name")
  m2=$(master_offset master)
  [[ $m1 == "$m2" && $r == "$m1" && $d == "$(digest master)" ]]
}
wait_converged() {
  local name
  for name in "$@"; do
    wait_for 150 200 converged "$name" ||
      fail "replica $name did not converge: offset $(master_offset "$name") digest $(digest "$name"); master offset $(master_offset master) digest $(digest master); link $(info_field "$name" master_link_status)"
  done
}

# (a)
wait_caught_up p 20
wait_converged r1 r2
log "(a) r1 and r2: digest $(digest r1) and offset $(master_offset r1) equal the master's"
[[ $(master_replid r1) == "$(master_replid master)" ]] ||
  fail "(a) r1 has replid $(master_replid r1), the master $(master_replid master)"

# (b)
out=$(rcli r1 SET it:relay:write 1 2>&1 || true)
[[ $out == READONLY* ]] || fail "(b) a write on r1 gave '$out', want READONLY"
log "(b) write on a replica: $out"

# (c)
info=$(relay_cli c INFO replication | tr -d '\r')
grep -qx 'role:master' <<<"$info" || fail "(c) INFO: no role:master in: $info"
grep -qx 'connected_slaves:2' <<<"$info" || fail "(c) INFO: want 2 replicas: $info"
for name in r1 r2; do
  grep -qE "^slave[01]:ip=127.0.0.1,port=${REDIS_PORT[$name]},state=online,offset=[0-9]+,lag=[0-9]+$" <<<"$info" ||
    fail "(c) INFO: no online slave line for $name (port ${REDIS_PORT[$name]}): $info"
done
m=$(master_offset master)
grep -qx "master_repl_offset:$m" <<<"$info" || fail "(c) INFO: master_repl_offset is not $m: $info"
grep -qx "master_replid:$(master_replid master)" <<<"$info" || fail "(c) INFO: wrong master_replid: $info"
role=$(relay_cli c ROLE | head -n 2 | tr '\n' ' ')
[[ $role == "master $m " ]] || fail "(c) ROLE gave '$role', want 'master $m'"
# The replicas' REPLCONF ACKs reach the relay: their offsets in INFO.
acks_at_master() {
  local m info
  m=$(master_offset master)
  info=$(relay_cli c INFO replication | tr -d '\r')
  [[ $(grep -c "state=online,offset=$m," <<<"$info") == 2 ]]
}
wait_for 50 200 acks_at_master || fail "(c) INFO: replica ACK offsets never reached the master's: $(relay_cli c INFO replication | tr -d '\r')"
log "(c) relay INFO replication and ROLE: master at $m with 2 online replicas"

# (c2)
relay_cli c --rdb "$T/relay.rdb" >"$T/relay-rdb.log" 2>&1 ||
  fail "(c2) redis-cli --rdb from the relay failed: $(tail -n 3 "$T/relay-rdb.log")"
"$TOOL_BIN" export-rdb --brokers "$BROKERS" --topic "$TOPIC.snapshot" \
  --output "$T/journal.rdb" >"$T/export-rdb.log" 2>&1 || fail "(c2) export-rdb failed"
cmp -s "$T/relay.rdb" "$T/journal.rdb" || fail "(c2) the RDB from SYNC differs from the journal's"
grep -q 'the stream follows its first ACK' "${CONS_LOG[c]}" ||
  fail "(c2) the replicas did not get the EOF framing"
log "(c2) SYNC: \$<size> RDB identical to the journal's ($(stat -c %s "$T/relay.rdb") bytes)"

# (d)
out=$("$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"*x\r\n")
print(s.recv(200).decode(errors="replace").strip())' "$RP")
gout=$out
[[ $out == "-ERR Protocol error"* ]] || fail "(d) garbage got '$out'"
out=$(relay_cli c AUTH nopass 2>&1 || true)
[[ $out == *"without any password"* ]] || fail "(d) AUTH without relay.password gave '$out'"
rcli master SET it:relay:after-garbage 1 >/dev/null
wait_converged r1 r2
log "(d) garbage refused ($gout); AUTH without a password refused; replicas still served"

# (d2) A PSYNC for a replid the journal never had (say, a server that
# followed another master) is answered as Redis answers it: a full sync of
# the journal's dataset, with one clear log line; the others go on.
unknown=0123456789abcdef0123456789abcdef01234567
out=$("$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"*3\r\n$5\r\nPSYNC\r\n$40\r\n" + sys.argv[2].encode() + b"\r\n$3\r\n100\r\n")
buf = b""
while b"\r\n" not in buf.lstrip(b"\n"):
    buf += s.recv(200)
print(buf.lstrip(b"\n").split(b"\r\n")[0].decode(errors="replace"))' "$RP" "$unknown")
[[ $out == "+FULLRESYNC $(master_replid master) "* ]] ||
  fail "(d2) PSYNC for an unknown replid got '$out'"
cons_wait_log c "$unknown 100 is not in the journal's history" 10
rcli master SET it:relay:after-unknown-psync 1 >/dev/null
wait_converged r1 r2
log "(d2) PSYNC for an unknown replid: '$out', logged; replicas still served"

# (d3) A client that floods INFO without reading the replies is closed
# once its output passes the bound; the replicas go on.
"$PYTHON" -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"INFO\r\n" * 100000)
time.sleep(3)' "$RP"
cons_wait_log c "does not read its replies" 10
rcli master SET it:relay:after-flood 1 >/dev/null
wait_converged r1 r2
log "(d3) a client flooding INFO without reading was closed; replicas still served"

# (e) r1 restarted with its data: a partial resync from the journal.
rcli r1 SHUTDOWN SAVE >/dev/null 2>&1 || true
wait "${REDIS_PID[r1]}" 2>/dev/null || true
down_at=$(master_offset master)
start_load master --seconds 3 --rate 400
wait_load
written=$(($(master_offset master) - down_at))
((written > 3 * 16384)) || fail "(e) only $written bytes written while r1 was down"
start_redis r1
wait_for 100 100 grep -q 'Successful partial resynchronization' "$T/redis-r1/redis.log" ||
  fail "(e) r1 did not continue with a partial resync: $(grep -E 'resync|Full' "$T/redis-r1/redis.log" | tail -n 3)"
expire_sweep master
wait_converged r1 r2
log "(e) r1 restarted with its data after $written stream bytes (master backlog 16 KB): +CONTINUE, converged"

# (f) the consumer restarted: both replicas continue.
stop_consumer c
[[ $EXIT_RC == 0 ]] || fail "(f) consumer exit status after SIGTERM: $EXIT_RC"
# count_partial NAME -- partial resyncs in the replica's log (never fails).
count_partial() {
  grep -c 'Successful partial resynchronization' "$T/redis-$1/redis.log" || true
}
n1=$(count_partial r1)
n2=$(count_partial r2)
rcli master SET it:relay:while-down 1 >/dev/null
start_consumer c
cons_wait_log c 'journal indexed' 30
more_partial() {
  (($(count_partial r1) > n1)) && (($(count_partial r2) > n2))
}
wait_for 100 200 more_partial ||
  fail "(f) after the consumer restart the replicas did not both continue with a partial resync"
wait_converged r1 r2
grep -q 'full sync' "${CONS_LOG[c]}" && fail "(f) the restarted consumer served a full sync"
log "(f) consumer SIGTERM exit 0; restarted: both replicas +CONTINUE, converged"

# (f2) SIGKILL under load.
n1=$(count_partial r1)
n2=$(count_partial r2)
start_load master --seconds 5 --rate 400
sleep 1
kill -KILL "${CONS_PID[c]}"
wait "${CONS_PID[c]}" 2>/dev/null || true
sleep 1
start_consumer c
cons_wait_log c 'journal indexed' 30
wait_for 100 200 more_partial ||
  fail "(f2) after SIGKILL the replicas did not both continue with a partial resync"
wait_load
expire_sweep master
wait_converged r1 r2
grep -q 'full sync' "${CONS_LOG[c]}" && fail "(f2) the restarted consumer served a full sync"
log "(f2) consumer SIGKILL under load, restarted: both replicas +CONTINUE, converged"

# (g) r2 restarted without its data: a full sync from the snapshot.
stop_redis r2
rm -f -- "$T/redis-r2/dump.rdb"
rcli master SET it:relay:r2-gone 1 >/dev/null
start_redis r2
cons_wait_log c "replica #[0-9]+ \\(127.0.0.1:${REDIS_PORT[r2]}\\): full sync from snapshot" 30
wait_converged r1 r2
log "(g) r2 restarted without data: full sync, converged"

# (h) a consumer that requires AUTH.
MPORT=$(free_port)
start_consumer c2 -o relay.password=s3cret -o kafka.group=it-relay-auth \
  -o metrics.listen=127.0.0.1:$MPORT
cons_wait_log c2 'journal indexed' 30
out=$(relay_cli c2 PING 2>&1 || true)
[[ $out == NOAUTH* ]] || fail "(h) PING without AUTH gave '$out'"
out=$(relay_cli c2 AUTH wrong 2>&1 || true)
[[ $out == WRONGPASS* ]] || fail "(h) a wrong password gave '$out'"
start_redis r3 --replicaof 127.0.0.1 "${CONS_PORT[c2]}" --masterauth s3cret
wait_converged r3
metrics=$("$PYTHON" -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode())' "$MPORT")
grep -q '^rkbridge_consumer_replicas_online 1' <<<"$metrics" ||
  fail "(h) /metrics does not show one online replica: $metrics"
grep -q 's3cret' "${CONS_LOG[c2]}" && fail "(h) the password is in the consumer log"
log "(h) relay.password: NOAUTH, WRONGPASS, and a replica with masterauth converged"

# (i) backpressure: r2 stopped, a burst of about 24 MB.
kill -STOP "${REDIS_PID[r2]}"
"$PYTHON" "$TOOLS/datagen.py" burst --port "${REDIS_PORT[master]}" --count 1500 \
  --value-size 16384 >"$T/burst.log" 2>&1 || { kill -CONT "${REDIS_PID[r2]}"; fail "burst failed"; }
if ! wait_for 150 200 converged r1; then
  kill -CONT "${REDIS_PID[r2]}"
  fail "(i) r1 did not converge while r2 was stopped"
fi
rss=$(vmrss_kb "${CONS_PID[c]}")
paused=$(grep -c "replica #[0-9]* (127.0.0.1:${REDIS_PORT[r2]}) is slow" "${CONS_LOG[c]}" || true)
kill -CONT "${REDIS_PID[r2]}"
wait_converged r1 r2
((paused > 0)) || fail "(i) the consumer never paused the stopped replica's reader"
log "(i) r1 converged while r2 was stopped (its reader paused, consumer RSS ${rss} kB); r2 caught up once resumed"
if ! asan_build; then
  ((rss < 300000)) || fail "(i) consumer RSS ${rss} kB with a stopped replica"
fi

# (j) the region's lag in standard Kafka tools.
sleep 1.5
groups_out=$(java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Dlog4j2.configurationFile="$KAFKA_DIR/tools-log4j2.properties" \
  -cp "$(kafka_jars)/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
  --bootstrap-server "$BROKERS" --describe --group rkbridge-consumer 2>&1) ||
  fail "(j) kafka-consumer-groups failed: $groups_out"
line=$(grep -E "^rkbridge-consumer +$TOPIC +0 " <<<"$groups_out" || true)
read -r _ _ _ committed logend lag _ <<<"$line"
[[ $committed =~ ^[0-9]+$ && $lag =~ ^[0-9]+$ ]] ||
  fail "(j) no committed offset for $TOPIC in group rkbridge-consumer: $groups_out"
((committed > 0 && lag <= 20)) || fail "(j) committed $committed, log end $logend, lag $lag"
log "(j) group rkbridge-consumer: committed $committed of $logend (lag $lag records)"
