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

Its processes also answer an HTTP/1 response whose body is one small piece (an append's
answer, a JSON reply: nearly all of them) in one send, headers and body together
(OneSendResponse). gunicorn sends the headers, then the body: two syscalls, and two
segments the client wakes for. With one, a do-nothing app under wrk took ~45 us less
CPU per request (~285 against ~330 us; bench figures in the README).
"""

import select

from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker as GThreadWorker

# How long a worker thread waits for the next request of the connection it answered.
LINGER = 0.002
# The largest body sent in one piece with its headers (a larger one is not copied).
ONE_SEND_MAX = 64 * 1024


class _Headers:
    """Stands in for the socket while gunicorn writes the headers: keeps them."""

    __slots__ = ("data",)

    def sendall(self, data):
        self.data = data


class OneSendResponse(wsgi.Response):
    """gunicorn's HTTP/1 response, its headers sent with the first piece of the body when
    that piece is small, not chunked, and a body the response may carry in full. Anything
    else (HEAD, 204, 304, chunked, large, a file) goes gunicorn's own way."""

    def write(self, arg):
        if (
            self.headers_sent
            or type(arg) is not bytes
            or not arg
            or len(arg) > ONE_SEND_MAX
            or self.chunked
            or self._omits_body
            or (self.response_length is not None and len(arg) > self.response_length)
        ):
            return super().write(arg)
        sock, head = self.sock, _Headers()
        self.sock = head  # gunicorn formats the headers (and marks them sent) ...
        try:
            self.send_headers()
        finally:
            self.sock = sock
        self.sent += len(arg)
        sock.sendall(head.data + arg)  # ... and they leave with the body


def use_one_send():
    """Make gunicorn's HTTP/1 responses in this process OneSendResponse (wsgi.create
    builds a `wsgi.Response` unless a protocol, HTTP/2, brings its own)."""
    wsgi.Response = OneSendResponse


class ThreadWorker(GThreadWorker):
    def init_process(self):
        use_one_send()  # in the worker process, after the fork
        super().init_process()

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
