"""Push changes to browsers and callback subscribers (the only code that emits)."""

from flask import current_app

from ..extensions import socketio


def env_room(eid):
    return f"env:{eid}"


def events_room(eid):
    return f"events:{eid}"


def window(eid, win):
    """Send a full window to the env's browsers."""
    socketio.emit("window", {"eid": eid, "window": win}, to=env_room(eid))


def window_update(eid, win_id, change):
    """Send a delta (only the new data) to the env's browsers."""
    socketio.emit("window_update", dict(change, eid=eid, win=win_id), to=env_room(eid))


def change(eid, win_id, full_window, delta):
    """Send the result of an update: the delta when there is one, else the window."""
    if full_window is not None:
        window(eid, full_window)
    elif delta.get("kind") != "append_traces" or any(
        delta.get(key) for key in ("traces", "props", "layout")
    ):
        # An append whose points were all masked (NaN/null) changes nothing to show.
        window_update(eid, win_id, delta)


def close(eid, win_ids):
    """Tell the env's browsers that windows are gone."""
    for win_id in win_ids:
        socketio.emit("close", {"eid": eid, "win": win_id}, to=env_room(eid))


def layout(eid, win_id, item, skip_sid=None):
    """Tell the env's other browsers that a window moved or was resized."""
    socketio.emit(
        "layout", {"eid": eid, "win": win_id, "layout": item}, to=env_room(eid), skip_sid=skip_sid
    )


def env_list(envs):
    """Tell every browser the current env ids."""
    socketio.emit("env_list", {"envs": envs})


def views(views_obj):
    """Tell every browser the saved views."""
    socketio.emit("views", {"views": views_obj})


def event(eid, payload):
    """Deliver a browser event to the env's callback subscribers, ours and upstream's."""
    socketio.emit("event", payload, to=events_room(eid))
    current_app.extensions["visdom_clients"].deliver(eid, payload)
