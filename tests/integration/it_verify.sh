#!/usr/bin/env bash
# it_verify.sh -- rkbridge verify compares two Redis instances.
#
#  * a source filled with every type in several dbs (datagen.py fill, and
#    in db 2 collections, a string and a pending list larger than the
#    tool's batches) and a real replica of it, in sync: verify exits 0 and
#    reports 0 differences, and so does --sample 50;
#  * the replica promoted (REPLICAOF NO ONE) and changed, one difference of
#    each kind: a missing key, an extra key (with a binary name), a type, a
#    value in each type (string, list element, set member, zset score, hash
#    field, stream entry, stream group, pending entry), an expiry; keys under rkbridge:
#    on either side are ignored. verify exits 2 with each difference on its
#    own line and the counts in the summary; --max-diffs cuts the list;
#    --ignore-prefix changes the prefix; a deleted function library;
#  * a wrong password, a port nothing listens on: exit 2 with one clear
#    line; a usage error: exit 1.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 100
require_cmd redis-server redis-cli
require_bins

pw='tgt-Pass#4'
start_redis src --repl-diskless-sync-delay 0
start_redis dst --requirepass "$pw"
SRC=127.0.0.1:${REDIS_PORT[src]}
DST=127.0.0.1:${REDIS_PORT[dst]}
export RKB_TARGET_PASSWORD=$pw

"$PYTHON" "$TOOLS/datagen.py" fill --port "${REDIS_PORT[src]}" --keys 200 >"$T/fill.log"
log "$(cat "$T/fill.log")"
# Collections larger than one batch of the tool (500), a string larger
# than one chunk (256 KB), a pending list longer than one XPENDING window.
rcli src -n 2 EVAL "
for i = 1, 1200 do redis.call('RPUSH', 'big:list', 'e' .. i) end
for i = 1, 1500 do
  redis.call('HSET', 'big:hash', 'f' .. i, 'v' .. i)
  redis.call('ZADD', 'big:zset', i / 7, 'm' .. i)
  redis.call('SADD', 'big:set', 's' .. i)
end
for i = 1, 1200 do redis.call('XADD', 'big:stream', '*', 'i', i) end
redis.call('XGROUP', 'CREATE', 'big:stream', 'g', '0')
redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1100,
           'STREAMS', 'big:stream', '>')
redis.call('SET', 'big:str', string.rep('x', 600000))
return 1" 0 >/dev/null
# The bridge's own keys differ between instances by design.
rcli src SET rkbridge:only-on-source 1 >/dev/null

rcli dst REPLICAOF 127.0.0.1 "${REDIS_PORT[src]}" >/dev/null
in_sync() {
  [[ $(info_field dst master_link_status) == up ]] &&
    [[ $(info_field dst slave_repl_offset) == "$(master_offset src)" ]]
}
wait_for 200 100 in_sync || fail "the replica did not get in sync"
log "replica in sync"

# verify [ARGS...] -- runs the tool; sets RC, OUT (stdout), ERR (stderr).
verify() {
  RC=0
  "$TOOL_BIN" verify "$@" >"$T/out" 2>"$T/err" || RC=$?
  OUT=$(cat "$T/out")
  ERR=$(cat "$T/err")
}

# -------------------------------------------------------------- equal
verify --source "$SRC" --target "$DST"
[[ $RC == 0 ]] || fail "equal data: exit $RC, want 0: $OUT $ERR"
[[ $(wc -l <"$T/out") == 1 && $OUT == *", 0 differences ("* ]] ||
  fail "equal data: want only a summary with 0 differences, got: $OUT"
[[ $OUT == "verify: "*" keys compared in 5 dbs, "* ]] ||
  fail "equal data: want 5 dbs compared: $OUT"
log "equal: $OUT"

verify --source "$SRC" --target "$DST" --sample 50
[[ $RC == 0 ]] || fail "--sample 50 on equal data: exit $RC: $OUT $ERR"
[[ $OUT == "verify: 50 keys compared in "*", 0 differences ("*sample* ]] ||
  fail "--sample 50: want 50 keys, 0 differences and 'sample': $OUT"
log "sample: $OUT"

# -------------------------------------------------------------- different
rcli dst REPLICAOF NO ONE >/dev/null
d() { rcli dst -n "$@" >/dev/null; }
d 0 DEL d0:str:raw
d 0 SET it:extra x
d 0 EVAL "return redis.call('SET', 'it:bin' .. string.char(1, 10), 'v')" 0
d 1 DEL d1:str:int
d 1 RPUSH d1:str:int 12346
d 1 LSET d1:list:large 150 changed
d 5 SREM d5:set:large member-7
d 5 SADD d5:set:large member-x
d 5 ZADD d5:zset:small 1.25 a
d 15 HSET d15:hash:large field-3 other
d 0 SETRANGE d0:str:large 70000 Z
# A stream entry replaced by another of the same length.
first=$(rcli dst -n 15 XRANGE d15:stream - + COUNT 1 | head -n 1)
d 15 XDEL d15:stream "$first"
d 15 XADD d15:stream '*' n changed
d 1 XGROUP SETID d1:stream g2 0
# Another absolute expiry, one hour later than the source's.
src_exp=$(rcli src -n 0 PEXPIRETIME d0:str:ttl)
d 0 PEXPIREAT d0:str:ttl $((src_exp + 3600000))
d 2 LSET big:list 1100 changed
d 2 SETRANGE big:str 590000 y
# One more delivery of a pending entry in the third XPENDING window.
pel_id=$(rcli dst -n 2 XPENDING big:stream g - + 1100 | sed -n "$((4 * 1049 + 1))p")
d 2 XCLAIM big:stream g c 0 "$pel_id"
d 0 SET rkbridge:consumer:position 42
d 0 SET rkbridge:only-on-source 2

verify --source "$SRC" --target "$DST"
[[ $RC == 2 ]] || fail "different data: exit $RC, want 2: $OUT $ERR"
expect=(
  'db 0 key "d0:str:raw": missing on target'
  'db 0 key "it:extra": extra on target'
  'db 0 key "it:bin\x01\n": extra on target'
  'db 1 key "d1:str:int": type string vs list'
  'db 1 key "d1:list:large": value differs: element 150'
  'db 5 key "d5:set:large": value differs: member "member-7" missing on target'
  'db 5 key "d5:zset:small": value differs: member "a" score 1.5 vs 1.25'
  'db 15 key "d15:hash:large": value differs: field "field-3"'
  "db 15 key \"d15:stream\": value differs: entry $first"
  'db 1 key "d1:stream": value differs: group "g2" last-delivered-id'
  'db 0 key "d0:str:large": value differs: bytes 4096..102399'
  "db 0 key \"d0:str:ttl\": expiry $src_exp vs $((src_exp + 3600000))"
  'db 2 key "big:list": value differs: element 1100'
  "db 2 key \"big:stream\": value differs: group \"g\" pending entry $pel_id"
  'db 2 key "big:str": value differs: bytes 528384..599999'
)
for line in "${expect[@]}"; do
  grep -qxF -- "$line" "$T/out" || fail "missing line: $line; got: $OUT"
done
n=$(wc -l <"$T/out")
[[ $n == $((${#expect[@]} + 1)) ]] ||
  fail "want ${#expect[@]} difference lines and a summary, got $n: $OUT"
grep -q rkbridge: "$T/out" && fail "a rkbridge: key was reported: $OUT"
summary=$(tail -n 1 "$T/out")
want="15 differences (missing on target 1, extra on target 2, type 1, value 10, expiry 1)"
[[ $summary == "verify: "*" keys compared in 5 dbs, $want" ]] ||
  fail "summary: $summary; want ... $want"
log "different: $summary"

verify --source "$SRC" --target "$DST" --max-diffs 3
[[ $RC == 2 && $(wc -l <"$T/out") == 5 ]] ||
  fail "--max-diffs 3: exit $RC, want 2 and 5 lines: $OUT"
grep -qxF '... 12 more differences not shown (--max-diffs 3)' "$T/out" ||
  fail "--max-diffs 3: no count of the rest: $OUT"

# The prefix is an option: with another one, rkbridge: keys count.
verify --source "$SRC" --target "$DST" --ignore-prefix it:
[[ $RC == 2 && $OUT == *'"rkbridge:consumer:position": extra on target'* &&
  $OUT != *'"it:extra"'* ]] || fail "--ignore-prefix it: $OUT"

# Function libraries are compared too, by name and code.
rcli dst FUNCTION DELETE rkbtest >/dev/null
verify --source "$SRC" --target "$DST"
[[ $RC == 2 ]] || fail "a function library deleted: exit $RC"
grep -qxF 'function library "rkbtest": missing on target' "$T/out" ||
  fail "a deleted function library is not reported: $OUT"

# -------------------------------------------------------------- errors
verify --source "$SRC" --target "$DST" --target-password wrong-pw-3
[[ $RC == 2 && -z $OUT ]] || fail "wrong password: exit $RC, want 2: $OUT"
[[ $(wc -l <"$T/err") == 1 && $ERR == "rkbridge: cannot authenticate to $DST: WRONGPASS"* ]] ||
  fail "wrong password: want one line naming $DST and WRONGPASS: $ERR"
grep -qF wrong-pw-3 "$T/err" && fail "the password was printed: $ERR"
log "wrong password: $ERR"

RKB_TARGET_PASSWORD='' verify --source "$SRC" --target "$DST"
[[ $RC == 2 && $ERR == *NOAUTH* ]] || fail "no password: exit $RC: $ERR"

dead=$(free_port)
verify --source "127.0.0.1:$dead" --target "$DST"
[[ $RC == 2 && $ERR == "rkbridge: cannot connect to 127.0.0.1:$dead: Connection refused" ]] ||
  fail "nothing listening: exit $RC: $ERR"
log "connection refused: $ERR"

for bad in "--source $SRC" "--source $SRC --target nohost" \
  "--source $SRC --target $DST --sample x" "--source $SRC --target $DST extra"; do
  # shellcheck disable=SC2086
  verify $bad
  [[ $RC == 1 && -n $ERR ]] || fail "usage error '$bad': exit $RC, want 1"
done
log "usage errors: exit 1"
