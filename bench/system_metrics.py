"""Benchmark: what the system-metrics sampler (visdom_client.system) costs the training process.

Starts its own server, then (1) takes N samples back to back on a non-blocking client and
prints the process CPU time per sample (the sampler's psutil/NVML reads plus queuing the
appends; the sender thread's encoding and HTTP included), and (2) runs the sampler at its
default 2 s interval for D seconds and prints the process's CPU use as % of one core.
Goal: < 1% of one core at 2 s. Usage: python bench/system_metrics.py [--samples 200]
[--duration 20]
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.support.server import ServerProcess  # noqa: E402
from visdom_client import Visdom  # noqa: E402
from visdom_client.system import SystemSampler  # noqa: E402


def per_sample(port, samples):
    vis = Visdom(port=port, server="http://127.0.0.1", env="bench_sys_fast", nonblocking=True)
    sampler = SystemSampler(vis, start=False)
    sampler.sample()  # first windows created outside the measurement
    vis.flush()
    start_cpu, start = time.process_time(), time.perf_counter()
    for _ in range(samples):
        sampler.sample()
    vis.flush()
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
    sampler.stop()
    vis.shutdown()
    return cpu / samples, wall / samples


def at_interval(port, duration, interval):
    vis = Visdom(port=port, server="http://127.0.0.1", env="bench_sys_idle", nonblocking=True)
    time.sleep(0.5)  # let the client's own start-up work settle
    start_cpu, start = time.process_time(), time.perf_counter()
    sampler = vis.system_metrics(interval=interval)
    time.sleep(duration)
    sampler.stop()
    vis.flush()
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
    samples = sampler.samples
    vis.shutdown()
    return 100 * cpu / wall, samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()
    server = ServerProcess().start()
    try:
        cpu, wall = per_sample(server.port, args.samples)
        print(
            f"per sample ({args.samples} back to back): {cpu * 1e3:.2f} ms CPU, {wall * 1e3:.2f} ms wall"
        )
        percent, samples = at_interval(server.port, args.duration, args.interval)
        print(
            f"at {args.interval:g} s interval for {args.duration:g} s ({samples} samples): "
            f"{percent:.3f}% of one core (goal < 1%)"
        )
    finally:
        server.close()


if __name__ == "__main__":
    main()
