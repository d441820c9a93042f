"""Upstream's event channel for the visdom 0.2.4 client: raw websocket /vis_socket and
its polling fallback /vis_socket_wrap (protocol sections 2.15 and 7.5)."""

import json
import threading
import time

from flask import Blueprint, current_app, jsonify, request
from simple_websocket import ConnectionClosed

from ..common import COOKIE, VisdomError, parse_body
from ..extensions import sock
from .clients import Connection

bp = Blueprint("vis_socket", __name__)

ALIVE = json.dumps({"command": "alive", "data": "vis_alive"})
POLL_TIMEOUT = 15.0


def _registry():
    return current_app.extensions["visdom_clients"]


def _echo(message):
    """Upstream's only client command: send the frame back to every upstream client
    (of every server process, through the relay)."""
    current_app.extensions["visdom_raw_relay"].deliver(None, message, everyone=True)


@sock.route("/vis_socket", bp=bp)
def vis_socket(ws):
    """Upstream client websocket: `alive` on open, then event dicts for its envs."""
    registry = _registry()
    lock = threading.Lock()

    def send(text):
        with lock:
            ws.send(text)

    conn = registry.add(Connection(request.cookies.get(COOKIE), send=send, close=ws.close))
    _hook("visdom_socket_opened", ("raw", conn.sid), ws.close)
    try:
        if current_app.extensions.get("visdom_closing"):
            return  # the server is shutting down
        send(ALIVE)
        while True:
            raw = ws.receive()
            try:
                message = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if isinstance(message, dict) and message.get("cmd") == "echo":
                _echo(message)
    except ConnectionClosed:
        pass
    finally:
        registry.remove(conn.sid)
        _hook("visdom_socket_closed", ("raw", conn.sid))


def _hook(name, *args):
    """Tell the login layer (when there is one) that a channel opened or closed."""
    hook = current_app.extensions.get(name)
    if hook is not None:
        hook(*args)


def _sweep(registry):
    now = time.monotonic()
    for conn in registry.connections():
        if conn.queue is not None and now - conn.last_poll > POLL_TIMEOUT:
            registry.remove(conn.sid)


@bp.post("/vis_socket_wrap")
def vis_socket_wrap():
    """Polling fallback: no sid opens a channel; `query` drains it (oldest first)."""
    body = parse_body()
    registry = _registry()
    _sweep(registry)
    sid = body.get("sid")
    if sid is None:
        conn = registry.add(Connection(request.cookies.get(COOKIE)))
        _hook("visdom_socket_opened", ("raw", conn.sid), lambda: registry.remove(conn.sid))
        conn.last_poll = time.monotonic()
        conn.send(ALIVE)
        return jsonify({"success": True, "sid": conn.sid})
    if not isinstance(sid, str):
        raise VisdomError("'sid' must be a string", "sid")
    conn = registry.get(sid)
    if conn is None or conn.queue is None:
        return jsonify({"success": False, "reason": "closed"})
    conn.last_poll = time.monotonic()
    kind = body.get("message_type")
    if kind == "query":
        messages = []
        while not conn.queue.empty():
            messages.append(conn.queue.get_nowait())
        return jsonify({"success": True, "messages": messages})
    if kind == "send":
        raw = body.get("message")
        if raw is None:
            return jsonify({"success": False, "reason": "no msg"})
        try:
            message = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise VisdomError("'message' is not valid JSON", "message") from None
        if isinstance(message, dict) and message.get("cmd") == "echo":
            _echo(message)
        return jsonify({"success": True})
    return jsonify({"success": False, "reason": "invalid"})
