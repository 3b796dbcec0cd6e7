#!/usr/bin/env python3
"""psync_tap.py -- read a range of a master's replication backlog.

  psync_tap.py --port P --replid R --offset O --bytes N --output FILE
               [--user U] [--password PW] [--timeout S]
  psync_tap.py --port P --prime

Attaches to the master as a replica and asks PSYNC R O+1, i.e. for the
bytes after master offset O. Expects +CONTINUE, then writes exactly the
next N bytes of the stream to FILE: the master's own copy of the
replication stream, to compare byte for byte with what rkbridge journaled.
Exit 0 on success, 1 if the master does not continue (FULLRESYNC, error)
or closes before N bytes arrived.

--prime sends PSYNC ? -1 and disconnects at +FULLRESYNC: the master then
has a replication backlog (it creates it for its first replica) and from
then on counts master_repl_offset, so that later syncs start at an offset
other than 0.
"""

import argparse
import os
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbresp  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--prime", action="store_true")
    ap.add_argument("--replid")
    ap.add_argument("--offset", type=int)
    ap.add_argument("--bytes", type=int)
    ap.add_argument("--output")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    if args.prime:
        args.replid, args.offset = "?", -2
    elif None in (args.replid, args.offset, args.bytes, args.output):
        ap.error("--replid, --offset, --bytes and --output are required")

    c = rkbresp.Conn(args.host, args.port, user=args.user,
                     password=args.password, timeout=args.timeout)
    # A listening port nobody uses, so INFO shows this tap apart from the
    # producer; no ACK is ever sent, so WAIT never counts it.
    for cmd in (("REPLCONF", "listening-port", 1),
                ("REPLCONF", "capa", "psync2")):
        c.call(*cmd)
    c.send("PSYNC", args.replid, args.offset + 1)
    # Newline keepalives may precede the reply.
    while True:
        while c.buf[c.pos:c.pos + 1] == b"\n":
            c.pos += 1
        if len(c.buf) > c.pos:
            break
        c._fill()
    line = c.read_line().decode(errors="replace")
    if args.prime:
        c.close()
        if not line.startswith("+FULLRESYNC"):
            print("psync_tap: master answered %r to PSYNC ? -1" % line[:120])
            return 1
        print("psync_tap: primed (%s)" % line)
        return 0
    if not line.startswith("+CONTINUE"):
        print("psync_tap: master answered %r to PSYNC %s %d, not +CONTINUE"
              % (line[:120], args.replid, args.offset + 1))
        return 1
    deadline = time.monotonic() + args.timeout
    try:
        while len(c.buf) - c.pos < args.bytes:
            if time.monotonic() > deadline:
                raise socket.timeout()
            c._fill()
    except (rkbresp.ProtocolError, socket.timeout, OSError) as e:
        print("psync_tap: got %d of %d bytes after +CONTINUE: %s"
              % (len(c.buf) - c.pos, args.bytes, e))
        return 1
    with open(args.output, "wb") as f:
        f.write(c.buf[c.pos:c.pos + args.bytes])
    c.close()
    print("psync_tap: %s; %d bytes after offset %d" % (line, args.bytes,
                                                      args.offset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
