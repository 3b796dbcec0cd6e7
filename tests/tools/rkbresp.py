"""rkbresp -- a minimal RESP2 client and parser for rkbridge's test tools.

Only what the integration tests need: connect (optionally AUTH), send
commands pipelined, read replies, and split a byte string into RESP
commands. No dependencies beyond the standard library.
"""

import socket


class RespError(Exception):
    """An error reply (-ERR ...) from the server."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


class ProtocolError(Exception):
    pass


def encode(args):
    """Encodes one command (a sequence of str/bytes/int/float) as RESP."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, bytes):
            b = a
        elif isinstance(a, str):
            b = a.encode()
        elif isinstance(a, float):
            b = repr(a).encode()
        else:
            b = str(a).encode()
        out.append(b"$%d\r\n" % len(b))
        out.append(b)
        out.append(b"\r\n")
    return b"".join(out)


class Conn:
    """A blocking connection to one Redis server."""

    def __init__(self, host="127.0.0.1", port=6379, user=None, password=None,
                 timeout=60.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0
        if password is not None:
            if user:
                self.call("AUTH", user, password)
            else:
                self.call("AUTH", password)

    def close(self):
        self.sock.close()

    # ---- raw reading
    def _fill(self):
        if self.pos > 65536:
            del self.buf[:self.pos]
            self.pos = 0
        data = self.sock.recv(1 << 16)
        if not data:
            raise ProtocolError("connection closed by server")
        self.buf += data

    def read_line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos:i])
                self.pos = i + 2
                return line
            self._fill()

    def read_exact(self, n):
        while len(self.buf) - self.pos < n:
            self._fill()
        data = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return data

    def read_reply(self):
        """Returns bytes, int, list, None, or a RespError instance."""
        line = self.read_line()
        if not line:
            raise ProtocolError("empty reply line")
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest
        if t == b"-":
            return RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.read_exact(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self.read_reply() for _ in range(n)]
        raise ProtocolError("unexpected reply %r" % line[:80])

    # ---- commands
    def send(self, *args):
        self.sock.sendall(encode(args))

    def call(self, *args):
        self.send(*args)
        r = self.read_reply()
        if isinstance(r, RespError):
            raise r
        return r

    def pipeline(self, cmds):
        """Sends every command, then reads every reply (errors returned)."""
        if not cmds:
            return []
        self.sock.sendall(b"".join(encode(c) for c in cmds))
        return [self.read_reply() for _ in cmds]


def split_commands(data, start=0):
    """Splits RESP2 arrays of bulk strings. Yields (begin, end, args).

    Raises ProtocolError on anything else; a truncated final command is
    reported as an error too, since the caller expects whole commands."""
    n = len(data)
    pos = start
    while pos < n:
        begin = pos
        if data[pos:pos + 1] != b"*":
            raise ProtocolError("byte %d: expected '*', got %r"
                                % (pos, bytes(data[pos:pos + 20])))
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            raise ProtocolError("byte %d: truncated array header" % pos)
        argc = int(data[pos + 1:eol])
        pos = eol + 2
        args = []
        for _ in range(argc):
            if data[pos:pos + 1] != b"$":
                raise ProtocolError("byte %d: expected '$', got %r"
                                    % (pos, bytes(data[pos:pos + 20])))
            eol = data.find(b"\r\n", pos)
            if eol < 0:
                raise ProtocolError("byte %d: truncated bulk header" % pos)
            blen = int(data[pos + 1:eol])
            pos = eol + 2
            if pos + blen + 2 > n:
                raise ProtocolError("byte %d: truncated bulk of %d bytes"
                                    % (pos, blen))
            args.append(bytes(data[pos:pos + blen]))
            if data[pos + blen:pos + blen + 2] != b"\r\n":
                raise ProtocolError("byte %d: bulk not followed by CRLF"
                                    % (pos + blen))
            pos += blen + 2
        yield begin, pos, args
