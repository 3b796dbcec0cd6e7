#!/usr/bin/env python3
"""compare.py -- do two Redis servers hold the same data?

  compare.py --port A --port B [--password-a PW] [--retries N]

Compares, after a SCAN of every db on both servers (which deletes keys
whose TTL has passed, so both sides drop them):
  * DEBUG DIGEST (all keys, values and expire times);
  * for every stream, XINFO STREAM FULL minus the fields in UNSTABLE
    (DEBUG DIGEST ignores consumer groups and pending entries);
  * FUNCTION LIST WITHCODE.
On a difference it lists the first differing keys (DEBUG DIGEST-VALUE and
PEXPIRETIME per key) and retries up to N times, one second apart, since
keys may be expiring. Exit 0 when equal, 1 when not.
"""

import argparse
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbresp  # noqa: E402


def all_dbs(c):
    info = c.call("INFO", "keyspace").decode()
    dbs = []
    for line in info.splitlines():
        if line.startswith("db") and ":" in line:
            dbs.append(int(line[2:line.index(":")]))
    return dbs


def scan_keys(c, db):
    c.call("SELECT", db)
    keys, cursor = [], b"0"
    while True:
        cursor, batch = c.call("SCAN", cursor, "COUNT", 1000)
        keys += batch
        if cursor == b"0":
            break
    c.call("SELECT", 0)
    return set(keys)


# Fields of XINFO STREAM FULL that a faithful copy may not reproduce:
# consumers' seen/active times are the local clock of the last access, and
# Redis 7.0 does not propagate a group's entries-read for XREADGROUP (a real
# replica shows nil there too), so lag, derived from it, differs as well.
UNSTABLE = (b"seen-time", b"active-time", b"entries-read", b"lag")


def strip_unstable(x):
    """Drops the UNSTABLE name/value pairs from XINFO STREAM FULL output."""
    if isinstance(x, list):
        out, i = [], 0
        while i < len(x):
            if x[i] in UNSTABLE and i + 1 < len(x):
                i += 2
                continue
            out.append(strip_unstable(x[i]))
            i += 1
        return out
    return x


def first_difference(a, b, path="$"):
    """A short description of where two nested replies differ."""
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, "%s[%d]" % (path, i))
        return "%s: length %d vs %d" % (path, len(a), len(b))
    return "%s: %r vs %r" % (path, a if not isinstance(a, list) else "[...]",
                             b if not isinstance(b, list) else "[...]")


def streams(c, db, keys):
    c.call("SELECT", db)
    out = {}
    klist = sorted(keys)
    types = c.pipeline([("TYPE", k) for k in klist])
    for k, t in zip(klist, types):
        if t == b"stream":
            out[k] = strip_unstable(c.call("XINFO", "STREAM", k, "FULL"))
    c.call("SELECT", 0)
    return out


def key_facts(c, db, keys):
    c.call("SELECT", db)
    klist = sorted(keys)
    cmds = []
    for k in klist:
        cmds += [("DEBUG", "DIGEST-VALUE", k), ("PEXPIRETIME", k)]
    r = c.pipeline(cmds) if cmds else []
    c.call("SELECT", 0)
    return {k: (r[2 * i], r[2 * i + 1]) for i, k in enumerate(klist)}


def functions(c):
    """FUNCTION LIST WITHCODE in a canonical order (the server lists
    libraries and functions in hash table order)."""
    libs = []
    for lib in c.call("FUNCTION", "LIST", "WITHCODE"):
        d = dict(zip(lib[::2], lib[1::2]))
        d[b"functions"] = sorted(d.get(b"functions") or [])
        libs.append(sorted(d.items()))
    return sorted(libs)


def compare_once(a, b, verbose):
    problems = []
    keys_a = {db: scan_keys(a, db) for db in all_dbs(a)}
    keys_b = {db: scan_keys(b, db) for db in all_dbs(b)}
    da, db_ = a.call("DEBUG", "DIGEST"), b.call("DEBUG", "DIGEST")
    if da != db_:
        problems.append("DEBUG DIGEST differs: %s vs %s"
                        % (da.decode(), db_.decode()))
        if verbose:
            for db in sorted(set(keys_a) | set(keys_b)):
                ka, kb = keys_a.get(db, set()), keys_b.get(db, set())
                for k in sorted(ka - kb)[:5]:
                    problems.append("  db %d: key %r only on A" % (db, k))
                for k in sorted(kb - ka)[:5]:
                    problems.append("  db %d: key %r only on B" % (db, k))
                fa = key_facts(a, db, ka & kb)
                fb = key_facts(b, db, ka & kb)
                diff = [k for k in sorted(ka & kb) if fa[k] != fb[k]]
                for k in diff[:10]:
                    problems.append("  db %d: key %r differs: %r vs %r"
                                    % (db, k, fa[k], fb[k]))
    for db in sorted(set(keys_a) | set(keys_b)):
        sa = streams(a, db, keys_a.get(db, set()))
        sb = streams(b, db, keys_b.get(db, set()))
        for k in sorted(set(sa) | set(sb)):
            if sa.get(k) != sb.get(k):
                problems.append("db %d: stream %r differs (XINFO STREAM FULL)"
                                % (db, k))
                if verbose:
                    problems.append("  " + first_difference(sa.get(k),
                                                            sb.get(k)))
    fa = functions(a)
    fb = functions(b)
    if fa != fb:
        problems.append("FUNCTION LIST differs: %s"
                        % first_difference(fa, fb))
    nkeys = sum(len(v) for v in keys_a.values())
    return problems, nkeys, da


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, action="append", required=True)
    ap.add_argument("--password-a")
    ap.add_argument("--user-a")
    ap.add_argument("--retries", type=int, default=5)
    args = ap.parse_args()
    if len(args.port) != 2:
        sys.exit("compare.py: give --port twice")
    a = rkbresp.Conn(port=args.port[0], user=args.user_a,
                     password=args.password_a)
    b = rkbresp.Conn(port=args.port[1])
    for attempt in range(args.retries + 1):
        last = attempt == args.retries
        problems, nkeys, digest = compare_once(a, b, last)
        if not problems:
            print("compare: equal (%d keys, digest %s, after %d retries)"
                  % (nkeys, digest.decode(), attempt))
            return 0
        if not last:
            time.sleep(1)
    print("compare: servers differ:")
    for p in problems:
        print("  " + p[:2000])
    return 1


if __name__ == "__main__":
    sys.exit(main())
