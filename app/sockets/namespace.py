"""The Socket.IO namespace for browsers and visdom_client (docs/socket-protocol.md)."""

import logging

from flask import current_app, request
from flask_socketio import Namespace, join_room, leave_room, rooms

from ..common import VisdomError
from ..panes.decimate import content_for_browser
from ..services import windows
from ..services.events import deliver_browser_event
from ..state import escape_eid, get_store
from . import broadcast

log = logging.getLogger(__name__)


def safe(handler):
    """Turn bad input into an error ack instead of breaking the connection."""

    def wrapper(self, data=None):
        try:
            if data is not None and not isinstance(data, dict):
                raise VisdomError("the payload must be an object", "payload")
            return handler(self, data or {})
        except VisdomError as exc:
            return exc.to_dict()
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return {"error": "internal error", "status": 500}

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def _eid(data):
    return escape_eid(data.get("eid"), default=None)


class VisdomNamespace(Namespace):
    """Handlers for the default namespace; each docstring says who sends and who receives."""

    def on_connect(self, auth=None):
        """Browser or client connects; refused when the auth hook says no."""
        hook = current_app.extensions.get("visdom_socket_auth")
        if hook is not None and not hook(auth):
            return False
        opened = current_app.extensions.get("visdom_socket_opened")
        if opened is not None:
            sid, server = request.sid, self.socketio.server
            opened(("sio", sid), lambda: server.disconnect(sid, namespace="/"))
        return True

    def on_disconnect(self, reason=None):
        """Browser or client leaves (or was disconnected because its login ended)."""
        closed = current_app.extensions.get("visdom_socket_closed")
        if closed is not None:
            closed(("sio", request.sid))

    @safe
    def on_join_env(self, data):
        """Browser -> server: show env(s); ack with the windows and the env's `seq` (the
        compare view, with `seqs` per env, for several)."""
        store = get_store()
        for room in rooms():
            if room.startswith("env:"):
                leave_room(room)
        if "eids" in data:
            if not isinstance(data["eids"], list) or not data["eids"]:
                raise VisdomError("'eids' must be a non-empty list", "eids")
            eids = [escape_eid(e, field="eids", default=None) for e in data["eids"]]
            if len(eids) > 1:
                # Join first, so that no change between the snapshot and the join is lost.
                for eid in eids:
                    join_room(broadcast.env_room(eid))
                return content_for_browser(store.compare(eids))
            data = {"eid": eids[0]}
        eid = _eid(data)
        # Join first: a page opened on an env that does not exist yet gets its windows
        # live as soon as a client creates it.
        join_room(broadcast.env_room(eid))
        if not store.has_env(eid):
            return {"eid": eid, "windows": [], "reload": {}, "exists": False, "seq": 0}
        return dict(content_for_browser(store.env_content(eid)), exists=True)

    @safe
    def on_leave_env(self, data):
        """Browser -> server: stop receiving an env's pushes."""
        leave_room(broadcast.env_room(_eid(data)))
        return {"ok": True}

    @safe
    def on_subscribe_events(self, data):
        """visdom_client -> server: receive the env's browser events as `event`."""
        eid = _eid(data)
        join_room(broadcast.events_room(eid))
        return {"ok": True, "eid": eid}

    @safe
    def on_unsubscribe_events(self, data):
        """visdom_client -> server: stop receiving the env's events."""
        leave_room(broadcast.events_room(_eid(data)))
        return {"ok": True}

    @safe
    def on_browser_event(self, data):
        """Browser -> server -> the env's callback subscribers (room events:<eid>, /vis_socket)."""
        deliver_browser_event(data)
        return {"ok": True}

    @safe
    def on_close_window(self, data):
        """Browser -> server: close a window; the env's browsers get `close`, handlers `close`."""
        windows.close_from_browser(_eid(data), data.get("win"))
        return {"ok": True}

    @safe
    def on_layout_item_update(self, data):
        """Browser -> server: a window moved or was resized; every browser of the env
        (the sender too) gets `layout`."""
        windows.move_window(_eid(data), data.get("win"), data.get("layout"))
        return {"ok": True}

    @safe
    def on_pop_embeddings_pane(self, data):
        """Browser -> server: embeddings "back"; the env's browsers get the full window."""
        windows.pop_embeddings(_eid(data), data.get("win"))
        return {"ok": True}
