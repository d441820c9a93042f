"""Push changes to browsers and callback subscribers (the only code that broadcasts).

A leaf: it imports the unbound Socket.IO extension and the pane layer's decimation, and
nothing from services, sockets or views, so that the services (which call it) and the
socket handlers (which name its rooms) both sit above it without a cycle.

Env changes arrive through `publish`, which the store calls under the env's lock with
the change's sequence number in the payload (app.sockets.init_app hands it to the store),
so each env's messages leave in store order; with several processes on Redis,
app/sockets/fanout.py keeps that order in every process. Socket.IO payloads are strict
JSON (app.jsonio): NaN and ±Inf become null. Upstream clients' events go through the raw
relay that app.sockets.init_app installs as `visdom_raw_relay`.
"""

from flask import current_app
from socketio import PubSubManager

from .extensions import socketio
from .panes.decimate import delta_for_browser, window_for_browser


def env_room(eid):
    return f"env:{eid}"


def events_room(eid):
    return f"events:{eid}"


def publish(eid, event, payload):
    """Send one numbered env change (`window`, `window_update`, `close`, `layout`,
    `env_reset`) to the env's browsers.

    Big plot traces travel decimated (app.panes.decimate): browsers draw what fits
    their panes and ask /api/window for the points of a zoomed range.
    """
    room = env_room(eid)
    if _nobody_in(room):
        return
    if event == "window":
        payload = dict(payload, window=window_for_browser(payload.get("window")))
    elif event == "window_update":
        payload = delta_for_browser(payload)
    socketio.emit(event, payload, to=room)


def _nobody_in(room):
    """True when an emit to `room` would reach nobody: no page of this process is in it
    and no message queue carries it to other processes.

    Socket.IO encodes the message before it looks at the room, so an append to an env no
    page shows would pay for decimating and encoding its payload for nobody.
    """
    manager = getattr(getattr(socketio, "server", None), "manager", None)
    if manager is None or isinstance(manager, PubSubManager):
        return False
    return not has_members(manager, room)


def has_members(manager, room, namespace="/"):
    """True when a connection of this process is in `room` (python-socketio's manager)."""
    return bool(manager.rooms.get(namespace, {}).get(room))


def env_list(envs):
    """Tell every browser the current env ids."""
    socketio.emit("env_list", {"envs": envs})


def views(views_obj):
    """Tell every browser the saved views."""
    socketio.emit("views", {"views": views_obj})


def event(eid, payload):
    """Deliver a browser event to the env's callback subscribers, ours and upstream's."""
    socketio.emit("event", payload, to=events_room(eid))
    current_app.extensions["visdom_raw_relay"].deliver(eid, payload)


def undo_state(eid, count):
    """Tell the env's browsers how many closed windows `undo` can restore (no seq)."""
    socketio.emit("undo_state", {"eid": eid, "count": count}, to=env_room(eid))


def alert(payload):
    """Show a fired alert on every open page of the server (event `alert`, no room)."""
    socketio.emit("alert", payload)
