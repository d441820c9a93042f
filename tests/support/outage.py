"""Redis killed (SIGKILL) and restarted under load: the scenario of the outage test and bench.

Used by tests/cluster/test_redis_outage.py (short, with bounds a loaded machine meets) and
bench/redis_outage.py (longer, printing the figures). `AofRedis` is one redis-server with
AOF `appendfsync always` that can be killed and started again on the same port and
folder; `Writer` threads append single points (each x a distinct integer) and record every
answer; `run_outage` kills Redis under them and starts it again; `Outcome` turns the
records and the points found stored afterwards into the figures.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

import requests

from .redis import require_redis, wait_until_answering
from .server import free_port


class AofRedis:
    """redis-server with AOF `appendfsync always` in its own folder: kill -9 it, start it again."""

    def __init__(self):
        require_redis()
        self.dir = tempfile.mkdtemp(prefix="visdom-outage-redis-")
        self.port = free_port()
        self.proc = None
        self._log = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=20):
        """Start redis-server (same port and folder each time); return when it answers
        PING (after loading its AOF), as a time.monotonic() value."""
        self._log = open(os.path.join(self.dir, "redis.log"), "ab")  # noqa: SIM115
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        cmd += ["--dir", self.dir, "--save", "", "--appendonly", "yes"]
        cmd += ["--appendfsync", "always"]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT)
        return wait_until_answering(self.port, self.proc, timeout)

    def kill(self):
        """SIGKILL redis-server; return the time.monotonic() of the kill."""
        self.proc.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        self.proc.wait(timeout=10)
        self._log.close()
        return killed

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Record:
    """One append: its x, HTTP status (None: no answer), when sent and answered, error text."""

    __slots__ = ("done", "error", "sent", "status", "x")

    def __init__(self, x, status, sent, done, error):
        self.x, self.status, self.sent, self.done, self.error = x, status, sent, done, error

    @property
    def seconds(self):
        return self.done - self.sent


class Writer(threading.Thread):
    """Append single points to window `win` of `eid` until stopped, recording each answer."""

    def __init__(self, url, eid, win, first_x, pause=0.0):
        super().__init__(name=f"writer-{win}", daemon=True)
        self.url, self.eid, self.win = url, eid, win
        self.x, self.pause = first_x, pause
        self.records = []
        self.stopping = threading.Event()

    def run(self):
        session = requests.Session()
        while not self.stopping.is_set():
            self.x += 1
            body = {"eid": self.eid, "win": self.win, "append": True, "name": "t"}
            body["data"] = [{"x": [self.x], "y": [self.x * 0.5], "name": "t"}]
            sent = time.monotonic()
            try:
                answer = session.post(self.url + "/update", data=json.dumps(body), timeout=30)
                status, error = answer.status_code, None if answer.ok else answer.text
            except requests.RequestException as exc:
                status, error = None, str(exc)
            self.records.append(Record(self.x, status, sent, time.monotonic(), error))
            if self.pause:
                time.sleep(self.pause)
        session.close()


def make_windows(url, eid, count):
    """Create `count` line windows (w0, w1, ...) with one point each; return their names."""
    wins = [f"w{i}" for i in range(count)]
    for win in wins:
        body = {"eid": eid, "win": win, "opts": {}}
        body["data"] = [{"x": [0], "y": [0.0], "type": "scatter", "mode": "lines", "name": "t"}]
        answer = requests.post(url + "/events", data=json.dumps(body), timeout=30)
        assert answer.status_code == 200, answer.text
    return wins


def stored_points(url, eid):
    """Return {win: set of x} as the server at `url` reads them from the store."""
    answer = requests.post(url + "/win_data", data=json.dumps({"eid": eid}), timeout=60)
    assert answer.status_code == 200, answer.text
    return {
        win: {int(x) for x in window["content"]["data"][0]["x"]}
        for win, window in answer.json().items()
    }


def run_outage(url, store, eid, writers=1, before=1.0, outage=2.0, after=2.0, pause=0.0):
    """Append from `writers` threads, kill Redis after `before` s, start it again after
    `outage` s, keep appending `after` s more; return an Outcome (stored not yet read)."""
    wins = make_windows(url, eid, writers)
    threads = [Writer(url, eid, win, i * 10_000_000, pause) for i, win in enumerate(wins)]
    for thread in threads:
        thread.start()
    time.sleep(before)
    killed = store.kill()
    time.sleep(outage)
    relaunched = time.monotonic()
    answering = store.start()
    time.sleep(after)
    for thread in threads:
        thread.stopping.set()
    for thread in threads:
        thread.join(timeout=60)
    records = [r for thread in threads for r in thread.records]
    return Outcome(records, killed, relaunched, answering)


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None


class Outcome:
    """The records of a run and the times of the kill, the relaunch and Redis answering."""

    def __init__(self, records, killed, relaunched, answering):
        self.records = records
        self.killed, self.relaunched, self.answering = killed, relaunched, answering
        self.stored = None

    def during(self):
        """The appends sent after the kill and answered before Redis was started again."""
        return [r for r in self.records if r.sent >= self.killed and r.done <= self.relaunched]

    def statuses(self, records=None):
        counts = {}
        for r in self.records if records is None else records:
            counts[r.status] = counts.get(r.status, 0) + 1
        return counts

    def latency(self, records):
        """(p50, p99, max) answer times in seconds."""
        seconds = [r.seconds for r in records]
        if not seconds:
            return None, None, None
        return statistics.median(seconds), _percentile(seconds, 0.99), max(seconds)

    def recovery(self):
        """Seconds from Redis answering PING again to the first 200 answered after it."""
        done = [r.done for r in self.records if r.status == 200 and r.done > self.answering]
        return min(done) - self.answering if done else None

    def acked(self):
        return {r.x for r in self.records if r.status == 200}

    def refused(self):
        return {r.x for r in self.records if r.status == 503}

    def read_stored(self, url, eid):
        self.stored = set().union(*stored_points(url, eid).values())
        return self.stored

    def lost(self):
        """Points answered 200 that are not stored (must be none)."""
        return self.acked() - self.stored

    def refused_but_stored(self):
        """Points answered 503 that are stored: the commit ran, its answer was lost."""
        return self.refused() & self.stored

    def figures(self):
        """The bench's lines (read_stored first)."""
        during = self.during()
        p50, p99, most = self.latency(during)
        recovery = self.recovery()

        def ms(seconds):
            return "-" if seconds is None else f"{seconds * 1000:.1f} ms"

        return [
            f"outage: {self.relaunched - self.killed:.2f} s; appends answered during it "
            f"by status: {self.statuses(during)}",
            f"answer time during the outage: p50 {ms(p50)}, p99 {ms(p99)}, max {ms(most)} "
            "(goal <= 100 ms)",
            f"Redis answering again -> first 200: {ms(recovery)} (goal <= 1 s)",
            f"all appends by status: {self.statuses()}",
            f"acked points: {len(self.acked())}, lost: {len(self.lost())} (goal 0)",
            f"answered 503 but stored: {len(self.refused_but_stored())} "
            f"(of {len(self.refused())} answered 503)",
        ]
