"""The Socket.IO namespace for browsers and visdom_client (docs/socket-protocol.md)."""

import logging

from flask import current_app, request
from flask_socketio import Namespace, join_room, leave_room, rooms

from ..panes import PaneError
from ..state import StoreError, escape_eid, get_store
from . import broadcast
from .events import deliver_browser_event

log = logging.getLogger(__name__)


def _error(exc):
    return {"error": exc.message, "field": exc.field, "status": exc.status}


def safe(handler):
    """Turn bad input into an error ack instead of breaking the connection."""

    def wrapper(self, data=None):
        try:
            if data is not None and not isinstance(data, dict):
                raise StoreError("the payload must be an object", "payload")
            return handler(self, data or {})
        except (StoreError, PaneError) as exc:
            return _error(exc)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return {"error": "internal error", "status": 500}

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def _can_edit():
    from ..blueprints.common import check_can_edit
    from ..blueprints.errors import ApiError

    try:
        check_can_edit()
    except ApiError as exc:
        raise StoreError(exc.message, None, exc.status) from None


class VisdomNamespace(Namespace):
    """Handlers for the default namespace; each docstring says who sends and who receives."""

    def on_connect(self, auth=None):
        """Browser or client connects; refused when the auth hook says no."""
        hook = current_app.extensions.get("visdom_socket_auth")
        if hook is not None and not hook(auth):
            return False
        return True

    @safe
    def on_join_env(self, data):
        """Browser -> server: show env(s); ack with the windows (the compare view for several)."""
        store = get_store()
        for room in rooms():
            if room.startswith("env:"):
                leave_room(room)
        if "eids" in data:
            if not isinstance(data["eids"], list) or not data["eids"]:
                raise StoreError("'eids' must be a non-empty list", "eids")
            eids = [escape_eid(e, field="eids", default=None) for e in data["eids"]]
            if len(eids) > 1:
                content = store.compare(eids)
                for eid in eids:
                    join_room(broadcast.env_room(eid))
                return content
            data = {"eid": eids[0]}
        eid = escape_eid(data.get("eid"), default=None)
        # Join first: a page opened on an env that does not exist yet gets its windows
        # live as soon as a client creates it.
        join_room(broadcast.env_room(eid))
        if not store.has_env(eid):
            return {"eid": eid, "windows": [], "reload": {}, "exists": False}
        return dict(store.env_content(eid), exists=True)

    @safe
    def on_leave_env(self, data):
        """Browser -> server: stop receiving an env's pushes."""
        eid = escape_eid(data.get("eid"), default=None)
        leave_room(broadcast.env_room(eid))
        return {"ok": True}

    @safe
    def on_subscribe_events(self, data):
        """visdom_client -> server: receive the env's browser events as `event`."""
        eid = escape_eid(data.get("eid"), default=None)
        join_room(broadcast.events_room(eid))
        return {"ok": True, "eid": eid}

    @safe
    def on_unsubscribe_events(self, data):
        """visdom_client -> server: stop receiving the env's events."""
        eid = escape_eid(data.get("eid"), default=None)
        leave_room(broadcast.events_room(eid))
        return {"ok": True}

    @safe
    def on_browser_event(self, data):
        """Browser -> server -> the env's callback subscribers (room events:<eid>, /vis_socket)."""
        _can_edit()
        deliver_browser_event(data)
        return {"ok": True}

    @safe
    def on_close_window(self, data):
        """Browser -> server: close a window; the env's browsers get `close`, handlers `close`."""
        _can_edit()
        eid = escape_eid(data.get("eid"), default=None)
        win = data.get("win")
        if not isinstance(win, str):
            raise StoreError("'win' must be a window id", "win")
        removed = get_store().close_windows(eid, win)
        broadcast.close(eid, [win])
        broadcast.event(
            eid,
            {
                "event_type": "close",
                "target": win,
                "eid": eid,
                "pane_data": removed[0] if removed else None,
            },
        )
        return {"ok": True}

    @safe
    def on_layout_item_update(self, data):
        """Browser -> server: a window moved or was resized; other browsers get `layout`."""
        _can_edit()
        eid = escape_eid(data.get("eid"), default=None)
        win = data.get("win")
        if not isinstance(win, str):
            raise StoreError("'win' must be a window id", "win")
        layout = data.get("layout")
        get_store().set_layout_item(eid, win, layout)
        broadcast.layout(eid, win, layout, skip_sid=request.sid)
        return {"ok": True}

    @safe
    def on_pop_embeddings_pane(self, data):
        """Browser -> server: embeddings "back"; the env's browsers get the full window."""
        _can_edit()
        eid = escape_eid(data.get("eid"), default=None)
        window = get_store().pop_embeddings(eid, data.get("win"))
        broadcast.window(eid, window)
        return {"ok": True}
