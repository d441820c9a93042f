"""Open sockets of signed-in users, closed as soon as their login ends.

A logout, a removed account or a changed password (also from `python -m app users` in
another process) must end the user's live connections too, not only their next HTTP
request. Each Socket.IO connection and each upstream /vis_socket channel is registered
with the identity it connected with; a sweep (right after a logout, and every second for
changes made elsewhere) closes those whose identity is no longer valid.
"""

import logging
import threading

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 1.0


class LiveSessions:
    """Connections by key, each with the identity it was opened with and a way to close it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open = {}  # key -> (identity, close)
        self._thread = None
        self._stop = threading.Event()

    def add(self, key, identity, close):
        with self._lock:
            self._open[key] = (identity, close)

    def discard(self, key):
        with self._lock:
            self._open.pop(key, None)

    def __len__(self):
        with self._lock:
            return len(self._open)

    def sweep(self, is_valid):
        """Close every connection whose identity `is_valid` refuses; return their keys."""
        with self._lock:
            items = list(self._open.items())
        ended = []
        for key, (identity, close) in items:
            try:
                valid = is_valid(identity)
            except Exception:  # a broken check must not keep a revoked user connected
                log.exception("checking a live session failed; closing it")
                valid = False
            if valid:
                continue
            self.discard(key)
            ended.append(key)
            try:
                close()
            except Exception as exc:  # already gone
                log.debug("closing live session %s: %s", key, exc)
        if ended:
            log.info("closed %d connection(s) whose login ended", len(ended))
        return ended

    def start(self, run_sweep):
        """Sweep every SWEEP_INTERVAL seconds in a daemon thread (`run_sweep()` does one)."""
        if self._thread is not None:
            return

        def loop():
            while not self._stop.wait(SWEEP_INTERVAL):
                try:
                    run_sweep()
                except Exception:
                    log.exception("live session sweep failed")

        self._thread = threading.Thread(target=loop, name="visdom-live-sessions", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
