#!/usr/bin/env bash
# it_config.sh -- configuration checks of rkbridge-producer (-t).
#
#  * deploy/producer.conf passes -t (exit 0);
#  * an empty file plus -o overrides for the required keys is complete;
#  * a file with a misspelt key and an out-of-range port: exit 1, and
#    both errors are printed, each with file:line;
#  * a syntax error: exit 1 with file:line; a bad -o value: exit 1.
# No servers are needed.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 50
require_bins

# check_conf WANT_RC NAME ARGS... -- runs producer -t, output in $T/NAME.out
check_conf() {
  local want=$1 name=$2 rc=0
  shift 2
  "$PRODUCER_BIN" "$@" -t >"$T/$name.out" 2>&1 || rc=$?
  [[ $rc == "$want" ]] ||
    fail "$name: rkbridge-producer $* -t exited $rc, want $want; output: $(head -c 600 "$T/$name.out")"
}

conf=$RKB_SOURCE_DIR/deploy/producer.conf
if [[ -f $conf ]]; then
  check_conf 0 deploy -c "$conf"
  log "deploy/producer.conf: $(head -n 1 "$T/deploy.out")"
else
  log "SKIP check: $conf does not exist (yet); not checking it"
fi

: >"$T/empty.conf"
check_conf 0 empty -c "$T/empty.conf" -o source.port=6380 \
  -o kafka.brokers=127.0.0.1:9092 -o kafka.topic=t
log "empty file + -o overrides: ok"

cat >"$T/bad.conf" <<'CONF'
# two mistakes: a misspelt key (line 4), a port out of range (line 5)
source = {
  host = "127.0.0.1";
  prot = 6379;
  port = 70000;
};
kafka = {
  brokers = "127.0.0.1:9092";
  topic = "rkb";
};
CONF
check_conf 1 bad -c "$T/bad.conf"
grep -qE "bad\.conf:4: .*prot" "$T/bad.out" || fail "no 'bad.conf:4: ... prot' error: $(cat "$T/bad.out")"
grep -qE "bad\.conf:5: .*port.*70000" "$T/bad.out" || fail "no 'bad.conf:5: ... port ... 70000' error: $(cat "$T/bad.out")"
log "misspelt key and bad port: exit 1: $(tr '\n' '|' <"$T/bad.out")"

printf 'source = {\n  port = ;\n};\n' >"$T/syntax.conf"
check_conf 1 syntax -c "$T/syntax.conf"
grep -qE "syntax\.conf:2" "$T/syntax.out" || fail "no 'syntax.conf:2' in: $(cat "$T/syntax.out")"
log "syntax error: exit 1: $(head -n 1 "$T/syntax.out")"

check_conf 1 override -c "$T/empty.conf" -o source.port=99999 \
  -o kafka.brokers=127.0.0.1:9092 -o kafka.topic=t
grep -q "99999" "$T/override.out" || fail "the bad -o value is not named: $(cat "$T/override.out")"
log "bad -o value: exit 1: $(head -n 1 "$T/override.out")"
