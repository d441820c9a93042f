"""gunicorn's gthread worker, keeping a connection on its thread while requests keep coming.

gthread hands every request of a kept-alive connection through its main thread: the
worker thread answers, passes the connection back (a pipe write), the main thread
registers it with its poller, wakes when the next request arrives and submits it to the
pool again. Each hand-over is a wait for the GIL: 32 connections appending as fast as
they can cost ~32 context switches per request, and the server answered ~1,150
single-point appends/s (bench/scaleout.py).

ThreadWorker answers the next request on the same thread when it arrives within LINGER
of the last answer (a client in a loop, such as a training script appending each step,
or a page fetching its assets): ~15 context switches per request, ~1,500 appends/s on the
same machine. A connection that stays quiet longer goes back to the poller as before, so
idle connections hold no thread, and everything else (websockets, timeouts, graceful
stop, max_requests, HTTP/2) is gthread's own. `gunicorn wsgi:app` (gunicorn.conf.py)
and `python -m app` both use it.
"""

import select

from gunicorn.workers.gthread import ThreadWorker as GThreadWorker

# How long a worker thread waits for the next request of the connection it answered.
LINGER = 0.002


class ThreadWorker(GThreadWorker):
    def handle(self, conn):
        while True:
            keep = super().handle(conn)
            if keep is not True or not self.alive or conn.is_http2:
                return keep  # closed, deferred to the poller, stopping, or HTTP/2's own loop
            if conn.parser.unreader.buf.getvalue():
                continue  # the next request is read already (pipelined)
            pending = getattr(conn.sock, "pending", None)  # TLS: decrypted, not yet read
            if pending is not None and pending():
                continue
            # select, not poll: measured faster here. An fd over select's limit (1,024)
            # raises ValueError: that connection goes back to the poller, as in gthread.
            try:
                ready, _, _ = select.select([conn.sock], [], [], LINGER)
            except (OSError, ValueError):
                return keep
            if not ready:
                return keep  # quiet: back to the poller, this thread to the pool
