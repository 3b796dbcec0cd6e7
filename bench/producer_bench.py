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
import subprocess
import time

from benchlib import ROOT, Bench, Redis, bench_rates, vm_hwm_kb, wait_log, \
    wait_synced


def producer_offset(master, announce_port):
    for k, v in master.info("replication").items():
        if k.startswith("slave") and ("port=%d," % announce_port) in v:
            return int(re.search(r"offset=(\d+)", v).group(1))
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--value-size", type=int, default=64)
    ap.add_argument("--requests", type=int, default=2000000)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = ap.parse_args()

    b = Bench(args.build)
    try:
        kport = b.kafka()
        mport, rport = b.redis("master"), b.redis("replica")
        master = Redis(mport)
        master.cmd("DEBUG", "POPULATE", args.keys, "key", args.value_size)
        print("master: %d keys of %d bytes" % (args.keys, args.value_size))

        # 1a. Native full sync, alone on the machine.
        replica = Redis(rport)
        t0 = time.time()
        replica.cmd("REPLICAOF", "127.0.0.1", mport)
        wait_synced(replica)
        native_sync = time.time() - t0

        # 1b. The producer's full sync.
        announce = 7
        plog = b.path("producer.log")
        t0 = time.time()
        prod = b.start([b.bin("rkbridge-producer"),
                        "-c", b.conf, "-o", "source.port=%d" % mport,
                        "-o", "source.announce_port=%d" % announce,
                        "-o", "kafka.brokers=127.0.0.1:%d" % kport,
                        "-o", "kafka.topic=bench"], plog)
        wait_log(plog, "full sync done", prod)
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

        print("redis-benchmark: " + bench_rates(bench.stdout))
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
        b.close()


if __name__ == "__main__":
    main()
