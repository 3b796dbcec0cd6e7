#!/usr/bin/env python3
"""Generate the rkbridge record format v1 golden vectors.

Written from schema/FORMAT.md alone, with struct.pack, so that the vectors
check the C codec against the document rather than against itself.  Run it
from anywhere; it writes NAME.bin next to itself.  With --check it writes
nothing and exits 1 if a committed vector differs from what it would write.

The records tell one coherent story: a full sync at offset 1000 under replid
A (snapshot records, then RESYNC), stream frames and heartbeats after it,
then a failover to replid B at a high offset and a frame with binary data.
"""

import os
import struct
import sys

MAGIC = b"RK"
VERSION = 1
HDR_SIZE = 64
DB_NONE = 0xFFFF
F_CONTINUED = 0x01
U64_MAX = 0xFFFFFFFFFFFFFFFF

STREAM_FRAME = 1
HEARTBEAT = 2
SNAPSHOT_BEGIN = 3
SNAPSHOT_CHUNK = 4
SNAPSHOT_END = 5
RESYNC = 6
REPLID_CHANGE = 7

FRAMING_DISK = 0
FRAMING_EOF = 1

REPLID_A = "8de1c9e4b2f0a7d3c5e6f1029384756a1b2c3d4e"
REPLID_B = "0123456789abcdef0123456789abcdef01234567"


def crc64_jones(data, crc=0):
    """Bit-at-a-time CRC-64/Jones: reflected, poly 0xad93d23594c935a9,
    init 0, no final xor.  Deliberately the slow textbook form."""
    poly = int("{:064b}".format(0xad93d23594c935a9)[::-1], 2)
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (poly if crc & 1 else 0)
    return crc


def header(rtype, flags, db, replid, start, end):
    assert len(replid) == 40 and all(c in "0123456789abcdef" for c in replid)
    h = struct.pack(">2sBBBBH40sQQ", MAGIC, VERSION, rtype, flags, 0, db,
                    replid.encode("ascii"), start, end)
    assert len(h) == HDR_SIZE
    return h


def frame(db, replid, start, payload, flags=0):
    assert len(payload) > 0
    return header(STREAM_FRAME, flags, db, replid, start,
                  start + len(payload)) + payload


def resp(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def make_rdb():
    """A small but well-formed RDB file: one aux field, db 0, one string key,
    EOF opcode and the trailing little-endian CRC-64 Redis appends."""
    body = (b"REDIS0011"
            + b"\xfa" + b"\x09redis-ver" + b"\x057.2.4"
            + b"\xfe\x00" + b"\xfb\x01\x00"
            + b"\x00" + b"\x03foo" + b"\x03bar"
            + b"\xff")
    return body + struct.pack("<Q", crc64_jones(body))


def vectors():
    v = {}
    full_off = 1000
    sync_id = 0x1122334455667788
    wall = 1732550400123
    rdb = make_rdb()
    cut = 20

    v["snapshot_begin"] = (
        header(SNAPSHOT_BEGIN, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">QQBQ", sync_id, wall, FRAMING_DISK, len(rdb)))
    v["snapshot_begin_eof"] = (
        header(SNAPSHOT_BEGIN, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">QQBQ", 0xF00DFACECAFEBEEF, wall + 1, FRAMING_EOF,
                      U64_MAX))
    v["snapshot_chunk"] = (
        header(SNAPSHOT_CHUNK, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">QQ", sync_id, 0) + rdb[:cut])
    v["snapshot_chunk_2"] = (
        header(SNAPSHOT_CHUNK, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">QQ", sync_id, cut) + rdb[cut:])
    v["snapshot_end"] = (
        header(SNAPSHOT_END, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">QQQQ", sync_id, len(rdb), crc64_jones(rdb), 2))
    # BEGIN at Kafka offset 41, chunks at 42 and 43, END at 44.
    v["resync"] = (
        header(RESYNC, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">Qiqq", sync_id, 0, 41, 44))

    v["heartbeat_db_none"] = (
        header(HEARTBEAT, 0, DB_NONE, REPLID_A, full_off, full_off)
        + struct.pack(">Q", wall + 500))

    p1 = resp(b"SELECT", b"0") + resp(b"SET", b"foo", b"bar")
    v["stream_frame"] = frame(DB_NONE, REPLID_A, full_off, p1)
    off = full_off + len(p1)

    v["heartbeat"] = (header(HEARTBEAT, 0, 0, REPLID_A, off, off)
                      + struct.pack(">Q", wall + 1000))

    # A MULTI block cut in the middle of a bulk string.
    block = (resp(b"MULTI") + resp(b"INCR", b"ctr")
             + resp(b"INCR", b"ctr") + resp(b"EXEC"))
    p2 = block[:47]
    v["stream_frame_continued"] = frame(0, REPLID_A, off, p2,
                                        flags=F_CONTINUED)

    # Failover: history forks above 2^32 to exercise all eight offset bytes.
    fork = 0x100000007
    v["replid_change"] = (
        header(REPLID_CHANGE, 0, DB_NONE, REPLID_B, fork, fork)
        + REPLID_A.encode("ascii"))
    p3 = resp(b"SET", b"bin", bytes(range(256)))
    v["stream_frame_binary"] = frame(15, REPLID_B, fork, p3)
    return v


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, data in sorted(vectors().items()):
        path = os.path.join(here, name + ".bin")
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                print("%s: differs" % path, file=sys.stderr)
                bad = 1
        else:
            with open(path, "wb") as f:
                f.write(data)
            print("%s: %d bytes" % (path, len(data)))
    return bad


if __name__ == "__main__":
    sys.exit(main())
