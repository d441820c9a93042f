"""Sockets: the Socket.IO namespace, upstream's raw /vis_socket, and broadcast helpers."""

from ..extensions import socketio
from ..jsonio import SocketJSON
from . import broadcast
from .clients import ClientRegistry
from .namespace import VisdomNamespace


def init_app(app):
    """Bind Socket.IO to the app (async mode always explicit) and register the handlers."""
    base = app.config["BASE_URL"]
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        path=(base.strip("/") + "/socket.io").lstrip("/"),
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        ping_interval=10,
        logger=False,
        engineio_logger=False,
        json=SocketJSON,
    )
    socketio.on_namespace(VisdomNamespace("/"))
    app.extensions["visdom_clients"] = ClientRegistry()
    # The store announces each numbered env change here, under the env's lock.
    app.extensions["visdom_store"].publish = broadcast.publish
