# lib.sh -- helpers for rkbridge's integration tests (it_*.sh).
#
# Sourced by each test. It gives the test a private temp dir ($T), free
# ports, and functions to start real redis-server processes, a real Kafka
# broker (deploy/local/kafka) and rkbridge-producer, each logging to a file
# in $T. An EXIT trap stops exactly the processes this test started (by
# pid: TERM, then KILL) and its Kafka broker (by dir). $T is removed when
# the test passes or skips, and kept (its path printed) when it fails, or
# always with RKB_KEEP_TMP=1.
#
# Environment: RKB_BIN_DIR (rkbridge-producer, rkbridge; default
# build/bin), RKB_SOURCE_DIR (the source tree; default ../.. from here),
# RKB_KEEP_TMP=1 to keep $T, PYTHON (default python3).
#
# Exit codes: 0 pass, 1 fail (fail MSG), 77 skip (skip MSG).

# Variables set here are read by the tests that source this file.
# shellcheck disable=SC2034

set -eEuo pipefail

IT_NAME=$(basename "$0" .sh)
RKB_SOURCE_DIR=${RKB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
RKB_BIN_DIR=${RKB_BIN_DIR:-$RKB_SOURCE_DIR/build/bin}
PRODUCER_BIN=$RKB_BIN_DIR/rkbridge-producer
TOOL_BIN=$RKB_BIN_DIR/rkbridge
TOOLS=$RKB_SOURCE_DIR/tests/tools
KAFKA_SCRIPT=$RKB_SOURCE_DIR/deploy/local/kafka
PYTHON=${PYTHON:-python3}
export PYTHONDONTWRITEBYTECODE=1
IT_START=$SECONDS

T=$(mktemp -d "${TMPDIR:-/tmp}/rkb-$IT_NAME.XXXXXX")

# ---------------------------------------------------------------- output

log() { printf '[%s +%ds] %s\n' "$IT_NAME" "$((SECONDS - IT_START))" "$*"; }

# Tails of every log this test wrote, newest producer logs last.
dump_logs() {
  local f
  for f in "$T"/redis-*/redis.log "$T"/*.log; do
    [[ -f $f ]] || continue
    case $f in
      */producer-*) continue ;;
    esac
    printf -- '--- %s (last 10 lines)\n' "${f#"$T"/}"
    tail -n 10 -- "$f" | cut -c1-400
  done
  for f in "$T"/producer-*.log; do
    [[ -f $f ]] || continue
    printf -- '--- %s (last 30 lines)\n' "${f#"$T"/}"
    tail -n 30 -- "$f" | cut -c1-400
  done
}

fail() {
  trap - USR1 ERR
  printf '[%s +%ds] FAIL: %s\n' "$IT_NAME" "$((SECONDS - IT_START))" "$*" >&2
  dump_logs >&2 || true
  exit 1
}

skip() {
  printf '[%s] SKIP: %s\n' "$IT_NAME" "$*"
  exit 77
}

# wait_for TRIES DELAY_MS CMD... -- runs CMD until it succeeds, at most
# TRIES times, DELAY_MS apart. Returns CMD's last status.
wait_for() {
  local tries=$1 delay=$2 i
  shift 2
  for ((i = 1; ; i++)); do
    if "$@"; then return 0; fi
    ((i < tries)) || return 1
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  done
}

# ---------------------------------------------------------------- processes

declare -a IT_PIDS=()
declare -A IT_PID_NAME=()

track() { IT_PIDS+=("$1"); IT_PID_NAME[$1]=$2; }

# True while the process exists and is not a zombie.
alive() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# stop_pid PID [GRACE_SECONDS] -- TERM, then KILL after the grace period.
stop_pid() {
  local pid=$1 grace=${2:-10} i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid (${IT_PID_NAME[$pid]:-?}) ignored SIGTERM for ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
}

KAFKA_DIR=
cleanup() {
  local rc=$? i pid
  trap - EXIT USR1 INT TERM ERR
  set +e
  for ((i = ${#IT_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${IT_PIDS[i]}
    stop_pid "$pid" 10
    wait "$pid" 2>/dev/null
  done
  if [[ -n $KAFKA_DIR && -d $KAFKA_DIR ]]; then
    "$KAFKA_SCRIPT" stop --dir "$KAFKA_DIR" --timeout 10 >/dev/null 2>&1 ||
      log "warning: stopping the Kafka broker in $KAFKA_DIR failed"
  fi
  if [[ $rc -eq 0 || $rc -eq 77 ]] && [[ -z ${RKB_KEEP_TMP:-} ]]; then
    rm -rf -- "$T"
  else
    log "files kept in $T"
  fi
  if [[ $rc -eq 0 ]]; then
    log "PASS ($((SECONDS - IT_START)) s)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM
# An unexpected failing command (set -e) says where it was.
trap 'fail "line $LINENO: command failed (exit $?): $BASH_COMMAND"' ERR

# deadline SECONDS -- fail (and clean up) if the test runs longer; keep it
# below the ctest TIMEOUT, which kills without cleaning up.
_watchdog() {
  local secs=$1 main=$2 sp
  sleep "$secs" &
  sp=$!
  trap 'kill $sp 2>/dev/null; exit 0' TERM
  wait "$sp" && kill -USR1 "$main"
}
deadline() {
  # shellcheck disable=SC2064 # $1 is meant to expand now
  trap "fail 'test deadline of $1 s passed'" USR1
  _watchdog "$1" $$ </dev/null >/dev/null 2>&1 &
  track $! watchdog
}

declare -A IT_PORTS_GIVEN=()
# A TCP port nothing listens on now (and not handed out before). It is
# taken below the kernel's ephemeral range, so that outgoing connections
# made meanwhile (which get ephemeral local ports) cannot occupy it
# before the server that is to listen on it binds.
free_port() {
  local p
  while :; do
    p=$("$PYTHON" -c 'import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
top = max(lo, 12000)
while True:
    p = random.randrange(10000, top)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break')
    if [[ -z ${IT_PORTS_GIVEN[$p]:-} ]]; then
      IT_PORTS_GIVEN[$p]=1
      printf '%s' "$p"
      return 0
    fi
  done
}

# run_bg NAME LOGFILE CMD... -- a helper process in the background, tracked.
run_bg() {
  local name=$1 logf=$2
  shift 2
  "$@" </dev/null >"$logf" 2>&1 &
  track $! "$name"
  LAST_PID=$!
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || skip "'$c' is not installed"
  done
}

require_bins() {
  [[ -x $PRODUCER_BIN ]] || fail "no producer binary at $PRODUCER_BIN (set RKB_BIN_DIR)"
  [[ -x $TOOL_BIN ]] || fail "no tool binary at $TOOL_BIN (set RKB_BIN_DIR)"
}

# True if the binaries were built with AddressSanitizer (memory limits are
# then meaningless).
asan_build() { grep -q __asan_init "$PRODUCER_BIN" 2>/dev/null; }

# ---------------------------------------------------------------- redis

declare -A REDIS_PORT=() REDIS_PID=() REDIS_PASS=() REDIS_USER=() REDIS_ARGS=()

redis_dir() { mkdir -p "$T/redis-$1" && printf '%s' "$T/redis-$1"; }

# start_redis NAME [redis-server args...] -- redis-server in the foreground
# as a background job of this shell, with --port P --dir D --save ''
# --appendonly no --enable-debug-command local. Sets REDIS_PORT[NAME] and
# REDIS_PID[NAME]; waits until it answers PING. A --requirepass in the
# args is remembered for rcli. Starting a NAME again (after it stopped)
# reuses its port, dir and args unless new args are given.
start_redis() {
  local name=$1 dir port pid a prev=
  shift
  if (($#)); then
    REDIS_ARGS[$name]=$(printf '%q ' "$@")
  fi
  local -a args=()
  eval "args=(${REDIS_ARGS[$name]:-})"
  for a in "${args[@]}"; do
    [[ $prev == --requirepass ]] && REDIS_PASS[$name]=$a
    prev=$a
  done
  port=${REDIS_PORT[$name]:-$(free_port)}
  dir=$(redis_dir "$name")
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' \
    --appendonly no --enable-debug-command local --daemonize no \
    "${args[@]}" </dev/null >>"$dir/redis.log" 2>&1 &
  pid=$!
  track "$pid" "redis-$name"
  REDIS_PORT[$name]=$port
  REDIS_PID[$name]=$pid
  wait_for 100 50 redis_up "$name" || fail "redis $name did not start on port $port"
}

redis_up() {
  alive "${REDIS_PID[$1]}" || fail "redis $1 exited (see $T/redis-$1/redis.log)"
  [[ $(rcli "$1" PING 2>/dev/null) == PONG ]]
}

stop_redis() {
  stop_pid "${REDIS_PID[$1]}" 10
  wait "${REDIS_PID[$1]}" 2>/dev/null || true
}

kill_redis() {
  kill -KILL "${REDIS_PID[$1]}" 2>/dev/null || true
  wait "${REDIS_PID[$1]}" 2>/dev/null || true
}

# rcli NAME ARGS... -- redis-cli against server NAME (with its password).
rcli() {
  local name=$1
  shift
  local -a auth=()
  if [[ -n ${REDIS_PASS[$name]:-} ]]; then
    auth=(--no-auth-warning -a "${REDIS_PASS[$name]}")
    [[ -n ${REDIS_USER[$name]:-} ]] && auth+=(--user "${REDIS_USER[$name]}")
  fi
  redis-cli -h 127.0.0.1 -p "${REDIS_PORT[$name]}" "${auth[@]}" "$@"
}

# Password options for the python tools.
pyauth() {
  if [[ -n ${REDIS_PASS[$1]:-} ]]; then
    printf -- '--password\n%s\n' "${REDIS_PASS[$1]}"
  fi
}

# info_field NAME FIELD [SECTION] -- one INFO field's value.
info_field() {
  rcli "$1" INFO "${3:-replication}" | tr -d '\r' | sed -n "s/^$2://p"
}

master_offset() { info_field "$1" master_repl_offset; }
master_replid() { info_field "$1" master_replid; }

# slave_line NAME ANNOUNCE_PORT -- the master's slaveN: line of the replica
# that announced that port (empty if none).
slave_line() {
  rcli "$1" INFO replication | tr -d '\r' | grep -E "^slave[0-9]+:.*,port=$2," || true
}

# slave_offset NAME ANNOUNCE_PORT -- that replica's ACKed offset.
slave_offset() {
  slave_line "$1" "$2" | sed -n 's/.*,offset=\([0-9]*\).*/\1/p'
}

digest() { rcli "$1" DEBUG DIGEST; }

# ---------------------------------------------------------------- kafka

KAFKA_PORT=
BROKERS=

kafka_jars() {
  local root=${RKB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rkbridge}
  printf '%s' "$root/kafka-4.1.1/libs"
}

# start_kafka [--set KEY=VALUE]... -- a broker in $T/kafka on a free port;
# sets KAFKA_DIR, KAFKA_PORT and BROKERS.
start_kafka() {
  require_cmd java
  [[ -x $KAFKA_SCRIPT ]] || fail "no $KAFKA_SCRIPT"
  KAFKA_DIR=$T/kafka
  KAFKA_PORT=$(free_port)
  BROKERS=127.0.0.1:$KAFKA_PORT
  if ! "$KAFKA_SCRIPT" start --dir "$KAFKA_DIR" --port "$KAFKA_PORT" "$@" \
    >"$T/kafka-start.log" 2>&1; then
    if [[ ! -f $(kafka_jars)/.complete ]] && grep -q 'downloading\|mvn' "$T/kafka-start.log"; then
      skip "cannot get the Kafka jars: $(tail -n 1 "$T/kafka-start.log")"
    fi
    fail "Kafka did not start: $(tail -n 3 "$T/kafka-start.log")"
  fi
  log "$(tail -n 1 "$T/kafka-start.log")"
}

stop_kafka() {
  "$KAFKA_SCRIPT" stop --dir "$KAFKA_DIR" --timeout 20 >>"$T/kafka-start.log" 2>&1 ||
    fail "stopping Kafka failed: $(tail -n 2 "$T/kafka-start.log")"
}

# Starts the broker of $KAFKA_DIR again, on the same port.
restart_kafka() {
  "$KAFKA_SCRIPT" start --dir "$KAFKA_DIR" --port "$KAFKA_PORT" "$@" >>"$T/kafka-start.log" 2>&1 ||
    fail "Kafka did not restart: $(tail -n 3 "$T/kafka-start.log")"
}

# kafka_create_topic TOPIC PARTITIONS
kafka_create_topic() {
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_DIR/tools-log4j2.properties" \
    -cp "$(kafka_jars)/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BROKERS" --create --topic "$1" --partitions "$2" \
    >"$T/topic-$1.log" 2>&1 || fail "cannot create topic $1: $(tail -n 3 "$T/topic-$1.log")"
}

# ---------------------------------------------------------------- tool

inspect() {
  local topic=$1
  shift
  "$TOOL_BIN" inspect --brokers "$BROKERS" --topic "$topic" "$@"
}

# count_records TOPIC TYPE -- how many records of TYPE the topic holds.
count_records() {
  local out
  out=$(inspect "$1") || fail "rkbridge inspect --topic $1 failed"
  awk -v t="$2" '$2 == t' <<<"$out" | wc -l
}

topic_has() { inspect "$1" 2>/dev/null | grep -qE -- "$2"; }

# wait_in_topic TOPIC ERE [SECONDS] -- waits until inspect shows a line
# matching ERE.
wait_in_topic() {
  wait_for $((${3:-20} * 2)) 500 topic_has "$1" "$2" ||
    fail "no record matching /$2/ in topic $1 within ${3:-20}s"
}

# kv KEY LINE -- the value of KEY=value in a line of the tool's output.
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2" | head -n 1; }

# ---------------------------------------------------------------- producer

declare -A PROD_PID=() PROD_LOG=() PROD_APORT=() PROD_STARTS=()
# Defaults for start_producer, set by the test.
MASTER=
TOPIC=

# start_producer NAME [-o key=value]... [other args] -- runs
# rkbridge-producer with an empty config file, logging to
# $T/producer-NAME.N.log (N counts the starts of NAME). Unless given,
# source.host=127.0.0.1, source.port=(port of redis $MASTER),
# kafka.brokers=$BROKERS, kafka.topic=$TOPIC, log.level=info and a
# source.announce_port unique to NAME are added.
start_producer() {
  local name=$1 a
  shift
  local given=" " prev=
  for a in "$@"; do
    [[ $prev == -o ]] && given+="${a%%=*} "
    prev=$a
  done
  local -a args=()
  add_default() { [[ $given == *" $1 "* ]] || args+=(-o "$1=$2"); }
  add_default source.host 127.0.0.1
  if [[ -n $MASTER ]]; then add_default source.port "${REDIS_PORT[$MASTER]}"; fi
  if [[ -n $BROKERS ]]; then add_default kafka.brokers "$BROKERS"; fi
  if [[ -n $TOPIC ]]; then add_default kafka.topic "$TOPIC"; fi
  PROD_APORT[$name]=${PROD_APORT[$name]:-$(free_port)}
  add_default source.announce_port "${PROD_APORT[$name]}"
  add_default log.level info
  local n=$((${PROD_STARTS[$name]:-0} + 1))
  PROD_STARTS[$name]=$n
  PROD_LOG[$name]=$T/producer-$name.$n.log
  [[ -f $T/producer.conf ]] || : >"$T/producer.conf"
  "$PRODUCER_BIN" -c "$T/producer.conf" "${args[@]}" "$@" \
    </dev/null >"${PROD_LOG[$name]}" 2>&1 &
  PROD_PID[$name]=$!
  track "$!" "producer-$name"
  log "producer $name started (pid $!, log ${PROD_LOG[$name]##*/})"
}

plog() { cat -- "${PROD_LOG[$1]}"; }

# log_has NAME ERE -- the producer's current log has a matching line.
log_has() { grep -qE -- "$2" "${PROD_LOG[$1]}"; }

# wait_log NAME ERE [SECONDS] -- waits for a matching line; fails if the
# producer exits first or the time passes.
wait_log() {
  local name=$1 re=$2 secs=${3:-30} i
  for ((i = 0; i < secs * 10; i++)); do
    log_has "$name" "$re" && return 0
    if ! alive "${PROD_PID[$name]}"; then
      log_has "$name" "$re" && return 0
      fail "producer $name exited while waiting for /$re/"
    fi
    sleep 0.1
  done
  fail "producer $name: no log line /$re/ within ${secs}s"
}

# producer_exit NAME SECONDS -- waits for the producer to exit and sets
# EXIT_RC to its exit status; returns 1 (EXIT_RC=running) if it still runs.
# Not for $(...): a subshell cannot wait for this shell's children.
EXIT_RC=
producer_exit() {
  local pid=${PROD_PID[$1]} i
  for ((i = 0; i < $2 * 10; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    EXIT_RC=running
    return 1
  fi
  EXIT_RC=0
  wait "$pid" || EXIT_RC=$?
}

# stop_producer NAME -- SIGTERM, then waits up to 45 s; sets EXIT_RC.
stop_producer() {
  kill -TERM "${PROD_PID[$1]}" 2>/dev/null || true
  producer_exit "$1" 45 || true
}

kill_producer() {
  kill -KILL "${PROD_PID[$1]}" 2>/dev/null || true
  wait "${PROD_PID[$1]}" 2>/dev/null || true
}

# The producer's ACKed offset as the master shows it.
producer_acked() { slave_offset "$MASTER" "${PROD_APORT[$1]}"; }

CAUGHT_UP_OFFSET=
acked_is_master_offset() {
  local m a
  m=$(master_offset "$MASTER")
  a=$(producer_acked "$1")
  [[ -n $a && $a == "$m" ]] && CAUGHT_UP_OFFSET=$m
}

# wait_caught_up NAME [SECONDS] -- the master shows the producer's ACKed
# offset equal to master_repl_offset (writes must have stopped); sets
# CAUGHT_UP_OFFSET to that offset.
wait_caught_up() {
  local secs=${2:-10}
  wait_for $((secs * 5)) 200 acked_is_master_offset "$1" ||
    fail "producer $1 ACKed offset $(producer_acked "$1") (slave line: '$(slave_line "$MASTER" "${PROD_APORT[$1]}")') did not reach master_repl_offset $(master_offset "$MASTER") within ${secs}s"
}

# vmrss_kb PID
vmrss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- data

# fill NAME [datagen fill args] -- every value type in dbs 0,1,5,15.
fill() {
  local name=$1
  shift
  local -a auth
  mapfile -t auth < <(pyauth "$name")
  "$PYTHON" "$TOOLS/datagen.py" fill --port "${REDIS_PORT[$name]}" "${auth[@]}" "$@" \
    >"$T/fill-$name.log" 2>&1 || fail "datagen fill failed: $(tail -n 3 "$T/fill-$name.log")"
  log "$(tail -n 1 "$T/fill-$name.log")"
}

# start_load NAME [datagen load args] -- bounded write load in the
# background; LOAD_PID is its pid (wait_load waits for it and checks it).
LOAD_PID=
LOAD_N=0
start_load() {
  local name=$1
  shift
  local -a auth
  mapfile -t auth < <(pyauth "$name")
  LOAD_N=$((LOAD_N + 1))
  run_bg load "$T/load-$LOAD_N.log" "$PYTHON" "$TOOLS/datagen.py" load \
    --port "${REDIS_PORT[$name]}" --seed "$LOAD_N" "${auth[@]}" "$@"
  LOAD_PID=$LAST_PID
}

wait_load() {
  local rc=0
  wait "$LOAD_PID" || rc=$?
  [[ $rc -eq 0 ]] || fail "write load failed (exit $rc): $(tail -n 3 "$T/load-$LOAD_N.log")"
  log "$(tail -n 1 "$T/load-$LOAD_N.log")"
}

# expire_sweep NAME -- waits out the load's 1 s TTLs and SCANs every db,
# so the master deletes (and propagates DEL for) every expired key.
expire_sweep() {
  sleep 1.2
  local -a auth
  mapfile -t auth < <(pyauth "$1")
  "$PYTHON" "$TOOLS/datagen.py" sweep --port "${REDIS_PORT[$1]}" "${auth[@]}" \
    >"$T/sweep.log" 2>&1 || fail "sweep failed: $(tail -n 3 "$T/sweep.log")"
}

# ---------------------------------------------------------------- journal checks

# export_journal -- export-rdb and export-stream of $TOPIC into $T/export;
# sets RDB_OFFSET RDB_REPLID STREAM_FIRST STREAM_END STREAM_REPLID
# STREAM_RESTARTS. Fails on any tool error (a gap or overlap included).
export_journal() {
  local out
  mkdir -p "$T/export"
  out=$("$TOOL_BIN" export-rdb --brokers "$BROKERS" --topic "$TOPIC.snapshot" \
    --output "$T/export/dump.rdb" 2>&1) || fail "export-rdb failed: $out"
  log "export-rdb: $out"
  RDB_OFFSET=$(kv offset "$out")
  RDB_REPLID=$(kv replid "$out")
  out=$("$TOOL_BIN" export-stream --brokers "$BROKERS" --topic "$TOPIC" \
    --output "$T/export/stream.bin" 2>&1) || fail "export-stream failed: $out"
  log "export-stream: $out"
  STREAM_FIRST=$(kv first "$out")
  STREAM_END=$(kv end "$out")
  STREAM_REPLID=$(kv replid "$out")
  STREAM_RESTARTS=$(kv restarts "$out")
  [[ -n $RDB_OFFSET && -n $STREAM_FIRST && -n $STREAM_END ]] ||
    fail "cannot parse the export output"
}

# export_settled NAME -- export_journal at a moment when the master's
# offset stands still and the producer NAME has ACKed all of it (so all of
# it is in Kafka): the master injects a PING every 10 s, so try again when
# one lands during the export. Sets SETTLED_OFFSET; fails unless
# export-stream ends exactly there and starts at the snapshot's offset.
SETTLED_OFFSET=
export_settled() {
  local attempt m1 m2
  for attempt in 1 2 3; do
    wait_caught_up "$1" 15
    m1=$(master_offset "$MASTER")
    [[ $m1 == "$CAUGHT_UP_OFFSET" ]] || continue
    export_journal
    m2=$(master_offset "$MASTER")
    if [[ $m1 == "$m2" ]]; then
      SETTLED_OFFSET=$m1
      [[ $STREAM_FIRST == "$RDB_OFFSET" ]] ||
        fail "export-stream first=$STREAM_FIRST != the snapshot's offset $RDB_OFFSET"
      [[ $STREAM_END == "$m1" ]] ||
        fail "export-stream end=$STREAM_END != master_repl_offset $m1 (ACKed by the producer)"
      return 0
    fi
    log "master offset moved $m1 -> $m2 during the export (a PING); again"
  done
  fail "the master offset never stood still for an export"
}

# replay_check NAME -- loads the exported RDB into a fresh redis-server
# NAME, applies the exported stream as a client, and compares the result
# with the master (DEBUG DIGEST, streams' groups, FUNCTION LIST).
replay_check() {
  local name=$1 dir out
  dir=$(redis_dir "$name")
  cp -- "$T/export/dump.rdb" "$dir/dump.rdb"
  start_redis "$name"
  out=$("$PYTHON" "$TOOLS/resp_replay.py" --port "${REDIS_PORT[$name]}" \
    --input "$T/export/stream.bin" 2>&1) || fail "replaying the stream failed: $out"
  log "$out"
  local -a auth
  mapfile -t auth < <(pyauth "$MASTER")
  if [[ ${#auth[@]} -gt 0 ]]; then auth=(--password-a "${auth[1]}"); fi
  out=$("$PYTHON" "$TOOLS/compare.py" --port "${REDIS_PORT[$MASTER]}" \
    --port "${REDIS_PORT[$name]}" "${auth[@]}" 2>&1) ||
    fail "RDB + stream replayed into a fresh server differ from the master: $out"
  log "$out"
  stop_redis "$name"
}

# prime_backlog NAME -- makes master NAME create its replication backlog
# (a replica connects and leaves), so that its offsets grow from now on.
prime_backlog() {
  local out
  local -a auth
  mapfile -t auth < <(pyauth "$1")
  out=$("$PYTHON" "$TOOLS/psync_tap.py" --port "${REDIS_PORT[$1]}" --prime "${auth[@]}" 2>&1) ||
    fail "priming the backlog of $1 failed: $out"
  rcli "$1" SET it:primed 1 >/dev/null
  wait_for 100 100 bgsave_done "$1" || fail "$1 still saves an RDB for the priming replica"
}

bgsave_done() {
  [[ $(info_field "$1" rdb_bgsave_in_progress persistence) == 0 ]]
}

# psync_check -- the exported stream bytes equal the master's backlog for
# [STREAM_FIRST, STREAM_END).
psync_check() {
  local out n=$((STREAM_END - STREAM_FIRST))
  local -a auth
  mapfile -t auth < <(pyauth "$MASTER")
  out=$("$PYTHON" "$TOOLS/psync_tap.py" --port "${REDIS_PORT[$MASTER]}" \
    --replid "$STREAM_REPLID" --offset "$STREAM_FIRST" --bytes "$n" \
    --output "$T/export/backlog.bin" "${auth[@]}" 2>&1) ||
    fail "reading the master's backlog failed: $out"
  cmp -- "$T/export/stream.bin" "$T/export/backlog.bin" >"$T/export/cmp.txt" 2>&1 ||
    fail "journaled stream differs from the master's backlog: $(head -c 300 "$T/export/cmp.txt")"
  log "stream bytes $STREAM_FIRST..$STREAM_END equal the master's backlog ($n bytes)"
}

# ---------------------------------------------------------------- consumer

CONSUMER_BIN=$RKB_BIN_DIR/rkbridge-consumer
declare -A CONS_PID=() CONS_LOG=() CONS_PORT=() CONS_STARTS=()

# start_consumer NAME [-o key=value]... -- runs rkbridge-consumer (relay
# mode) with an empty config file, logging to $T/consumer-NAME.N.log.
# Unless given, kafka.brokers=$BROKERS, kafka.topic=$TOPIC, log.level=info
# and relay.listen=127.0.0.1:(a free port, kept across restarts of NAME,
# in CONS_PORT[NAME]) are added.
start_consumer() {
  local name=$1 a
  shift
  [[ -x $CONSUMER_BIN ]] || fail "no consumer binary at $CONSUMER_BIN (set RKB_BIN_DIR)"
  local given=" " prev=
  for a in "$@"; do
    [[ $prev == -o ]] && given+="${a%%=*} "
    prev=$a
  done
  local -a args=()
  cons_default() { [[ $given == *" $1 "* ]] || args+=(-o "$1=$2"); }
  if [[ -n $BROKERS ]]; then cons_default kafka.brokers "$BROKERS"; fi
  if [[ -n $TOPIC ]]; then cons_default kafka.topic "$TOPIC"; fi
  CONS_PORT[$name]=${CONS_PORT[$name]:-$(free_port)}
  cons_default relay.listen "127.0.0.1:${CONS_PORT[$name]}"
  cons_default log.level info
  local n=$((${CONS_STARTS[$name]:-0} + 1))
  CONS_STARTS[$name]=$n
  CONS_LOG[$name]=$T/consumer-$name.$n.log
  [[ -f $T/consumer.conf ]] || : >"$T/consumer.conf"
  "$CONSUMER_BIN" -c "$T/consumer.conf" "${args[@]}" "$@" \
    </dev/null >"${CONS_LOG[$name]}" 2>&1 &
  CONS_PID[$name]=$!
  track "$!" "consumer-$name"
  log "consumer $name started (pid $!, relay port ${CONS_PORT[$name]}, log ${CONS_LOG[$name]##*/})"
}

# cons_wait_log NAME ERE [SECONDS] -- waits for a line in the consumer's
# current log; fails if it exits first or the time passes.
cons_wait_log() {
  local name=$1 re=$2 secs=${3:-30} i
  for ((i = 0; i < secs * 10; i++)); do
    grep -qE -- "$re" "${CONS_LOG[$name]}" 2>/dev/null && return 0
    alive "${CONS_PID[$name]}" || fail "consumer $name exited while waiting for /$re/"
    sleep 0.1
  done
  fail "consumer $name: no log line /$re/ within ${secs}s"
}

# stop_consumer NAME -- SIGTERM, waits up to 20 s; sets EXIT_RC (or
# "running").
stop_consumer() {
  local pid=${CONS_PID[$1]} i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    EXIT_RC=running
    return 0
  fi
  EXIT_RC=0
  wait "$pid" || EXIT_RC=$?
}

# relay_cli NAME ARGS... -- redis-cli against consumer NAME's relay port.
relay_cli() {
  local name=$1
  shift
  redis-cli -h 127.0.0.1 -p "${CONS_PORT[$name]}" "$@"
}
