"""Sockets: the Socket.IO namespace and upstream's raw /vis_socket (the pushes are app.broadcast)."""

import logging

from .. import broadcast
from ..config import redis_url
from ..extensions import socketio
from ..jsonio import SocketJSON
from .clients import ClientRegistry
from .fanout import OrderedRedisManager, RawRelay, channel
from .namespace import VisdomNamespace

log = logging.getLogger(__name__)


def init_app(app):
    """Bind Socket.IO to the app (async mode always explicit) and register the handlers.

    With a Redis STORE, broadcasts and upstream-client events go through Redis so that
    every server process delivers them to its own connections (app/sockets/fanout.py).
    """
    base = app.config["BASE_URL"]
    url = redis_url(app.config)
    # Always given (None: in-process): Flask-SocketIO keeps options between init_app calls.
    manager = OrderedRedisManager(url, channel(url, "socketio")) if url else None
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        path=(base.strip("/") + "/socket.io").lstrip("/"),
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        ping_interval=10,
        logger=False,
        engineio_logger=False,
        json=SocketJSON,
        client_manager=manager,
    )
    app.wsgi_app = SocketIOPath(app.wsgi_app)
    socketio.on_namespace(VisdomNamespace("/"))
    registry = ClientRegistry()
    app.extensions["visdom_clients"] = registry
    relay = RawRelay(registry, url)
    app.extensions["visdom_raw_relay"] = relay
    relay.start(socketio.start_background_task)
    # The store announces each numbered env change here, under the env's lock.
    store = app.extensions["visdom_store"]
    store.publish = broadcast.publish
    if manager is not None:
        # The Redis store PUBLISHes each change from the script that stores it.
        store.fanout = (manager.holding, manager.channel)


class SocketIOPath:
    """Flask-SocketIO's WSGI middleware, for requests to Socket.IO's own path only.

    It wraps every request: it copies the environ, and under gunicorn engineio's
    middleware defines a class on each call (to mimic eventlet's socket holder). That
    was ~40 µs of CPU per request, a twentieth of a single-point append, for requests
    that go straight on to Flask. The path test is the one engineio's middleware makes.
    """

    def __init__(self, middleware):
        self.middleware = middleware
        self.app = middleware.wsgi_app  # Flask's own wsgi_app
        self.path = middleware.engineio_path  # "/<base>/socket.io/"

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO")
        if path is not None and path.startswith(self.path):
            return self.middleware(environ, start_response)
        return self.app(environ, start_response)


def close_connections(app):
    """Close every open Socket.IO and /vis_socket connection of the app.

    At shutdown (SIGTERM) an open page would otherwise hold its worker thread until
    gunicorn's graceful timeout: closing the sockets lets the worker exit at once.
    Browsers and clients reconnect to the next server by themselves.
    """
    app.extensions["visdom_closing"] = True  # connections still opening close themselves
    registry = app.extensions.get("visdom_clients")
    if registry is not None:
        registry.close_all()
    server = getattr(socketio, "server", None)
    if server is None:
        return
    eio = server.eio
    for sock in list(eio.sockets.values()):
        try:
            # wait=False: a polling client may never come back for the close packet.
            sock.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        except Exception:  # noqa: BLE001 - one broken socket must not keep the others open
            log.debug("closing a socket at shutdown failed", exc_info=True)
