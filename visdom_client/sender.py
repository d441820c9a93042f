"""Background sender for the non-blocking mode: queue, merge, retry, flush."""

import logging
import threading
import time

from .errors import ConnectionError, VisdomError
from .merge import MergingQueue

logger = logging.getLogger("visdom_client")


class BackgroundSender:
    """Send queued requests from one daemon thread; a failed connection is retried."""

    def __init__(self, post, max_pending=100_000, retry_delay=0.1, max_retry_delay=2.0):
        self._post = post  # post(endpoint, body) -> text; raises VisdomError
        self._queue = MergingQueue()
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        self._stop_event = threading.Event()
        self._failing = False
        self._max_pending = max_pending
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self.error = None
        self.sent = 0
        self.merged = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="visdom-sender", daemon=True)
        self._thread.start()

    def submit(self, endpoint, body, merge_key=None):
        """Queue a request without waiting for the network."""
        with self._cond:
            if self._stopping:
                raise VisdomError("the client was shut down; no more requests can be sent")
            was_empty = not self._queue.items
            if self._queue.put(endpoint, body, merge_key):
                self.merged += 1
            elif len(self._queue) > self._max_pending:
                self._queue.items.pop(0)
                self._queue._last.clear()
                self.dropped += 1
                if self.dropped == 1:
                    logger.warning("visdom: send queue full; dropping the oldest requests")
            if was_empty:
                self._cond.notify_all()  # only an idle sender waits for work

    def flush(self, timeout=None):
        """Wait until every queued request was sent (or dropped); return True if done."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue.items or self._busy:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def stop(self, timeout=10.0):
        """Flush for at most `timeout` seconds, then stop the thread; return True if all sent."""
        done = self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._stop_event.set()
            left = len(self._queue)
            self._cond.notify_all()
        self._thread.join(timeout=max(timeout, 1.0))
        if not done:
            logger.warning("visdom: %d queued requests were not sent before shutdown", left)
        return done

    @property
    def pending(self):
        """Return the number of queued requests."""
        with self._cond:
            return len(self._queue)

    def _run(self):
        while True:
            with self._cond:
                while not self._queue.items and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                batch = self._queue.take()
                self._busy = True
            try:
                for endpoint, body, _ in batch:
                    if not self._send(endpoint, body):
                        break
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _send(self, endpoint, body):
        """Send one request, retrying while the server is unreachable; False when stopping."""
        delay = self._retry_delay
        while True:
            try:
                self._post(endpoint, body)
                self.sent += 1
                if self._failing:
                    self._failing = False
                    logger.warning("visdom: server reachable again; sending resumed")
                    if isinstance(self.error, ConnectionError):
                        self.error = None  # retried until it went through: nothing lost
                return True
            except ConnectionError as exc:
                self._record(exc)
                if self._stop_event.wait(delay):
                    return False
                delay = min(delay * 2, self._max_retry_delay)
            except VisdomError as exc:
                self._record(exc)
                return True

    def _record(self, exc):
        if not self._failing:
            logger.warning("visdom: background send failed (retrying quietly): %s", exc)
        self._failing = isinstance(exc, ConnectionError)
        self.error = exc

    def take_error(self):
        """Return and clear the last error seen by the sender."""
        error, self.error = self.error, None
        return error
