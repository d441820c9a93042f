"""The store's write path alone: single-point appends/s, CPU and Redis round trips per append.

    .venv/bin/python bench/redis_writes.py              # 16 threads, 6 s per row
    .venv/bin/python bench/redis_writes.py -t 32 -d 10

No HTTP: threads call store.update_window on 4 line windows of one env, as the request
threads of a server process do. Rows: the embedded store, RedisStore on its own
redis-server (one store, then two stores on one Redis writing the same env, as two server
processes do), with the Socket.IO fan-out's publishing wired as app.sockets.init_app does
(no Socket.IO server: this process's own deliveries are dropped). "round trips" counts
every command redis-py sends (scripts, BLPOP, PUBLISH, ...) per append. The windows start
with one point, so they are plain lists for the first 1024 points and Columns after, as in
bench/scaleout.py. CPU is this process's (user + system, all threads) per append.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

import redis.connection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from app.sockets.fanout import OrderedRedisManager, channel  # noqa: E402
from app.state.embedded import EmbeddedStore  # noqa: E402
from app.state.redis_store import RedisStore  # noqa: E402
from tests.support.redis import RedisProcesses  # noqa: E402

_sent = [0]
_send = redis.connection.AbstractConnection.send_packed_command


def _counting(self, command, check_health=True):
    _sent[0] += 1
    return _send(self, command, check_health)


redis.connection.AbstractConnection.send_packed_command = _counting


def wire(store, url):
    """Publish through the fan-out manager, from COMMIT, as the server does."""
    manager = OrderedRedisManager(url, channel(url, "socketio"))
    manager._deliver = lambda message: None  # no Socket.IO server in this process
    store.publish = lambda eid, event, payload: manager.emit(event, payload, to=f"env:{eid}")
    store.fanout = (manager.holding, manager.channel)


def run(stores, threads, seconds):
    for w in range(4):
        trace = {"x": [0], "y": [0.5], "name": "1", "type": "scatter"}
        stores[0].put_window("scale", {"win": f"w{w}", "opts": {}, "data": [trace]})
    counts = [0] * threads
    stop = threading.Event()

    def writer(k):
        store, n = stores[k % len(stores)], 0
        while not stop.is_set():
            n += 1
            trace = {"x": [n], "y": [n + 0.5]}
            body = {"win": f"w{n % 4}", "append": True, "name": "1", "data": [trace]}
            store.update_window("scale", body)
            counts[k] += 1

    workers = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
    sent, cpu, wall = _sent[0], time.process_time(), time.perf_counter()
    for t in workers:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in workers:
        t.join()
    n = max(1, sum(counts))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"rate": n / wall, "cpu_us": cpu / n * 1e6, "trips": (_sent[0] - sent) / n}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-t", type=int, default=16, help="writer threads (default 16)")
    parser.add_argument("-d", type=float, default=6, help="seconds per row (default 6)")
    args = parser.parse_args()
    rows = []
    embedded = EmbeddedStore(tempfile.mkdtemp(prefix="visdom-bench-"), save_interval=3600)
    try:
        rows.append(("embedded store", run([embedded], args.t, args.d)))
    finally:
        embedded.close()
    for n in (1, 2):
        servers = RedisProcesses()
        url = f"redis://127.0.0.1:{servers.start()}/0"
        stores = [RedisStore(url, tempfile.mkdtemp(prefix="visdom-bench-")) for _ in range(n)]
        try:
            for store in stores:
                wire(store, url)
            label = "Redis, 1 store" if n == 1 else "Redis, 2 stores, one env"
            rows.append((label, run(stores, args.t, args.d)))
        finally:
            for store in stores:
                store.close()
            servers.stop()
    print(f"\n{args.t} writer threads, {args.d:g} s per row, {os.cpu_count()} cores\n")
    print(f"{'setup':<28}{'appends/s':>10}{'CPU us':>8}{'round trips':>13}")
    for label, row in rows:
        print(f"{label:<28}{row['rate']:>10.0f}{row['cpu_us']:>8.0f}{row['trips']:>13.2f}")


if __name__ == "__main__":
    main()
