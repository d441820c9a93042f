"""The Socket.IO namespace for browsers and visdom_client (docs/socket-protocol.md)."""

import logging

from flask import current_app, request
from flask_socketio import Namespace, emit, join_room, leave_room, rooms

from .. import broadcast
from ..common import VisdomError
from ..panes.decimate import content_for_browser
from ..services import envs as env_service
from ..services import windows
from ..services.events import deliver_browser_event
from ..state import escape_eid, get_store
from ..state.redis_conn import UNREACHABLE, unreachable

log = logging.getLogger(__name__)


def safe(handler):
    """Turn bad input into an error ack instead of breaking the connection."""

    def wrapper(self, data=None, *_extra):
        # Extra arguments (a client emitting several) are ignored, never a crash.
        try:
            if data is not None and not isinstance(data, dict):
                raise VisdomError("the payload must be an object", "payload")
            return handler(self, data or {})
        except VisdomError as exc:
            return exc.to_dict()
        except UNREACHABLE as exc:  # STORE=redis:// and Redis is away: a 503, not a crash
            return unreachable(exc).to_dict()
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return {"error": "internal error", "status": 500}

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def _eid(data):
    return escape_eid(data.get("eid"), default=None)


def _notify(level, message, eid=None):
    """Send a `notification` (a toast) to the browser whose event is being handled."""
    payload = {"level": level, "message": message}
    if isinstance(eid, str):
        payload["eid"] = eid
    emit("notification", payload, to=request.sid)


class VisdomNamespace(Namespace):
    """Handlers for the default namespace; each docstring says who sends and who receives."""

    def on_connect(self, auth=None):
        """Browser or client connects; refused when the auth hook says no."""
        if current_app.extensions.get("visdom_closing"):
            return False  # the server is shutting down
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
        get_store().watching(request.sid, ())  # never raises: a mark Redis kept expires

    @safe
    def on_join_env(self, data):
        """Browser -> server: show env(s); ack with the windows and the env's `seq` (the
        compare view, with `seqs` per env, for several)."""
        store = get_store()
        show_all = data.get("show_all") is True
        if "eids" in data:
            if not isinstance(data["eids"], list) or not data["eids"]:
                raise VisdomError("'eids' must be a non-empty list", "eids")
            eids = [escape_eid(e, field="eids", default=None) for e in data["eids"]]
        else:
            eids = [_eid(data)]
        # The store learns first that this page shows them (its changes are published
        # from now on), then the page joins their rooms, then it reads its snapshot.
        store.watching(request.sid, eids)
        for room in rooms():
            if room.startswith("env:"):
                leave_room(room)
        if len(eids) > 1:
            # Join first, so that no change between the snapshot and the join is lost.
            for eid in eids:
                join_room(broadcast.env_room(eid))
            return content_for_browser(store.compare(eids, show_all=show_all))
        eid = eids[0]
        # Join first: a page opened on an env that does not exist yet gets its windows
        # live as soon as a client creates it.
        join_room(broadcast.env_room(eid))
        if not store.has_env(eid):
            if data.get("windows") is False:
                return {"eid": eid, "exists": False, "seq": 0, "undo": 0}
            return {"eid": eid, "windows": [], "reload": {}, "exists": False, "seq": 0, "undo": 0}
        # `windows: false`: the page read the windows over HTTP (GET /api/env/<eid>,
        # gzipped, started with the page): the seq alone says whether that snapshot
        # missed a change, so the env's windows are not copied for nothing.
        light = data.get("windows") is False
        try:
            content = {"seq": store.env_seq(eid)} if light else store.env_content(eid)
        except VisdomError as exc:
            if exc.status == 409:  # an unreadable env file: tell the user, not just the ack
                _notify("error", exc.message, eid)
            raise
        if light:
            return {
                "eid": eid,
                "exists": True,
                "seq": content["seq"],
                "undo": store.undo_count(eid),
            }
        return dict(content_for_browser(content), exists=True, undo=store.undo_count(eid))

    @safe
    def on_leave_env(self, data):
        """Browser -> server: stop receiving an env's pushes."""
        leave_room(broadcast.env_room(_eid(data)))
        left = [room[4:] for room in rooms() if room.startswith("env:")]
        get_store().watching(request.sid, left)
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
        try:
            deliver_browser_event(data)
        except VisdomError as exc:
            if exc.status == 404:  # the window (or env) is gone: a toast besides the ack
                _notify("warning", exc.message, data.get("eid"))
            raise
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

    @safe
    def on_update_comment(self, data):
        """Browser -> server: set a window's comment; the env's browsers (the sender too)
        get the full `window` with version + 1."""
        windows.set_comment(_eid(data), data.get("win"), data.get("comment"))
        return {"ok": True}

    @safe
    def on_update_plot_layout(self, data):
        """Browser -> server: keep layout keys drawn in a plot (e.g. `shapes`); the env's
        browsers get the full `window` with version + 1."""
        windows.merge_plot_layout(_eid(data), data.get("win"), data.get("layout"))
        return {"ok": True}

    @safe
    def on_update_view(self, data):
        """Browser -> server: keep view settings of a window (`win`) or of the env (`win`
        null); every page of the env (the sender too) gets `view_settings`."""
        windows.update_view(_eid(data), data.get("win"), data.get("view"))
        return {"ok": True}

    @safe
    def on_undo(self, data):
        """Browser -> server: restore the env's last closed window; the env's browsers get
        it as `window`, then `undo_state`."""
        return {"ok": True, "win": windows.undo(_eid(data))}

    @safe
    def on_save_all(self, data):
        """Browser -> server: write every env to disk now; nothing is broadcast."""
        return {"ok": True, "saved": env_service.save_all()}
