#!/usr/bin/env python3
"""Benchmark: the producer beside a native replica of the same master.

Measures in one run, on loopback:
  1. full sync of N keys: native replica (REPLICAOF until the link is up)
     vs the producer (start until the snapshot is durable in Kafka);
  2. the producer's peak RSS (VmHWM) over the whole run;
  3. a saturating redis-benchmark write load; when it stops, how far behind
     the master's offset each one is (bytes), and how long until each
     matches it (native: the replica's offset; producer: the offset it has
     ACKed, i.e. what Kafka confirmed).
Prints a table; machine noise is large here, so compare the ratios.

usage: bench/producer_bench.py [--keys N] [--requests N] [--build DIR]
"""
import argparse
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


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Redis:
    """Just enough RESP to run commands and read INFO."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.f = self.sock.makefile("rb")

    def cmd(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
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


def wait_ping(port, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            Redis(port).cmd("PING")
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("redis on port %d did not start" % port)


def producer_offset(master, announce_port):
    for k, v in master.info("replication").items():
        if k.startswith("slave") and ("port=%d," % announce_port) in v:
            return int(re.search(r"offset=(\d+)", v).group(1))
    return -1


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--value-size", type=int, default=64)
    ap.add_argument("--requests", type=int, default=2000000)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="rkb-bench.")
    procs = []
    kafka_dir = os.path.join(work, "kafka")
    kafka = os.path.join(ROOT, "deploy", "local", "kafka")

    def start(argv, log):
        p = subprocess.Popen(argv, stdout=open(log, "w"),
                             stderr=subprocess.STDOUT)
        procs.append(p)
        return p

    try:
        kport = free_port()
        subprocess.run([kafka, "start", "--dir", kafka_dir, "--port",
                        str(kport)], check=True, stdout=subprocess.DEVNULL)
        mport, rport = free_port(), free_port()
        for port, name in ((mport, "master"), (rport, "replica")):
            d = os.path.join(work, name)
            os.mkdir(d)
            start(["redis-server", "--port", str(port), "--bind",
                   "127.0.0.1", "--dir", d, "--save", "", "--appendonly",
                   "no", "--enable-debug-command", "local",
                   "--repl-diskless-sync", "yes",
                   "--repl-diskless-sync-delay", "0",
                   "--repl-backlog-size", "256mb",
                   "--client-output-buffer-limit", "replica 0 0 0"],
                  os.path.join(work, name + ".log"))
            wait_ping(port)
        master = Redis(mport)
        master.cmd("DEBUG", "POPULATE", args.keys, "key", args.value_size)
        print("master: %d keys of %d bytes" % (args.keys, args.value_size))

        # 1a. Native full sync, alone on the machine.
        replica = Redis(rport)
        t0 = time.time()
        replica.cmd("REPLICAOF", "127.0.0.1", mport)
        while True:
            inf = replica.info("replication")
            if (inf.get("master_link_status") == "up" and
                    inf.get("master_sync_in_progress") == "0"):
                break
            time.sleep(0.01)
        native_sync = time.time() - t0

        # 1b. The producer's full sync.
        conf = os.path.join(work, "empty.conf")
        open(conf, "w").close()
        announce = 7
        plog = os.path.join(work, "producer.log")
        t0 = time.time()
        prod = start([os.path.join(args.build, "bin", "rkbridge-producer"),
                      "-c", conf, "-o", "source.port=%d" % mport,
                      "-o", "source.announce_port=%d" % announce,
                      "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                      "-o", "kafka.topic=bench"], plog)
        while "full sync done" not in open(plog).read():
            if prod.poll() is not None:
                sys.exit("producer exited:\n" + open(plog).read())
            time.sleep(0.01)
        producer_sync = time.time() - t0
        m = re.search(r"durable in Kafka (\d+) ms after FULLRESYNC",
                      open(plog).read())
        producer_sync_inner = int(m.group(1)) / 1000.0 if m else float("nan")

        # 3. Saturating write load, then the catch-up race.
        bench = subprocess.run(
            ["redis-benchmark", "-p", str(mport), "-t", "set,incr,lpush",
             "-n", str(args.requests), "-P", "16", "-c", "32", "-r",
             "1000000", "-d", "32", "-q"], capture_output=True, text=True)
        stop = time.time()
        target = int(master.info("replication")["master_repl_offset"])
        native_lag = target - int(replica.info("replication")
                                  ["master_repl_offset"])
        producer_lag = target - producer_offset(master, announce)
        native_catch = producer_catch = None
        while native_catch is None or producer_catch is None:
            now = time.time()
            if now - stop > 60:
                break
            if native_catch is None and int(replica.info("replication")
                                           ["master_repl_offset"]) >= target:
                native_catch = now - stop
            if producer_catch is None and \
                    producer_offset(master, announce) >= target:
                producer_catch = now - stop
            time.sleep(0.005)
        hwm = vm_hwm_kb(prod.pid)

        ops = re.findall(r"([A-Z]+): ([\d.]+) requests per second",
                         bench.stdout)
        print("redis-benchmark: " + ", ".join("%s %s/s" % o for o in ops))
        print()
        print("%-44s %12s %12s %8s" % ("", "native", "producer", "ratio"))
        print("%-44s %11.2fs %11.2fs %8.2f" % (
            "full sync of %d keys" % args.keys, native_sync, producer_sync,
            producer_sync / native_sync))
        print("%-44s %12s %11.2fs" % ("  (producer: FULLRESYNC to durable)",
                                      "", producer_sync_inner))
        print("%-44s %11dB %11dB" % ("behind the master when the load stops",
                                     native_lag, producer_lag))

        def fmt(x):
            return "%11.3fs" % x if x is not None else "    > 60 s"
        print("%-44s %s %s" % ("time to match the master's offset",
                               fmt(native_catch), fmt(producer_catch)))
        print("%-44s %12s %10.1fMB" % ("producer peak RSS (VmHWM)", "",
                                       hwm / 1024.0))
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=40)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([kafka, "stop", "--dir", kafka_dir],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
