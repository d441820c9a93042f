"""Benchmark: single-point line appends per second with Visdom(nonblocking=True).

Starts its own server (`python -m app -port P -env_path TMPDIR`), appends N points one
call at a time to one line, waits until the server has them all, and prints the figures.
Usage: python bench/client_nonblocking.py [--points 200000] [--blocking-points 2000]
"""

import argparse
import os
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.support.server import ServerProcess  # noqa: E402
from visdom_client import Visdom  # noqa: E402


def stored_points(port, env, win):
    window = requests.get(f"http://127.0.0.1:{port}/api/env/{env}", timeout=30).json()
    for item in window["windows"]:
        if item["id"] == win:
            return len(item["content"]["data"][0]["y"])
    return 0


def run(port, points, nonblocking):
    env = "bench_nb" if nonblocking else "bench_blocking"
    vis = Visdom(port=port, server="http://127.0.0.1", env=env, nonblocking=nonblocking)
    start, cpu = time.perf_counter(), time.thread_time()
    for i in range(points):
        vis.line([float(i % 97)], [i], win="loss", update="append", opts={"title": "loss"})
    queued = time.perf_counter() - start
    cpu = time.thread_time() - cpu
    vis.flush()
    total = time.perf_counter() - start
    sender = vis._sender
    vis.shutdown()
    arrived = stored_points(port, env, "loss")
    return {
        "points": points,
        "arrived": arrived,
        "call_rate": points / queued,
        "sustained_rate": points / total,
        "requests": sender.sent if sender else points,
        "seconds": total,
        "cpu_us": cpu / points * 1e6,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--blocking-points", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="visdom-bench-") as tmp:
        env_path = os.path.join(tmp, "envs")
        os.makedirs(env_path)
        server = ServerProcess(env_path).start()
        try:
            blocking = run(server.port, args.blocking_points, nonblocking=False)
            fast = run(server.port, args.points, nonblocking=True)
        finally:
            server.stop()
    print("single-point line appends to one window (python -m app, threading mode)")
    for label, r in (("blocking    ", blocking), ("nonblocking ", fast)):
        print(
            f"  {label} {r['points']:>8} points in {r['seconds']:6.2f} s: "
            f"{r['sustained_rate']:>9,.0f} points/s sustained "
            f"(calls return at {r['call_rate']:>9,.0f}/s), "
            f"{r['requests']} requests, {r['arrived']} points stored, "
            f"{r['cpu_us']:.1f} us CPU per call"
        )
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    ok = fast["arrived"] == fast["points"] and fast["sustained_rate"] >= 50_000
    print(
        f"goal >= 50,000 points/s sustained with every point stored: {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
