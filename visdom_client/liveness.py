"""Keep a run alive: a heartbeat thread per client, and the exit hook that ends the run.

A client that logs to a run (vis.experiment, vis.log_metrics, vis.keep_alive) posts
{"eid", "status": "running", "pid", "host"} to /api/heartbeat about every RUN_TIMEOUT/4
seconds (the server says how often in each answer), whether or not it logs anything, so
an idle run stays "running" and a dead one turns "crashed". At a normal exit the run is
marked "finished"; after an uncaught exception, "failed". The exit hook waits at most
EXIT_BUDGET seconds in all, so it never holds the interpreter's exit up.
"""

import atexit
import json
import logging
import os
import socket
import sys
import threading
import time
import weakref

logger = logging.getLogger(__name__)

EVERY = 15.0  # until the server says otherwise
EXIT_BUDGET = 0.9  # seconds for all final beats together
BEAT_TIMEOUT = 5.0

_beats = weakref.WeakSet()
_failed = False
_installed = False
_install_lock = threading.Lock()


def _install_hooks():
    """Install the process's exit hooks once: atexit, and sys.excepthook to see a crash."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
        previous = sys.excepthook

        def excepthook(kind, value, tb):
            global _failed
            if not issubclass(kind, KeyboardInterrupt | SystemExit):
                _failed = True
            previous(kind, value, tb)

        sys.excepthook = excepthook
        atexit.register(_at_exit)


def exit_status():
    """Return how a run of this process ends now: "failed" after an uncaught exception."""
    return "failed" if _failed else "finished"


def _at_exit():
    deadline = time.monotonic() + EXIT_BUDGET
    for beat in list(_beats):
        beat.end(exit_status(), deadline)


class Heartbeat:
    """The runs one client keeps alive, and the thread that beats for them.

    `post(body, timeout)` sends one heartbeat and returns the server's answer text.
    """

    def __init__(self, post):
        self._post = post
        self._eids = {}  # eid -> True while the run is kept alive
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = None
        self.every = EVERY
        self.base = {"pid": os.getpid(), "host": socket.gethostname()}

    def start(self, eid):
        """Keep the run of env `eid` alive from now on (beats at once)."""
        with self._lock:
            if eid in self._eids:
                return
            self._eids[eid] = True
            if self._thread is None:
                _install_hooks()
                _beats.add(self)
                self._thread = threading.Thread(
                    target=self._run, name="visdom-heartbeat", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def forget(self, eid):
        """Stop beating for `eid` (its run was finished by other means)."""
        with self._lock:
            self._eids.pop(eid, None)

    @property
    def eids(self):
        with self._lock:
            return list(self._eids)

    def _send(self, eid, status, timeout):
        body = dict(self.base, eid=eid, status=status)
        try:
            answer = self._post(body, timeout)
        except Exception as exc:  # noqa: BLE001 - a missed beat is retried on the next tick
            logger.debug("visdom heartbeat for %s failed: %s", eid, exc)
            return
        try:
            every = json.loads(answer).get("every")
        except (ValueError, AttributeError, TypeError):
            return
        if isinstance(every, (int, float)) and every > 0:
            self.every = max(0.05, float(every))

    def _run(self):
        while not self._stop.is_set():
            self._wake.clear()
            for eid in self.eids:
                if self._stop.is_set():
                    return
                self._send(eid, "running", BEAT_TIMEOUT)
            self._wake.wait(self.every)

    def end(self, status="finished", deadline=None):
        """Stop the thread and send `status` for every run kept alive, within the deadline."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + EXIT_BUDGET if deadline is None else deadline
        for eid in self.eids:
            left = deadline - time.monotonic()
            if left <= 0.05:
                break
            self._send(eid, status, min(left, BEAT_TIMEOUT))
        with self._lock:
            self._eids.clear()
        _beats.discard(self)
