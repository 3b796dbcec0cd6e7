#!/usr/bin/env python3
"""Benchmark: a relay replica (behind producer, Kafka and the consumer in
relay mode) beside a native replica of the same master.

Measures in one run, on loopback:
  1. full sync of N keys: the native replica (REPLICAOF the master) vs the
     relay replica (REPLICAOF the consumer's relay port, the producer and
     consumer already running and the producer's snapshot durable): time
     from REPLICAOF until the link is up and no sync is in progress;
  2. a saturating redis-benchmark write load with both replicas attached:
     the most each replica fell behind the master's offset (sampled every
     50 ms); when the load stops, how far behind each one is and how long
     until its master_repl_offset equals the master's at the stop;
  3. the end-to-end delay at a steady write rate (default 20,000 writes/s):
     a paced writer sends small pipelined batches every millisecond, one
     `PUBLISH lat <send time ns>` and SETs; PUBLISH is propagated to
     replicas, so a subscriber on each replica (and one on the master, the
     floor of the method) computes receive time - send time. Run with the
     producer's default properties, then again after restarting the
     producer with linger.ms=0.
Prints a table; machine noise is large here, so compare the ratios.

usage: bench/relay_bench.py [--keys N] [--requests N] [--rate N]
                            [--seconds N] [--warmup N] [--build DIR] [--keep DIR]
"""
import argparse
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

from benchlib import ROOT, Bench, Redis, bench_rates, free_port, resp, \
    wait_log, wait_synced

ANNOUNCE = 7  # the producer's listening port as the master lists it
LAT_RE = re.compile(rb"\r\n\$3\r\nlat\r\n\$\d+\r\n(\d+|end)\r\n")


def subscriber(port, out):
    """Child mode: SUBSCRIBE lat on port; on 'end', write "<send time ns>
    <delay us>" lines to out and exit. One clock reading per recv(): every
    message in a chunk arrived together."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(resp("SUBSCRIBE", "lat"))
    buf = b""
    while b"\r\n:1\r\n" not in buf:
        buf += s.recv(4096)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    buf = b""
    delays = []
    done = False
    while not done:
        chunk = s.recv(65536)
        now = time.time_ns()
        if not chunk:
            break
        buf += chunk
        last = 0
        for m in LAT_RE.finditer(buf):
            last = m.end()
            if m.group(1) == b"end":
                done = True
                break
            sent = int(m.group(1))
            delays.append("%d %d" % (sent, (now - sent) // 1000))
        buf = buf[last:]
    with open(out, "w") as f:
        f.write("\n".join(str(d) for d in delays))


def paced_writes(port, rate, seconds, tick=0.001):
    """Sends rate writes/s to port for seconds, in a pipelined batch every
    tick: one PUBLISH lat <now ns> and SETs. Replies are turned off.
    Returns (writes, publishes, elapsed seconds)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(resp("CLIENT", "REPLY", "OFF"))
    per_tick = rate * tick
    value = b"v" * 32
    sets = [resp("SET", "lat:%d" % i, value) for i in range(10000)]
    sent = 0
    pubs = 0
    t0 = time.monotonic()
    i = 0
    while True:
        due = t0 + i * tick
        now = time.monotonic()
        if now - t0 >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        i += 1
        n = int(i * per_tick) - sent  # writes owed by the end of this tick
        if n <= 0:
            continue
        batch = b"".join(random.choice(sets) for _ in range(n - 1))
        s.sendall(batch + resp("PUBLISH", "lat", time.time_ns()))
        sent += n
        pubs += 1
    elapsed = time.monotonic() - t0
    s.sendall(resp("PUBLISH", "lat", "end"))
    s.close()
    return sent, pubs, elapsed


class Sampler(threading.Thread):
    """Polls the offsets of the master, the producer's ACK and both
    replicas every interval, on connections of its own, until stopped."""

    def __init__(self, mport, nport, rport, interval):
        super().__init__(daemon=True)
        self.conns = [Redis(p) for p in (mport, nport, rport)]
        self.interval = interval
        self.rows = []  # (time, master, producer ACK, native, relay)
        self.halt = threading.Event()

    def run(self):
        m, n, r = self.conns
        while not self.halt.is_set():
            t = time.time()
            inf = m.info("replication")
            ack = -1
            for k, v in inf.items():
                if k.startswith("slave") and "port=%d," % ANNOUNCE in v:
                    ack = int(re.search(r"offset=(\d+)", v).group(1))
            self.rows.append((t, int(inf["master_repl_offset"]), ack,
                              n.repl_offset(), r.repl_offset()))
            self.halt.wait(self.interval)

    def stop(self):
        self.halt.set()
        self.join()
        for c in self.conns:
            c.close()
        return self.rows


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, int(round(p / 100.0 *
                                              (len(sorted_values) - 1))))
    return sorted_values[k]


def latency_run(b, tag, ports, rate, seconds, warmup, trace):
    """One paced run; returns ({name: sorted delays in us}, writes, pubs,
    achieved rate). trace: also write the offsets every 2 ms to a file."""
    # "Steady" rate: the same load for a while first, so that what the
    # saturating phase left behind (the broker's garbage, backlogs) is
    # not measured as delay.
    paced_writes(ports["master"], rate, warmup)
    subs = {}
    for name, port in ports.items():
        out = b.path("lat-%s-%s.txt" % (tag, name))
        p = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                              "--subscriber", str(port), out],
                             stdout=subprocess.PIPE, text=True)
        b.procs.append(p)
        if p.stdout.readline().strip() != "ready":
            sys.exit("subscriber on port %d failed" % port)
        subs[name] = (p, out)
    if trace:
        sampler = Sampler(ports["master"], ports["native"], ports["relay"],
                          0.002)
        sampler.start()
    writes, pubs, elapsed = paced_writes(ports["master"], rate, seconds)
    if trace:
        with open(b.path("trace-%s.txt" % tag), "w") as f:
            f.write("# time master producer_ack native relay\n")
            for row in sampler.stop():
                f.write("%.4f %d %d %d %d\n" % row)
    res = {}
    for name, (p, out) in subs.items():
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        try:
            with open(out) as f:
                res[name] = sorted(int(l.split()[1]) for l in f
                                   if l.strip())
        except OSError:
            res[name] = []
    return res, writes, pubs, writes / elapsed


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--subscriber":
        subscriber(int(sys.argv[2]), sys.argv[3])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--value-size", type=int, default=64)
    ap.add_argument("--requests", type=int, default=1000000,
                    help="redis-benchmark requests per command")
    ap.add_argument("--rate", type=int, default=20000,
                    help="writes/s of the latency run")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=5,
                    help="seconds of the same paced load before measuring")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--keep", metavar="DIR",
                    help="copy the work directory (logs, samples) to DIR; "
                    "also trace the offsets during the delay runs")
    args = ap.parse_args()

    b = Bench(args.build)
    try:
        kport = b.kafka()
        mport = b.redis("master")
        nport = b.redis("native")
        rport = b.redis("relay")
        master = Redis(mport)
        master.cmd("DEBUG", "POPULATE", args.keys, "key", args.value_size)
        print("master: %d keys of %d bytes" % (args.keys, args.value_size))

        # 1a. Native full sync, alone.
        native = Redis(nport)
        t0 = time.time()
        native.cmd("REPLICAOF", "127.0.0.1", mport)
        wait_synced(native)
        native_sync = time.time() - t0

        # The producer, until its snapshot is durable; then the consumer,
        # until it has indexed the journal.
        def start_producer(tag, extra):
            log = b.path("producer-%s.log" % tag)
            argv = [b.bin("rkbridge-producer"), "-c", b.conf,
                    "-o", "source.port=%d" % mport,
                    "-o", "source.announce_port=%d" % ANNOUNCE,
                    "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                    "-o", "kafka.topic=bench"]
            for e in extra:
                argv += ["-o", e]
            return b.start(argv, log), log

        prod, plog = start_producer("default", [])
        wait_log(plog, "full sync done", prod)
        relay_port = free_port()
        clog = b.path("consumer.log")
        cons = b.start([b.bin("rkbridge-consumer"), "-c", b.conf,
                        "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                        "-o", "kafka.topic=bench",
                        "-o", "kafka.group=bench",
                        "-o", "relay.listen=127.0.0.1:%d" % relay_port],
                       clog)
        wait_log(clog, "journal indexed", cons)

        # 1b. Relay full sync.
        relay = Redis(rport)
        t0 = time.time()
        relay.cmd("REPLICAOF", "127.0.0.1", relay_port)
        wait_synced(relay)
        relay_sync = time.time() - t0
        print("full sync: native %.2fs, relay %.2fs" % (native_sync,
                                                        relay_sync))

        # 2. Saturating write load, then the catch-up race.
        sampler = Sampler(mport, nport, rport, 0.05)
        sampler.start()
        bench = subprocess.run(
            ["redis-benchmark", "-p", str(mport), "-t", "set,incr,lpush",
             "-n", str(args.requests), "-P", "16", "-c", "32", "-r",
             "1000000", "-d", "32", "-q"], capture_output=True, text=True)
        stop = time.time()
        target = master.repl_offset()
        if bench.returncode != 0:
            sys.exit("redis-benchmark failed:\n" + bench.stderr)
        native_lag = target - native.repl_offset()
        relay_lag = target - relay.repl_offset()
        native_catch = relay_catch = None
        while native_catch is None or relay_catch is None:
            now = time.time()
            if now - stop > 120:
                break
            if native_catch is None and native.repl_offset() >= target:
                native_catch = now - stop
            if relay_catch is None and relay.repl_offset() >= target:
                relay_catch = now - stop
            time.sleep(0.005)
        rows = sampler.stop()
        native_max = max(m - n for t, m, _, n, _ in rows if t <= stop)
        relay_max = max(m - r for t, m, _, _, r in rows if t <= stop)
        if args.keep:
            with open(b.path("trace-load.txt"), "w") as f:
                f.write("# time master producer_ack native relay; "
                        "load stopped at %.4f\n" % stop)
                for row in rows:
                    f.write("%.4f %d %d %d %d\n" % row)
        print("redis-benchmark: " + bench_rates(bench.stdout))
        if relay_catch is None:
            sys.exit("the relay replica did not reach the master's offset "
                     "in 120 s (relay %d, master %d)" %
                     (relay.repl_offset(), target))
        # Both replicas converged: same data as the master.
        digests = [Redis(p).cmd("DEBUG", "DIGEST") for p in (mport, nport,
                                                              rport)]
        if len(set(digests)) != 1:
            print("WARNING: DEBUG DIGEST differs: master %s native %s "
                  "relay %s" % tuple(d.decode() for d in digests))

        # 3. Delay at a steady rate: default producer, then linger.ms=0.
        ports = {"master": mport, "native": nport, "relay": rport}
        lat = []
        res = latency_run(b, "default", ports, args.rate, args.seconds,
                          args.warmup, args.keep)
        lat.append(("producer defaults", res))
        b.stop(prod)
        prod, plog = start_producer("linger0",
                                    ["kafka.properties=linger.ms=0"])
        wait_log(plog, ("partial resync", "full sync done"), prod)
        time.sleep(1)
        wait_synced(relay, timeout=60)
        res = latency_run(b, "linger0", ports, args.rate, args.seconds,
                          args.warmup, args.keep)
        lat.append(("producer linger.ms=0", res))

        print()
        print("%-46s %12s %12s %8s" % ("", "native", "relay", "ratio"))
        print("%-46s %11.2fs %11.2fs %8.2f" % (
            "full sync of %d keys" % args.keys, native_sync, relay_sync,
            relay_sync / native_sync))
        print("%-46s %11dB %11dB" % ("behind the master, most seen under load",
                                     native_max, relay_max))
        print("%-46s %11dB %11dB" % ("behind the master when the load stops",
                                     native_lag, relay_lag))

        def fmt(x):
            return "%11.3fs" % x if x is not None else "   > 120 s"
        diff = ("%+7.3fs" % (relay_catch - native_catch)
                if native_catch is not None else "")
        print("%-46s %s %s %s" % ("time to match the master's offset",
                                  fmt(native_catch), fmt(relay_catch),
                                  diff))
        for title, (d, writes, pubs, achieved) in lat:
            print("delay master -> replica, %s: %.0f writes/s, "
                  "%d samples" % (title, achieved, pubs))
            for p, label in ((50, "median"), (99, "99th percentile"),
                             (100, "max")):
                print("%-46s %10.2fms %10.2fms %8.2f   (master %.2fms)" % (
                    "  " + label, pct(d["native"], p) / 1000.0,
                    pct(d["relay"], p) / 1000.0,
                    pct(d["relay"], p) / max(1, pct(d["native"], p)),
                    pct(d["master"], p) / 1000.0))
            lost = [n for n in ("native", "relay") if len(d[n]) != pubs]
            if lost:
                print("  WARNING: samples received: " + ", ".join(
                    "%s %d" % (n, len(d[n])) for n in lost))
        print("(master: a subscriber on the master itself, the floor of the "
              "method on this machine)")
    finally:
        b.close(keep=args.keep)


if __name__ == "__main__":
    main()
