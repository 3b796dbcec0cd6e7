#!/usr/bin/env python3
"""fake_http.py -- a peer that is not Redis.

  fake_http.py --port PORT [--log FILE]

Accepts connections on 127.0.0.1:PORT; for each one it reads what the
client sends (up to 0.5 s), answers 'HTTP/1.1 400 Bad Request' and closes.
With --log, appends one line per connection ('connection N') to FILE, so a
test can see that the client keeps retrying.
"""

import argparse
import socket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", args.port))
    ls.listen(16)
    n = 0
    while True:
        c, _ = ls.accept()
        n += 1
        if args.log:
            with open(args.log, "a") as f:
                f.write("connection %d\n" % n)
        c.settimeout(0.5)
        try:
            c.recv(4096)
        except OSError:
            pass
        try:
            c.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        except OSError:
            pass
        c.close()


if __name__ == "__main__":
    main()
