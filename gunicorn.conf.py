"""gunicorn settings so that plain `gunicorn wsgi:app` can hold websockets.

Flask-SocketIO runs in threading mode: the gthread worker gives each connection a
thread, and a single process keeps one in-memory store (scale out with a message queue,
see docs). Override anything on the command line, e.g. `gunicorn -b 0.0.0.0:8097 wsgi:app`.
"""

import os

bind = [os.environ.get("VISDOM_BIND", f"127.0.0.1:{os.environ.get('VISDOM_PORT', '8097')}")]
worker_class = "app.worker.ThreadWorker"  # gthread, a connection kept on its thread
workers = 1
threads = int(os.environ.get("VISDOM_THREADS", "100"))
timeout = 0
graceful_timeout = 5
keepalive = 75  # as `python -m app`: scripts appending every few seconds keep their connection


def worker_exit(server, worker):
    """Write pending env snapshots when the worker stops."""
    from app.__main__ import _close_store

    _close_store(server, worker)


def post_worker_init(worker):
    """Close open websockets on SIGTERM so that a connected page does not delay exit."""
    from app.__main__ import quick_exit_on_sigterm

    quick_exit_on_sigterm(worker)
