#!/usr/bin/env bash
# it_rdb2resp.sh -- `rkbridge rdb2resp dump.rdb | redis-cli --pipe` rebuilds
# the dataset of the server that wrote the RDB: DEBUG DIGEST, FUNCTION LIST
# and XINFO STREAM FULL (on what Redis replicates) equal. Also a big key of
# each type (batching), the shared RDB fixtures when present, and corrupt
# or truncated input (exit 2, one line, only whole keys on stdout). The
# same with --restore (RESTORE payloads), and --target-version.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

deadline 170
require_cmd redis-server redis-cli
[[ -x $TOOL_BIN ]] || fail "no tool binary at $TOOL_BIN (set RKB_BIN_DIR)"

# Streams of every db, as XINFO STREAM FULL shows them, minus what depends
# on the memory layout (radix-tree-*) or on the time of loading (consumer
# seen-time / active-time, which XCLAIM sets to now).
cat >"$T/streams.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import rkbresp
DROP = {b"radix-tree-keys", b"radix-tree-nodes", b"seen-time",
        b"active-time"}

def norm(v):
    if isinstance(v, list):
        if len(v) % 2 == 0 and v and all(isinstance(v[i], bytes)
                                         for i in range(0, len(v), 2)) \
                and all(v[i].replace(b"-", b"").isalpha()
                        for i in range(0, len(v), 2)):
            return [(v[i], norm(v[i + 1])) for i in range(0, len(v), 2)
                    if v[i] not in DROP]
        return [norm(x) for x in v]
    return v

def field(flat, name):
    return flat[flat.index(name) + 1]

def put(flat, name, v):
    flat[flat.index(name) + 1] = v

# Redis 7.0's XCLAIM FORCE ignores an id that is no longer in the stream
# (XDEL), so such pending entries cannot be rebuilt: leave them out, on
# both sides, and count them on stderr.
def drop_deleted(info):
    ids = {e[0] for e in field(info, b"entries")}
    gone = 0
    for g in field(info, b"groups"):
        pel = [p for p in field(g, b"pending") if p[0] in ids]
        gone += len(field(g, b"pending")) - len(pel)
        put(g, b"pending", pel)
        put(g, b"pel-count", len(pel))
        for cons in field(g, b"consumers"):
            pel = [p for p in field(cons, b"pending") if p[0] in ids]
            put(cons, b"pending", pel)
            put(cons, b"pel-count", len(pel))
    return gone

c = rkbresp.Conn("127.0.0.1", int(sys.argv[2]))
dropped = 0
for db in range(16):
    c.call("SELECT", db)
    cur = b"0"
    keys = []
    while True:
        cur, batch = c.call("SCAN", cur, "COUNT", 1000, "TYPE", "stream")
        keys += batch
        if cur == b"0":
            break
    for k in sorted(set(keys)):
        info = c.call("XINFO", "STREAM", k, "FULL", "COUNT", 0)
        dropped += drop_deleted(info)
        print(db, repr(k), repr(norm(info)))
print("pending entries of deleted stream entries:", dropped,
      file=sys.stderr)
EOF

streams() { "$PYTHON" "$T/streams.py" "$TOOLS" "${REDIS_PORT[$1]}"; }
# Sorted: the order of a library's functions in the reply is a hash
# table's order, which differs between servers.
funcs() { rcli "$1" FUNCTION LIST WITHCODE | LC_ALL=C sort; }

# load NAME FILE [OPTION...] -- rdb2resp FILE | redis-cli --pipe into
# server NAME.
load() {
  local name=$1 file=$2 out
  shift 2
  "$TOOL_BIN" rdb2resp "$file" "$@" >"$T/load.resp" 2>"$T/load.err" ||
    fail "rdb2resp $file failed: $(cat "$T/load.err")"
  out=$(rcli "$name" --pipe <"$T/load.resp" 2>&1) ||
    fail "redis-cli --pipe of $file failed: $(tail -n 5 <<<"$out")"
  grep -q 'errors: 0,' <<<"$out" ||
    fail "redis-cli --pipe of $file had errors: $(head -n 5 <<<"$out")"
}

reset() { rcli "$1" FLUSHALL >/dev/null && rcli "$1" FUNCTION FLUSH >/dev/null; }

start_redis src
start_redis dst

# ---- every type, TTLs, streams with groups and pending entries, functions
"$PYTHON" "$TOOLS/datagen.py" fill --port "${REDIS_PORT[src]}" --keys 50 >/dev/null
# A stream without entries nor groups but with an id, and its deleted
# entries: rdb2resp must still create it.
rcli src XADD d0:stream:alldeleted 5-1 a 1 >/dev/null
rcli src XDEL d0:stream:alldeleted 5-1 >/dev/null
# Big keys of every type: several batches each.
"$PYTHON" - "$TOOLS" "${REDIS_PORT[src]}" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import rkbresp
def field(flat, name):
    return flat[flat.index(name) + 1]

def put(flat, name, v):
    flat[flat.index(name) + 1] = v

# Redis 7.0's XCLAIM FORCE ignores an id that is no longer in the stream
# (XDEL), so such pending entries cannot be rebuilt: leave them out, on
# both sides, and count them on stderr.
def drop_deleted(info):
    ids = {e[0] for e in field(info, b"entries")}
    gone = 0
    for g in field(info, b"groups"):
        pel = [p for p in field(g, b"pending") if p[0] in ids]
        gone += len(field(g, b"pending")) - len(pel)
        put(g, b"pending", pel)
        put(g, b"pel-count", len(pel))
        for cons in field(g, b"consumers"):
            pel = [p for p in field(cons, b"pending") if p[0] in ids]
            put(cons, b"pending", pel)
            put(cons, b"pel-count", len(pel))
    return gone

c = rkbresp.Conn("127.0.0.1", int(sys.argv[2]))
dropped = 0
n = 100000
cmds = [("SELECT", 1)]
for i in range(0, n, 1000):
    r = range(i, i + 1000)
    cmds.append(("RPUSH", "big:list", *["l%d" % j for j in r]))
    cmds.append(("SADD", "big:set", *["s%d" % j for j in r]))
    z = []
    for j in r:
        z += [j / 7.0, "z%d" % j]
    cmds.append(("ZADD", "big:zset", *z))
    h = []
    for j in r:
        h += ["f%d" % j, "v%d" % j]
    cmds.append(("HSET", "big:hash", *h))
cmds.append(("PEXPIRE", "big:hash", 900000))
for r in c.pipeline(cmds):
    if isinstance(r, rkbresp.RespError):
        sys.exit("big keys: %s" % r.text)
EOF
rcli src SAVE >/dev/null
rdb="$T/redis-src/dump.rdb"
[[ -s $rdb ]] || fail "no dump.rdb after SAVE"

load dst "$rdb"
want=$(digest src)
got=$(digest dst)
[[ $want == "$got" ]] || fail "DEBUG DIGEST differs: source $want, rdb2resp $got"
funcs src >"$T/funcs.src"
funcs dst >"$T/funcs.dst"
cmp -s "$T/funcs.src" "$T/funcs.dst" ||
  fail "FUNCTION LIST differs: $(diff "$T/funcs.src" "$T/funcs.dst" | cut -c1-200 | head -n 8 || true)"
grep -q rkbtest "$T/funcs.dst" || fail "no function library loaded"
streams src >"$T/streams.src" 2>"$T/streams.src.err"
streams dst >"$T/streams.dst" 2>"$T/streams.dst.err"
log "source: $(cat "$T/streams.src.err") (not restorable, left out)"
grep -q ' 0$' "$T/streams.dst.err" || fail "target: $(cat "$T/streams.dst.err")"
[[ -s $T/streams.src ]] || fail "no streams found on the source"
cmp -s "$T/streams.src" "$T/streams.dst" ||
  fail "XINFO STREAM FULL differs: $(diff "$T/streams.src" "$T/streams.dst" | head -c 1500 || true)"
for k in big:list big:set big:zset big:hash; do
  [[ $(rcli dst -n 1 DEBUG DIGEST-VALUE "$k") == "$(rcli src -n 1 DEBUG DIGEST-VALUE "$k")" ]] ||
    fail "big key $k differs"
done
# Batching: no command of a big key carries more than 512 elements.
ncmds=$(grep -c $'^\*514\r$' "$T/load.resp" || true)
((ncmds > 0)) || fail "big keys were not split into 512-element commands"
# (a hash or zset element is two arguments: at most 2 + 1024 of them).
maxargs=$(LC_ALL=C awk '/^\*[0-9]+\r$/ { n = substr($0, 2) + 0; if (n > m) m = n }
  END { print m + 0 }' "$T/load.resp")
((maxargs <= 1026)) || fail "a command has $maxargs arguments"
log "datagen fill + big keys: digest $got, functions and streams equal"

# ---- the same with --restore: every key a RESTORE (and PEXPIREAT)
check_restored() {
  local what=$1 nrestore
  got=$(digest dst)
  [[ $want == "$got" ]] || fail "$what: DEBUG DIGEST differs: source $want, got $got"
  funcs dst >"$T/funcs.dst"
  cmp -s "$T/funcs.src" "$T/funcs.dst" || fail "$what: FUNCTION LIST differs"
  # RESTORE keeps what commands cannot rebuild: pending entries of
  # deleted stream entries, consumers' seen-time.
  streams dst >"$T/streams.dst" 2>"$T/streams.dst.err"
  cmp -s "$T/streams.src.err" "$T/streams.dst.err" ||
    fail "$what: $(cat "$T/streams.dst.err"), source: $(cat "$T/streams.src.err")"
  cmp -s "$T/streams.src" "$T/streams.dst" ||
    fail "$what: XINFO STREAM FULL differs: $(diff "$T/streams.src" "$T/streams.dst" | head -c 1500 || true)"
  nrestore=$(grep -ac $'^RESTORE\r$' "$T/load.resp" || true)
  log "$what: digest $got, functions and streams equal, $nrestore RESTORE"
}
ndbkeys=0
for db in $(seq 0 15); do
  ndbkeys=$((ndbkeys + $(rcli src -n "$db" DBSIZE)))
done
reset dst
load dst "$rdb" --restore
check_restored "--restore"
nrestore=$(grep -ac $'^RESTORE\r$' "$T/load.resp" || true)
((nrestore == ndbkeys)) || fail "--restore: $nrestore RESTORE for $ndbkeys keys"
grep -aq $'^PEXPIREAT\r$' "$T/load.resp" || fail "--restore: no PEXPIREAT"
if grep -aqE $'^(SET|RPUSH|SADD|ZADD|HSET|XADD)\r$' "$T/load.resp"; then
  fail "--restore: plain commands in the output"
fi
# Over the loaded dataset once more: without REPLACE, every RESTORE fails.
out=$(rcli dst --pipe <"$T/load.resp" 2>&1) || true
grep -q "errors: $ndbkeys," <<<"$out" ||
  fail "--restore over existing keys: $(tail -n 2 <<<"$out")"
reset dst
load dst "$rdb" --restore --target-version 7.0.15
check_restored "--restore --target-version 7.0.15"
# A target older than the file: the plain commands, byte for byte.
"$TOOL_BIN" rdb2resp "$rdb" >"$T/plain.resp"
"$TOOL_BIN" rdb2resp "$rdb" --restore --target-version 6.2.14 >"$T/old.resp"
cmp -s "$T/plain.resp" "$T/old.resp" ||
  fail "--target-version 6.2.14: output is not the plain commands"
log "--target-version 6.2.14 (RDB 9 < 10): plain commands"

# ---- shared fixtures (RDB version <= 10, with a digest in the README)
fixtures=$RKB_SOURCE_DIR/../shared/fixtures/rdb
if [[ -d $fixtures ]]; then
  nfix=0
  while IFS='|' read -r _ file ver _ dig _; do
    file=$(xargs <<<"$file")
    ver=$(xargs <<<"$ver")
    dig=$(xargs <<<"$dig")
    ver=${ver%% *}
    [[ $file == *.rdb && $ver =~ ^[0-9]+$ ]] || continue
    [[ $file == corrupt_ziplist.rdb ]] && continue
    if ((ver > 10)); then
      log "fixture $file: RDB $ver cannot load into Redis 7.0, skipped"
      continue
    fi
    [[ $dig =~ ^[0-9a-f]{40}$ || $dig == 0* ]] || continue
    [[ $dig == "0 (empty)" || $dig == 0 ]] && dig=0000000000000000000000000000000000000000
    reset dst
    load dst "$fixtures/$file" --restore
    restored=$(digest dst)
    reset dst
    load dst "$fixtures/$file"
    got=$(digest dst)
    [[ $restored == "$got" ]] ||
      fail "fixture $file: digest $got, with --restore $restored"
    if [[ $got != "$dig" ]]; then
      # The README digest was taken when the file was written; keys whose
      # TTL has passed since are dropped by Redis too. The oracle is then
      # Redis loading the file itself, now.
      cp -- "$fixtures/$file" "$(redis_dir "fx$nfix")/dump.rdb"
      start_redis "fx$nfix"
      direct=$(digest "fx$nfix")
      stop_redis "fx$nfix"
      [[ $got == "$direct" ]] ||
        fail "fixture $file: digest $got, README $dig, Redis loading it $direct"
      log "fixture $file: digest $got equals Redis loading the file now (README $dig: keys with a TTL expired since?)"
    else
      log "fixture $file: digest $got as in the README"
    fi
    nfix=$((nfix + 1))
  done <"$fixtures/README.md"
  ((nfix >= 5)) || fail "only $nfix fixtures checked"
else
  log "no $fixtures: fixtures not checked"
fi

# ---- corrupt and truncated input
check_corrupt() {
  local file=$1 what=$2 rc=0
  shift 2
  "$TOOL_BIN" rdb2resp "$file" "$@" >"$T/bad.resp" 2>"$T/bad.err" || rc=$?
  ((rc == 2)) || fail "$what: exit $rc, want 2"
  [[ $(wc -l <"$T/bad.err") -eq 1 ]] || fail "$what: stderr is not one line: $(cat "$T/bad.err")"
  # stdout: whole commands only, which an empty server takes.
  reset dst
  out=$(rcli dst --pipe <"$T/bad.resp" 2>&1) || fail "$what: partial output does not load: $out"
  grep -q 'errors: 0,' <<<"$out" || fail "$what: partial output has errors: $out"
  log "$what: exit 2: $(cat "$T/bad.err")"
}
head -c $(($(stat -c %s "$rdb") / 2)) "$rdb" >"$T/truncated.rdb"
check_corrupt "$T/truncated.rdb" "truncated RDB"
grep -q 'offset' "$T/bad.err" || fail "truncated: no offset in the message"
check_corrupt "$T/truncated.rdb" "truncated RDB, --restore" --restore
grep -aq $'^RESTORE\r$' "$T/bad.resp" || fail "truncated, --restore: no RESTORE"
if [[ -f $fixtures/corrupt_ziplist.rdb ]]; then
  check_corrupt "$fixtures/corrupt_ziplist.rdb" "corrupt_ziplist.rdb"
  grep -q 'key:000000000091' "$T/bad.err" || fail "corrupt_ziplist: key not named"
fi

# A zset score of NaN (hand-made RDB 9, no checksum): refused; infinity
# is written as inf.
rdb9() { printf 'REDIS0009\xfe\x00\x05\x01z\x01\x01m%b\xff%b' "$1" \
  '\x00\x00\x00\x00\x00\x00\x00\x00'; }
rdb9 '\x00\x00\x00\x00\x00\x00\xf0\x7f' >"$T/inf.rdb"
"$TOOL_BIN" rdb2resp "$T/inf.rdb" >"$T/inf.resp" ||
  fail "zset with an infinite score: exit $?"
grep -qa $'^inf\r$' "$T/inf.resp" || fail "infinite score not written as inf"
rdb9 '\x00\x00\x00\x00\x00\x00\xf8\x7f' >"$T/nan.rdb"
check_corrupt "$T/nan.rdb" "zset score NaN"
grep -q 'NaN' "$T/bad.err" || fail "NaN score: message does not say so"

# ---- usage
rc=0
"$TOOL_BIN" rdb2resp >/dev/null 2>&1 || rc=$?
((rc == 1)) || fail "no FILE: exit $rc, want 1"
for bad in "--target-version 7.0.15" "--restore --target-version x" \
           "--restore --target-version"; do
  rc=0
  # shellcheck disable=SC2086
  "$TOOL_BIN" rdb2resp "$rdb" $bad >/dev/null 2>"$T/usage.err" || rc=$?
  ((rc == 1)) || fail "rdb2resp $bad: exit $rc, want 1"
  grep -q usage "$T/usage.err" || fail "rdb2resp $bad: no usage line"
done
