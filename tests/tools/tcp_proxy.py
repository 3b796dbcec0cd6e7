#!/usr/bin/env python3
"""tcp_proxy.py -- a TCP relay that records what its clients send.

  tcp_proxy.py serve --listen PORT --to PORT --log FILE
      accepts on 127.0.0.1:PORT and relays each connection to
      127.0.0.1:TO in both directions; every byte a client sends is
      appended to FILE (all connections, in arrival order per connection).
  tcp_proxy.py last-ack --log FILE
      prints the offset of the last 'REPLCONF ACK <offset>' in FILE, i.e.
      the last position a replica behind the proxy acknowledged (exit 1 if
      there is none).
"""

import argparse
import re
import socket
import sys
import threading


def pump(src, dst, log, lock):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if log is not None:
                with lock:
                    log.write(data)
                    log.flush()
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(args):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", args.listen))
    ls.listen(16)
    log = open(args.log, "ab")
    lock = threading.Lock()
    while True:
        client, _ = ls.accept()
        try:
            server = socket.create_connection(("127.0.0.1", args.to))
        except OSError:
            client.close()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(client, server, log, lock),
                         daemon=True).start()
        threading.Thread(target=pump, args=(server, client, None, lock),
                         daemon=True).start()


def last_ack(args):
    with open(args.log, "rb") as f:
        data = f.read()
    acks = re.findall(rb"\*3\r\n\$8\r\nREPLCONF\r\n\$3\r\nACK\r\n\$\d+\r\n"
                      rb"(\d+)\r\n", data, re.IGNORECASE)
    if not acks:
        print("none")
        return 1
    print(int(acks[-1]))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve")
    sp.add_argument("--listen", type=int, required=True)
    sp.add_argument("--to", type=int, required=True)
    sp.add_argument("--log", required=True)
    sp = sub.add_parser("last-ack")
    sp.add_argument("--log", required=True)
    args = ap.parse_args()
    return serve(args) if args.cmd == "serve" else last_ack(args)


if __name__ == "__main__":
    sys.exit(main())
