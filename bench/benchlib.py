"""Helpers shared by the benchmarks in bench/ (standard library only).

A minimal RESP client, free ports, and a Bench object that owns everything
a benchmark starts (a local Kafka broker, redis-servers, the bridge's
processes) and stops all of it, by pid, in close() -- call it in a finally.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KAFKA = os.path.join(ROOT, "deploy", "local", "kafka")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def resp(*args):
    """One command in RESP."""
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Redis:
    """Just enough RESP to run commands and read INFO."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.sock.makefile("rb")

    def cmd(self, *args):
        self.sock.sendall(resp(*args))
        return self.reply()

    def reply(self):
        line = self.f.readline()
        t, rest = line[:1], line[1:-2]
        if t in (b"+", b":"):
            return rest
        if t == b"-":
            raise RuntimeError(rest.decode())
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        if t == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise RuntimeError("bad reply %r" % line)

    def info(self, section):
        text = self.cmd("INFO", section).decode()
        return dict(l.split(":", 1) for l in text.splitlines() if ":" in l)

    def repl_offset(self):
        return int(self.info("replication")["master_repl_offset"])

    def close(self):
        self.sock.close()


def wait_ping(port, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            Redis(port).cmd("PING")
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("redis on port %d did not start" % port)


def wait_synced(replica, timeout=600):
    """Polls a replica until its link is up and no sync is in progress."""
    end = time.time() + timeout
    while time.time() < end:
        inf = replica.info("replication")
        if (inf.get("master_link_status") == "up" and
                inf.get("master_sync_in_progress") == "0"):
            return
        time.sleep(0.01)
    sys.exit("replica not in sync after %d s" % timeout)


def wait_log(path, text, proc, timeout=300):
    """Waits until the log file holds text (or one of a tuple of texts);
    exits if proc died meanwhile."""
    texts = (text,) if isinstance(text, str) else text
    end = time.time() + timeout
    while time.time() < end:
        with open(path) as f:
            log = f.read()
        if any(t in log for t in texts):
            return log
        if proc.poll() is not None:
            sys.exit("%s exited:\n%s" % (proc.args[0], log))
        time.sleep(0.01)
    sys.exit("%r not in %s after %d s" % (text, path, timeout))


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU seconds of a process (all its threads) so far."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_get(port, path, timeout=5):
    """Body of GET http://127.0.0.1:port/path (HTTP/1.0, no library)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(b"GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" %
              path.encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.split(b"\r\n\r\n", 1)[-1].decode()


def prom_values(text):
    """{name: float} from a Prometheus text exposition (no labels)."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split()
            if len(parts) == 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    pass
    return out


def replica_ack_offset(master, announce_port):
    """The offset a replica listed by the master with this port ACKed, or
    -1 (the producer announces a port of its choice)."""
    for k, v in master.info("replication").items():
        if k.startswith("slave") and ("port=%d," % announce_port) in v:
            return int(re.search(r"offset=(\d+)", v).group(1))
    return -1


def bench_rates(stdout):
    """'SET 1234.5/s, ...' from redis-benchmark -q output."""
    ops = re.findall(r"([A-Z]+): ([\d.]+) requests per second", stdout)
    return ", ".join("%s %s/s" % o for o in ops)


class Bench:
    """Owns a work directory and every process started through it."""

    def __init__(self, build):
        self.build = build
        self.work = tempfile.mkdtemp(prefix="rkb-bench.")
        self.procs = []
        self.kafka_dir = None
        self.conf = os.path.join(self.work, "empty.conf")
        open(self.conf, "w").close()

    def path(self, name):
        return os.path.join(self.work, name)

    def start(self, argv, log):
        with open(log, "w") as out:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def stop(self, p, timeout=40):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    def kafka(self):
        """Starts a local broker; returns its port."""
        port = free_port()
        self.kafka_dir = self.path("kafka")  # set first: close() stops it
        subprocess.run([KAFKA, "start", "--dir", self.kafka_dir, "--port",
                        str(port)], check=True, stdout=subprocess.DEVNULL)
        return port

    def kafka_retry(self, tries=3):
        """kafka(), tried again on another port when the start fails (a
        port taken meanwhile by another process on a shared machine)."""
        for i in range(tries):
            try:
                return self.kafka()
            except subprocess.CalledProcessError:
                if i == tries - 1:
                    raise
                subprocess.run([KAFKA, "stop", "--dir", self.kafka_dir],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                shutil.rmtree(self.kafka_dir, ignore_errors=True)
                print("kafka did not start; trying another port",
                      file=sys.stderr)

    def redis(self, name):
        """Starts a redis-server set up for benchmarks; returns its port."""
        port = free_port()
        d = self.path(name)
        os.mkdir(d)
        self.start(["redis-server", "--port", str(port), "--bind",
                    "127.0.0.1", "--dir", d, "--save", "", "--appendonly",
                    "no", "--enable-debug-command", "local",
                    "--repl-diskless-sync", "yes",
                    "--repl-diskless-sync-delay", "0",
                    "--repl-backlog-size", "256mb",
                    "--client-output-buffer-limit", "replica 0 0 0"],
                   self.path(name + ".log"))
        wait_ping(port)
        return port

    def bin(self, name):
        return os.path.join(self.build, "bin", name)

    def close(self, keep=None):
        """Stops everything; keep: a directory to copy the work dir to."""
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=40)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self.kafka_dir is not None:
            subprocess.run([KAFKA, "stop", "--dir", self.kafka_dir],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if keep:
            shutil.copytree(self.work, keep, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("kafka"))
        shutil.rmtree(self.work, ignore_errors=True)
