#!/usr/bin/env python3
"""resp_replay.py -- apply a journaled replication stream to a server.

  resp_replay.py --port P --input STREAM_FILE

STREAM_FILE holds the master's replication bytes (rkbridge export-stream).
Every command is sent as a client would, pipelined, except REPLCONF (the
master's GETACK requests, which a client may not send). The file must
split into whole RESP commands, and every reply must be a success: any
error reply is printed and makes the exit status 1.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbresp  # noqa: E402

BATCH = 1000


def errors_in(reply):
    if isinstance(reply, rkbresp.RespError):
        return [reply.text]
    if isinstance(reply, list):
        out = []
        for r in reply:
            out += errors_in(r)
        return out
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--input", required=True)
    args = ap.parse_args()
    with open(args.input, "rb") as f:
        data = f.read()
    c = rkbresp.Conn(port=args.port)
    counts = {}
    errors = []
    batch = []

    def run(batch):
        for cmd, r in zip(batch, c.pipeline(batch)):
            for e in errors_in(r):
                errors.append("%s -> %s" % (b" ".join(a[:40] for a in cmd[:3]),
                                            e))

    try:
        for _, _, cmd in rkbresp.split_commands(data):
            name = cmd[0].upper().decode(errors="replace")
            counts[name] = counts.get(name, 0) + 1
            if name == "REPLCONF":
                continue
            batch.append(cmd)
            if len(batch) >= BATCH and name != "MULTI":
                run(batch)
                batch = []
        run(batch)
    except rkbresp.ProtocolError as e:
        print("resp_replay: %s: not whole RESP commands: %s"
              % (args.input, e))
        return 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])
    print("resp_replay: %d bytes, %d commands (%s)"
          % (len(data), sum(counts.values()),
             ", ".join("%s %d" % kv for kv in top[:12])))
    if errors:
        print("resp_replay: %d error replies, first ones:" % len(errors))
        for e in errors[:10]:
            print("  " + e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
