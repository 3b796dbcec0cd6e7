#!/usr/bin/env bash
# it_auth.sh -- the producer authenticates to the master.
#
#  * requirepass: source.password, and source.password_file, each reach
#    streaming (a write made after the sync shows up in Kafka);
#  * an ACL user with only +psync +replconf +ping: source.user and
#    source.password reach streaming;
#  * a wrong password: the producer exits 2 within a few seconds with one
#    clear line naming the master and WRONGPASS;
#  * no password text ever appears in any producer log.
# shellcheck source=lib.sh disable=SC2119
source "$(dirname "$0")/lib.sh"
deadline 120
require_cmd redis-server redis-cli
require_bins

pw='s3cret-Pass#1'
acl_pw='acl-Repl-pw%2'
wrong_pw='Wr0ng-Secret-7f3a'
start_redis plain --requirepass "$pw" --repl-diskless-sync-delay 0
start_redis acl --requirepass 'admin-Pw-9' --repl-diskless-sync-delay 0
rcli acl ACL SETUSER repl on ">$acl_pw" +psync +replconf +ping >/dev/null
# The ACL user can replicate, but nothing else.
[[ $(redis-cli -p "${REDIS_PORT[acl]}" --no-auth-warning --user repl -a "$acl_pw" GET x) == *NOPERM* ]] ||
  fail "ACL user 'repl' should not be allowed GET"
start_kafka

printf '%s\n' "$pw" >"$T/password.txt"
MASTER=plain
start_producer pass -o kafka.topic=it.auth.pass -o "source.password=$pw"
start_producer file -o kafka.topic=it.auth.file -o "source.password_file=$T/password.txt"
start_producer wrong -o kafka.topic=it.auth.wrong -o "source.password=$wrong_pw"
MASTER=acl
start_producer acl -o kafka.topic=it.auth.acl -o source.user=repl -o "source.password=$acl_pw"

# Wrong password: exit 2, promptly, one line naming the master.
producer_exit wrong 10 || fail "producer with a wrong password still runs after 10 s"
[[ $EXIT_RC == 2 ]] || fail "producer with a wrong password exited $EXIT_RC, want 2"
n=$(grep -c WRONGPASS "${PROD_LOG[wrong]}" || true)
[[ $n == 1 ]] || fail "want exactly one log line with WRONGPASS, got $n"
grep WRONGPASS "${PROD_LOG[wrong]}" | grep -qF "127.0.0.1:${REDIS_PORT[plain]}" ||
  fail "the WRONGPASS line does not name the master 127.0.0.1:${REDIS_PORT[plain]}"
log "wrong password: exit 2: $(grep WRONGPASS "${PROD_LOG[wrong]}" | sed 's/^.* P . //')"

for p in pass file acl; do
  wait_log "$p" 'full sync done' 30
done
rcli plain SET it:auth:probe plain-after-sync >/dev/null
rcli acl SET it:auth:probe acl-after-sync >/dev/null
wait_in_topic it.auth.pass 'frame .*SET it:auth:probe plain-after-sync'
wait_in_topic it.auth.file 'frame .*SET it:auth:probe plain-after-sync'
wait_in_topic it.auth.acl 'frame .*SET it:auth:probe acl-after-sync'
log "requirepass, password_file and ACL user: streaming, the probe write is in Kafka"

for p in pass file acl wrong; do
  for secret in "$pw" "$acl_pw" "$wrong_pw"; do
    if grep -qF -- "$secret" "${PROD_LOG[$p]}"; then
      fail "producer $p logged a password: $(grep -F -- "$secret" "${PROD_LOG[$p]}" | head -n 1)"
    fi
  done
done
for p in pass file acl; do
  stop_producer "$p"
  [[ $EXIT_RC == 0 ]] || fail "producer $p exited $EXIT_RC on SIGTERM, want 0"
done
log "no password in any log; SIGTERM exits 0"
