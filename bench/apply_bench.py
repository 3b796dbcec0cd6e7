#!/usr/bin/env python3
"""Benchmark: the consumer in apply mode (writing the journal into a target
Redis as a client) beside a native replica of the same master.

Measures in one run, on loopback:
  1. full load of N keys: the native replica (REPLICAOF the master until
     the link is up and no sync is in progress) vs the consumer in apply
     mode loading the producer's snapshot into an empty target, from the
     consumer's start until it logs "snapshot ... loaded" (and the target
     holds the N keys, its position saying "stream"); once with
     apply.load=commands, once with apply.load=restore;
  2. steady state: a saturating redis-benchmark write load on the master
     (SET, INCR, LPUSH, pipeline 16, 50 clients) for --seconds, with the
     native replica and the applying consumer attached: the master's write
     rate (INFO commandstats), the consumer's apply rate
     (rkbridge_apply_commands_total), how far behind each fell in bytes
     and in time (offsets sampled every 20 ms: how long ago the master was
     at the offset a replica is at; the producer's ACKed offset, i.e. what
     Kafka confirmed, beside them), and how long after the load is stopped
     each reaches the master's offset (native: its master_repl_offset;
     apply: the offset in the target's position key);
  3. backlog catch-up, the apply rate at its maximum: the consumer stopped,
     the same load for --seconds (journaled by the producer), then the
     consumer started again: commands/s from its first transaction until
     the target's position reaches the master's offset; then `rkbridge
     verify` compares the target with the master.
CPU use of each process is printed per phase (where the time goes).
Machine noise is large here: compare the ratios.

usage: bench/apply_bench.py [--keys N] [--seconds S] [--value-size N]
                            [--batch N] [--perf] [--build DIR] [--keep DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

from benchlib import ROOT, Bench, Redis, cpu_seconds, free_port, http_get, \
    prom_values, replica_ack_offset, wait_log, wait_synced

ANNOUNCE = 7  # the producer's listening port as the master lists it
TOPIC = "bench"
WRITES = ("set", "incr", "lpush")
TARGET_RATE = 300000  # commands/s (the target)


def position_offset(target):
    """The master offset applied, from the target's position key; -1 when
    it is not a stream position."""
    v = target.cmd("GET", "rkbridge:position")
    if v is None:
        return -1
    f = v.decode().split()
    return int(f[5]) if len(f) >= 7 and f[1] == "stream" else -1


def master_writes(master):
    """Calls of the load's write commands so far."""
    total = 0
    for k, v in master.info("commandstats").items():
        if k[len("cmdstat_"):] in WRITES:
            total += int(re.search(r"calls=(\d+)", v).group(1))
    return total


class Consumer:
    """One rkbridge-consumer in apply mode and its /metrics port."""

    def __init__(self, b, tag, kport, tport, load="auto", extra=()):
        self.mport = free_port()
        self.log = b.path("consumer-%s.log" % tag)
        self.t0 = time.time()
        self.p = b.start([b.bin("rkbridge-consumer"), "-c", b.conf,
                          "-o", "mode=apply",
                          "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                          "-o", "kafka.topic=" + TOPIC,
                          "-o", "kafka.group=bench-" + tag,
                          "-o", "target.port=%d" % tport,
                          "-o", "apply.load=" + load,
                          "-o", "metrics.listen=127.0.0.1:%d" % self.mport,
                          "-o", "log.level=info"] +
                         [a for e in extra for a in ("-o", e)], self.log)

    def metrics(self):
        try:
            return prom_values(http_get(self.mport, "/metrics"))
        except OSError:
            return {}

    def commands(self):
        return int(self.metrics().get("rkbridge_apply_commands_total", 0))


class Cpu:
    """CPU seconds of named processes between start() and stop()."""

    def __init__(self, pids):
        self.pids = pids

    def start(self):
        self.t0 = time.time()
        self.c0 = {n: cpu_seconds(p) for n, p in self.pids.items()}

    def stop(self):
        dt = time.time() - self.t0
        return dt, {n: cpu_seconds(p) - self.c0[n]
                    for n, p in self.pids.items()}


def cpu_line(dt, used):
    return ", ".join("%s %.0f%%" % (n, 100.0 * c / dt)
                     for n, c in sorted(used.items(), key=lambda x: -x[1]))


class Sampler(threading.Thread):
    """Every interval: master offset, native offset, the target's position
    offset, the consumer's commands_total and the producer's ACKed offset
    (what Kafka holds), on connections of its own."""

    def __init__(self, mport, nport, tport, cons, interval):
        super().__init__(daemon=True)
        self.m, self.n, self.t = Redis(mport), Redis(nport), Redis(tport)
        self.cons = cons
        self.interval = interval
        # (time, master, native, target, commands, producer ACK)
        self.rows = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            t = time.time()
            inf = self.m.info("replication")
            ack = -1
            for k, v in inf.items():
                if k.startswith("slave") and "port=%d," % ANNOUNCE in v:
                    ack = int(re.search(r"offset=(\d+)", v).group(1))
            self.rows.append((t, int(inf["master_repl_offset"]),
                              self.n.repl_offset(), position_offset(self.t),
                              self.cons.commands(), ack))
            self.halt.wait(self.interval)

    def stop(self):
        self.halt.set()
        self.join()
        for c in (self.m, self.n, self.t):
            c.close()
        return self.rows


def write_load(b, mport, seconds, tag):
    """redis-benchmark writing to the master as fast as it can, for
    seconds; returns (writes, elapsed) measured on the master, and when
    it was stopped."""
    master = Redis(mport)
    w0, t0 = master_writes(master), time.time()
    p = b.start(["redis-benchmark", "-p", str(mport), "-t", ",".join(WRITES),
                 "-n", "1000000", "-P", "16", "-c", "50", "-r", "100000",
                 "-d", "32", "-l", "-q"], b.path("load-%s.log" % tag))
    time.sleep(seconds)
    t_kill = time.time()
    b.stop(p)
    w1, t1 = master_writes(master), time.time()
    master.close()
    return w1 - w0, t1 - t0, t_kill


def delays(rows, col, stop):
    """How long after the master each sampled replica offset (rows[i][col])
    was the master's: t - the time of the first master sample at or past
    it, for the samples before stop. Resolution: the sampling interval."""
    out, j = [], 0
    for row in rows:
        t, v = row[0], row[col]
        if t > stop:
            break
        if v < 0:
            continue
        while j < len(rows) and rows[j][1] < v:
            j += 1
        if j == len(rows):
            break
        out.append(max(0.0, t - rows[j][0]))
    return sorted(out)


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1,
                             int(round(p / 100.0 * (len(sorted_values) - 1))))]


def wait_until(pred, timeout, step=0.005):
    """Seconds until pred() holds, or None after timeout."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if pred():
            return time.time() - t0
        time.sleep(step)
    return None


def full_load(b, kport, tport, tpid, load, keys, extra):
    """Starts a consumer loading into the empty target at tport; returns
    (consumer, seconds to the loaded log line, the consumer's own time,
    its log line, CPU use, seconds until the first keys were sent)."""
    cons = Consumer(b, load, kport, tport, load, extra)
    cpu = Cpu({"consumer": cons.p.pid, "target": tpid})
    cpu.start()
    first_key = None  # when the first keys reached the target
    while True:
        with open(cons.log) as f:
            log = f.read()
        if "loaded:" in log:
            break
        if cons.p.poll() is not None or time.time() - cons.t0 > 1200:
            sys.exit("the load did not finish:\n" + log)
        if first_key is None and \
                cons.metrics().get("rkbridge_apply_keys_loaded", 0) > 0:
            first_key = time.time() - cons.t0
        time.sleep(0.01)
    elapsed = time.time() - cons.t0
    cpu_used = cpu.stop()
    line = [l for l in log.splitlines() if "loaded:" in l][-1]
    m = re.search(r"in ([\d.]+) s", line)
    inner = float(m.group(1)) if m else float("nan")
    target = Redis(tport)
    # the keys plus the position key; the position says "stream"
    if wait_until(lambda: int(target.cmd("DBSIZE")) >= keys + 1 and
                  position_offset(target) >= 0, 60) is None:
        sys.exit("target holds %s keys after the load" % target.cmd("DBSIZE"))
    target.close()
    return cons, elapsed, inner, line, cpu_used, first_key


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--value-size", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=10,
                    help="duration of each write load")
    ap.add_argument("--batch", type=int,
                    help="apply.batch_commands of the applying consumer "
                    "(default: the consumer's)")
    ap.add_argument("--perf", action="store_true",
                    help="perf record the consumer during the catch-up "
                    "(perf report in the work dir: use --keep)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--keep", metavar="DIR",
                    help="copy the work directory (logs, samples) to DIR")
    args = ap.parse_args()
    extra = ["apply.batch_commands=%d" % args.batch] if args.batch else []

    b = Bench(args.build)
    try:
        kport = b.kafka_retry()
        mport = b.redis("master")
        pids = {"master": b.procs[-1].pid}
        nport = b.redis("native")
        pids["native"] = b.procs[-1].pid
        master, native = Redis(mport), Redis(nport)
        master.cmd("DEBUG", "POPULATE", args.keys, "key", args.value_size)
        print("master: %d keys of %d bytes" % (args.keys, args.value_size))

        # 1a. Native full sync, alone.
        t0 = time.time()
        native.cmd("REPLICAOF", "127.0.0.1", mport)
        wait_synced(native)
        native_sync = time.time() - t0
        print("native full sync: %.2fs" % native_sync)

        # The producer, until its snapshot is durable.
        plog = b.path("producer.log")
        prod = b.start([b.bin("rkbridge-producer"), "-c", b.conf,
                        "-o", "source.port=%d" % mport,
                        "-o", "source.announce_port=%d" % ANNOUNCE,
                        "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                        "-o", "kafka.topic=" + TOPIC], plog)
        wait_log(plog, "full sync done", prod)

        # 1b. Apply-mode loads into empty targets: plain commands, then
        # RESTORE payloads (what auto picks on the same Redis version).
        loads = {}
        for load in ("commands", "restore"):
            tport = b.redis("target-" + load)
            tproc = b.procs[-1]
            cons, elapsed, inner, line, cpu_used, first = full_load(
                b, kport, tport, tproc.pid, load, args.keys, extra)
            loads[load] = (elapsed, inner, cpu_line(*cpu_used), first)
            print("apply.load=%s: %.2fs (%s)" % (load, elapsed,
                                                  line.split(" apply: ")[-1]))
            if load == "commands":  # not needed any more
                b.stop(cons.p)
                b.stop(tproc)
            else:
                applier, tport_live = cons, tport
                pids["target"] = tproc.pid
        target = Redis(tport_live)
        wait_log(applier.log, "applying the stream", applier.p)

        pids["producer"] = prod.pid
        with open(os.path.join(b.kafka_dir, "kafka.pid")) as f:
            pids["kafka"] = int(f.read().split()[0])

        # 2. Steady state: the load with the native replica and the
        # applying consumer attached.
        sampler = Sampler(mport, nport, tport_live, applier, 0.02)
        sampler.start()
        cpu = Cpu(dict(pids, consumer=applier.p.pid))
        c0 = applier.commands()
        cpu.start()
        writes, load_s, stop = write_load(b, mport, args.seconds, "steady")
        cpu_dt, cpu_used = cpu.stop()
        c1 = applier.commands()
        goal = master.repl_offset()
        native_lag = goal - native.repl_offset()
        apply_lag = goal - position_offset(target)
        native_catch = apply_catch = None
        while native_catch is None or apply_catch is None:
            now = time.time()
            if now - stop > 300:
                break
            if native_catch is None and native.repl_offset() >= goal:
                native_catch = now - stop
            if apply_catch is None and position_offset(target) >= goal:
                apply_catch = now - stop
            time.sleep(0.002)
        rows = sampler.stop()
        native_delay = delays(rows, 2, stop)
        apply_delay = delays(rows, 3, stop)
        native_max = max([r[1] - r[2] for r in rows if r[0] <= stop] or [0])
        apply_max = max([r[1] - r[3] for r in rows
                         if r[0] <= stop and r[3] >= 0] or [0])
        ack_delay = delays(rows, 5, stop)
        master_rate = writes / load_s
        steady_rate = (c1 - c0) / load_s
        if args.keep:
            with open(b.path("trace-steady.txt"), "w") as f:
                f.write("# time master native target commands producer_ack; "
                        "load stopped at %.4f\n" % stop)
                for row in rows:
                    f.write("%.4f %d %d %d %d %d\n" % row)
        if apply_catch is None:
            sys.exit("the target did not reach the master's offset in 300 s")
        c_end = applier.commands()
        # the whole load, from the start until the target caught up
        steady_total_rate = (c_end - c0) / (load_s + apply_catch)

        # 3. Backlog catch-up: consumer stopped during the load.
        b.stop(applier.p)
        writes2, load2_s, _ = write_load(b, mport, args.seconds, "backlog")
        goal = master.repl_offset()
        if wait_until(lambda: replica_ack_offset(master, ANNOUNCE) >= goal,
                      300) is None:
            sys.exit("the producer did not journal the load in 300 s")
        if wait_until(lambda: native.repl_offset() >= goal, 60) is None:
            sys.exit("the native replica did not catch up in 60 s")
        backlog = goal - position_offset(target)
        applier = Consumer(b, "catchup", kport, tport_live, extra=extra)
        t_start = applier.t0
        cpu = Cpu(dict(pids, consumer=applier.p.pid))
        cpu.start()
        perf = None
        if args.perf:
            perf = subprocess.Popen(
                ["perf", "record", "-F", "499", "-g", "-o",
                 b.path("perf.data"), "-p", str(applier.p.pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            b.procs.append(perf)
        samples = []  # (time, commands applied)
        while True:
            now = time.time()
            samples.append((now, applier.commands()))
            if position_offset(target) >= goal:
                break
            if now - t_start > 600 or applier.p.poll() is not None:
                sys.exit("the target did not catch up: see %s" % applier.log)
            time.sleep(0.05)
        t_done = time.time()
        cpu2_dt, cpu2_used = cpu.stop()
        c_total = applier.commands()  # the last transaction included
        if perf is not None:
            b.stop(perf)
            with open(b.path("perf-report.txt"), "w") as f:
                subprocess.run(["perf", "report", "--no-children", "--stdio",
                                "-i", b.path("perf.data"),
                                "--percent-limit", "1"],
                               stdout=f, stderr=subprocess.DEVNULL)
        # from the first transaction committed (start-up and the Kafka
        # fetch's start left out) to the position at the master's offset
        first = next((s for s in samples if s[1] > 0), (t_done, c_total))
        catchup_rate = ((c_total - first[1]) / (t_done - first[0])
                        if t_done > first[0] else float("nan"))
        catchup_all = c_total / (t_done - t_start)

        # The target holds what the master holds (rkbridge verify).
        verify = subprocess.run([b.bin("rkbridge"), "verify", "--source",
                                 "127.0.0.1:%d" % mport, "--target",
                                 "127.0.0.1:%d" % tport_live],
                                capture_output=True, text=True)
        digests = [Redis(p).cmd("DEBUG", "DIGEST") for p in (mport, nport)]
        if len(set(digests)) != 1:
            print("WARNING: DEBUG DIGEST of master and native differ")

        print()
        print("%-48s %12s %12s %8s" % ("", "native", "apply", "ratio"))
        for load in ("restore", "commands"):
            el, inner, cpu_text, first = loads[load]
            print("%-48s %11.2fs %11.2fs %8.2f" % (
                "full load of %d keys, apply.load=%s" % (args.keys, load),
                native_sync, el, el / native_sync))
            print("%-48s %12s %11.2fs" % ("  (the consumer's own count)", "",
                                          inner))
            if first is not None:
                print("%-48s %12s %11.2fs" % (
                    "  (from its start until the first keys went out)", "",
                    first))
            print("  CPU: " + cpu_text)
        print()
        print("steady state, redis-benchmark -t set,incr,lpush -P 16 -c 50 "
              "-r 100000 for %.0f s:" % load_s)
        print("  master: %.0f writes/s; consumer applied %.0f commands/s "
              "during the load, %.0f/s until caught up" % (
                  master_rate, steady_rate, steady_total_rate))
        print("%-48s %11dB %11dB" % ("behind the master, most seen under load",
                                     native_max, apply_max))
        print("%-48s %11dB %11dB" % ("behind the master once the load has exited",
                                     native_lag, apply_lag))
        for label, p in (("median", 50), ("max", 100)):
            print("%-48s %10.0fms %10.0fms   (producer ACK %.0fms)" % (
                "behind the master under load, %s" % label,
                1000 * pct(native_delay, p), 1000 * pct(apply_delay, p),
                1000 * pct(ack_delay, p)))
        print("%-48s %11.3fs %11.3fs %+7.3fs" % (
            "time to match the master's offset after the stop",
            native_catch or 0.0, apply_catch,
            apply_catch - (native_catch or 0.0)))
        print("  CPU: " + cpu_line(cpu_dt, cpu_used))
        print()
        print("backlog catch-up: %d writes in %.0f s (%.0f/s) while stopped, "
              "%d bytes of stream" % (writes2, load2_s, writes2 / load2_s,
                                      backlog))
        print("  applied %d commands in %.2fs from the consumer's start "
              "(%.0f/s): %.0f commands/s from its first transaction" % (
                  c_total, t_done - t_start, catchup_all, catchup_rate))
        print("  CPU: " + cpu_line(cpu2_dt, cpu2_used))
        print("rkbridge verify master vs target: %s" % (
            "equal" if verify.returncode == 0 else "DIFFERENT (exit %d): %s" %
            (verify.returncode, (verify.stdout + verify.stderr)[-300:])))
        print()
        best = max(steady_rate, catchup_rate)
        print("apply rate target %d commands/s: steady %.0f (master %.0f), "
              "catch-up %.0f: %s" % (
                  TARGET_RATE, steady_rate, master_rate, catchup_rate,
                  "met" if best >= TARGET_RATE else "NOT met"))
        print("full load target 3x native: " + ", ".join(
            "%s %.2fx %s" % (load, loads[load][0] / native_sync,
                             "met" if loads[load][0] <= 3 * native_sync
                             else "NOT met")
            for load in ("restore", "commands")))
    finally:
        b.close(keep=args.keep)


if __name__ == "__main__":
    main()
