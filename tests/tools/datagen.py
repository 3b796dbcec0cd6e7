#!/usr/bin/env python3
"""datagen.py -- fill a Redis master with every value type, or run a
bounded write load against it, for rkbridge's integration tests.

  datagen.py fill  --port P [--keys N]
      every type in dbs 0, 1, 5, 15 (strings int/raw/binary/100 KB, lists
      small and > 128 elements, sets intset/small/large, zsets with
      fractional, negative and infinite scores, hashes small and large,
      streams with consumer groups and pending entries, TTLs of 1000 s)
      plus N filler strings per db, and the Lua function library
      'rkbtest'. Prints a one-line summary.
  datagen.py load  --port P [--seconds S] [--ops N] [--rate OPS]
                   [--value-size B] [--stop-file F] [--seed X]
      writes until S seconds passed, N operations were sent or F exists,
      whichever comes first: MULTI/EXEC, EVAL, FCALL, SET EX 1, INCR,
      SELECT between dbs, XADD/XREADGROUP/XACK, deletes, pops and more.
      Prints 'load: N ops in S s' at the end. Exits 1 on an unexpected
      error reply.
  datagen.py burst --port P --count N [--value-size B]
      N plain SETs in db 0, pipelined, then exits.
  datagen.py sweep --port P
      SCANs every db, which makes the server delete (and propagate DEL
      for) every key whose TTL has passed.

Every run is deterministic for a given seed, except for timing.
"""

import argparse
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbresp  # noqa: E402

DBS = (0, 1, 5, 15)

LIBRARY = """#!lua name=rkbtest
local function set2(keys, args)
  redis.call('SET', keys[1], args[1])
  redis.call('INCR', keys[2])
  return redis.call('GET', keys[2])
end
local function hmix(keys, args)
  redis.call('HSET', keys[1], 'last', args[1])
  redis.call('HINCRBY', keys[1], 'calls', 1)
  return 1
end
redis.register_function('rkb_set2', set2)
redis.register_function('rkb_hmix', hmix)
"""

EVAL_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'v', ARGV[1], 'n', ARGV[2])
redis.call('LPUSH', KEYS[3], ARGV[1])
redis.call('LTRIM', KEYS[3], 0, 49)
return 1
"""


def connect(args):
    return rkbresp.Conn("127.0.0.1", args.port, user=args.user,
                        password=args.password)


def check(replies, what):
    for r in replies:
        if isinstance(r, rkbresp.RespError):
            sys.exit("datagen: %s: %s" % (what, r.text))
    return replies


def fill_db(c, db, rng, nkeys):
    cmds = [("SELECT", db)]
    p = "d%d:" % db
    # strings
    cmds += [
        ("SET", p + "str:int", 12345 + db),
        ("SET", p + "str:neg", -98765),
        ("SET", p + "str:bigint", "123456789012345678"),
        ("SET", p + "str:raw", "hello rkbridge %d" % db),
        ("SET", p + "str:empty", ""),
        ("SET", p + "str:bin", bytes(range(256)) + b"\r\n\x00*1\r\n$3\r\n"),
        ("SET", p + "str:large", rng.randbytes(100 * 1024)),
        ("SET", p + "str:float", "3.14159"),
        ("SET", p + "str:ttl", "expires later", "EX", 1000),
        ("SET", p + "str:pxat", "absolute", "PXAT",
         int(time.time() * 1000) + 1500 * 1000),
        ("APPEND", p + "str:appended", "abc"),
        ("APPEND", p + "str:appended", "def"),
    ]
    # lists
    cmds.append(("RPUSH", p + "list:small", "a", "b", b"\x00\xff", 1, -2))
    big = [("item-%d-" % i) + "x" * (i % 50) for i in range(300)]
    cmds.append(("RPUSH", p + "list:large", *big))
    cmds.append(("RPUSH", p + "list:ttl", "x", "y"))
    cmds.append(("EXPIRE", p + "list:ttl", 1000))
    # sets
    cmds.append(("SADD", p + "set:int", *range(0, 200, 3)))
    cmds.append(("SADD", p + "set:small", "alpha", "beta", b"\x01\x02"))
    cmds.append(("SADD", p + "set:large",
                 *["member-%d" % i for i in range(700)]))
    cmds.append(("SADD", p + "set:bigint", *range(0, 1000)))
    # zsets
    cmds.append(("ZADD", p + "zset:small", 1.5, "a", -2.25, "b", "inf", "c",
                 "-inf", "d", 0, "e", 1e-7, "f"))
    zargs = []
    for i in range(300):
        zargs += [rng.uniform(-1000, 1000), "zm-%d" % i]
    cmds.append(("ZADD", p + "zset:large", *zargs))
    cmds.append(("ZADD", p + "zset:ttl", 1, "one"))
    cmds.append(("PEXPIRE", p + "zset:ttl", 1000 * 1000))
    # hashes
    cmds.append(("HSET", p + "hash:small", "f1", "v1", "f2", 2, "f3",
                 b"\x00bin"))
    hargs = []
    for i in range(300):
        hargs += ["field-%d" % i, "value-%d" % (i * i)]
    cmds.append(("HSET", p + "hash:large", *hargs))
    cmds.append(("HSET", p + "hash:bigval", "f", "v" * 200))
    cmds.append(("HSET", p + "hash:ttl", "f", "v"))
    cmds.append(("EXPIRE", p + "hash:ttl", 1000))
    # filler
    for i in range(nkeys):
        cmds.append(("SET", "%sfill:%d" % (p, i), "v%d" % rng.randrange(10**9)))
    check(c.pipeline(cmds), "fill db %d" % db)

    # streams with consumer groups and pending entries
    s = p + "stream"
    cmds = [("XADD", s, "*", "n", i, "payload", "p" * (i % 17))
            for i in range(60)]
    cmds += [
        ("XGROUP", "CREATE", s, "g1", "0"),
        ("XGROUP", "CREATE", s, "g2", "$"),
        ("XGROUP", "CREATECONSUMER", s, "g1", "idle-consumer"),
        ("XREADGROUP", "GROUP", "g1", "alice", "COUNT", 25, "STREAMS", s, ">"),
        ("XREADGROUP", "GROUP", "g1", "bob", "COUNT", 10, "STREAMS", s, ">"),
    ]
    replies = check(c.pipeline(cmds), "stream db %d" % db)
    ids = [e[0] for e in replies[-2][0][1]]
    check(c.pipeline([("XACK", s, "g1", *ids[:10])] +
                     [("XADD", s, "*", "late", i) for i in range(5)] +
                     [("XREADGROUP", "GROUP", "g2", "carol", "COUNT", 3,
                       "STREAMS", s, ">"),
                      ("XDEL", s, ids[20]),
                      ("XADD", p + "stream:trimmed", "MAXLEN", 5, "*", "a", 1),
                      ("XGROUP", "CREATE", p + "stream:empty", "g", "$",
                       "MKSTREAM")]), "stream2 db %d" % db)


def cmd_fill(args):
    rng = random.Random(args.seed)
    c = connect(args)
    for db in DBS:
        fill_db(c, db, rng, args.keys)
    c.call("FUNCTION", "LOAD", "REPLACE", LIBRARY)
    sizes = [c.pipeline([("SELECT", db), ("DBSIZE",)])[1] for db in DBS]
    print("fill: dbs %s keys %s, function library rkbtest"
          % (",".join(map(str, DBS)), ",".join(map(str, sizes))))


def load_batch(rng, state, vsize):
    """One batch of commands; the batch keeps its own SELECTs balanced."""
    cmds = []
    db = rng.choice(DBS)
    cmds.append(("SELECT", db))
    p = "d%d:load:" % db
    for _ in range(8):
        state["n"] += 1
        n = state["n"]
        op = rng.randrange(100)
        k = rng.randrange(50)
        val = "%d:" % n + "v" * rng.randrange(vsize)
        if op < 12:
            cmds += [("MULTI",), ("SET", p + "tx:%d" % k, val),
                     ("INCR", p + "txcount"),
                     ("RPUSH", p + "txlist", n), ("EXEC",)]
        elif op < 20:
            cmds.append(("EVAL", EVAL_SCRIPT, 3, p + "ev:s:%d" % k,
                         p + "ev:h:%d" % k, p + "ev:l", val, n))
        elif op < 27:
            cmds.append(("FCALL", "rkb_set2", 2, p + "fc:%d" % k,
                         p + "fccount", val))
        elif op < 30:
            cmds.append(("FCALL", "rkb_hmix", 1, p + "fch", n))
        elif op < 40:
            cmds.append(("SET", p + "tmp:%d" % n, val, "EX", 1))
        elif op < 50:
            cmds.append(("INCR", p + "counter:%d" % (k % 10)))
        elif op < 56:
            cmds.append(("XADD", p + "xs", "*", "n", n, "v", val[:64]))
        elif op < 59:
            if db not in state["groups"]:
                state["groups"].add(db)
                cmds.append(("XGROUP", "CREATE", p + "xs", "lg", "0",
                             "MKSTREAM"))
            cmds.append(("XREADGROUP", "GROUP", "lg", "c%d" % (k % 3),
                         "COUNT", 2, "STREAMS", p + "xs", ">"))
        elif op < 61 and db in state["groups"]:
            # ack whatever is pending for one consumer
            cmds.append(("EVAL", "local p = redis.call('XPENDING', KEYS[1],"
                         " 'lg', '-', '+', 5) for _, e in ipairs(p) do"
                         " redis.call('XACK', KEYS[1], 'lg', e[1]) end"
                         " return #p", 1, p + "xs"))
        elif op < 68:
            cmds.append(("DEL", p + "tx:%d" % k, p + "ev:s:%d" % k))
        elif op < 72:
            cmds.append(("LPOP", p + "txlist"))
        elif op < 76:
            cmds.append(("SADD", p + "set", *range(k, k + 5)))
            cmds.append(("SPOP", p + "set"))
        elif op < 80:
            cmds.append(("ZINCRBY", p + "z", rng.uniform(-5, 5), "m%d" % k))
        elif op < 83:
            cmds.append(("INCRBYFLOAT", p + "float", "0.25"))
            cmds.append(("HINCRBYFLOAT", p + "hf", "f", "1.5"))
        elif op < 86:
            cmds.append(("SET", p + "long:%d" % k, val))
            cmds.append(("EXPIRE", p + "long:%d" % k, 1000))
        elif op < 88:
            cmds.append(("GETDEL", p + "long:%d" % ((k + 1) % 50)))
        elif op < 90:
            cmds.append(("HSET", "d%d:hash:small" % db, "load", n))
        else:
            cmds.append(("SET", p + "plain:%d" % k, val))
    cmds.append(("SELECT", 0))
    return cmds


def cmd_load(args):
    rng = random.Random(args.seed)
    c = connect(args)
    state = {"n": 0, "groups": set()}
    t0 = time.monotonic()
    ops = 0
    sent = 0
    while True:
        if args.seconds and time.monotonic() - t0 >= args.seconds:
            break
        if args.ops and ops >= args.ops:
            break
        if args.stop_file and os.path.exists(args.stop_file):
            break
        before = state["n"]
        cmds = load_batch(rng, state, args.value_size)
        replies = c.pipeline(cmds)
        ops += state["n"] - before
        sent += len(cmds)
        for cmd, r in zip(cmds, replies):
            if isinstance(r, rkbresp.RespError):
                if cmd[0] == "XGROUP" and r.text.startswith("BUSYGROUP"):
                    continue  # made by an earlier run
                sys.exit("datagen: load: %s -> %s" % (cmd[0], r.text))
            if cmd[0] == "EXEC" and r is None:
                sys.exit("datagen: load: EXEC aborted")
        if args.rate:
            # keep to the average rate: sleep when ahead of schedule
            ahead = ops / args.rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
    print("load: %d ops (%d commands) in %.1f s"
          % (ops, sent, time.monotonic() - t0))


def cmd_burst(args):
    c = connect(args)
    val = "b" * args.value_size
    cmds = [("SET", "burst:%d" % i, val) for i in range(args.count)]
    for i in range(0, len(cmds), 500):
        check(c.pipeline(cmds[i:i + 500]), "burst")
    print("burst: %d SETs" % args.count)


def cmd_sweep(args):
    c = connect(args)
    info = c.call("INFO", "keyspace").decode()
    n = 0
    for line in info.splitlines():
        if not line.startswith("db"):
            continue
        c.call("SELECT", int(line[2:line.index(":")]))
        cursor = b"0"
        while True:
            cursor, keys = c.call("SCAN", cursor, "COUNT", 1000)
            n += len(keys)
            if cursor == b"0":
                break
    print("sweep: %d keys live" % n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("fill", "load", "burst", "sweep"):
        sp = sub.add_parser(name)
        sp.add_argument("--port", type=int, required=True)
        sp.add_argument("--user")
        sp.add_argument("--password")
        sp.add_argument("--seed", type=int, default=1)
        sp.add_argument("--value-size", type=int, default=64)
        if name == "fill":
            sp.add_argument("--keys", type=int, default=300)
        if name == "load":
            sp.add_argument("--seconds", type=float, default=5)
            sp.add_argument("--ops", type=int, default=0)
            sp.add_argument("--stop-file")
            sp.add_argument("--rate", type=float, default=3000,
                            help="operations per second (0: no limit)")
        if name == "burst":
            sp.add_argument("--count", type=int, required=True)
    args = ap.parse_args()
    {"fill": cmd_fill, "load": cmd_load, "burst": cmd_burst,
     "sweep": cmd_sweep}[args.cmd](args)


if __name__ == "__main__":
    main()
