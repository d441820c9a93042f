"""Window mutations: create, update, close, overwrite, move, embeddings "back"."""

import json

from ..common import VisdomError
from ..sockets import broadcast
from ..state import get_store
from .access import check_can_edit


def announce_env(created):
    """Tell every browser the env list when a change created an env."""
    if created:
        broadcast.env_list(get_store().env_ids())


def create_window(eid, args):
    """Create or replace a window from an /events request; return its id."""
    check_can_edit()
    win, created = get_store().put_window(eid, args)
    announce_env(created)
    return win


def update_window(eid, args):
    """Append to, replace or remove data of a window (created on append); return its id."""
    check_can_edit()
    return get_store().update_window(eid, args)


def close_windows(eid, win=None):
    """Remove one window, or every window of the env when win is None."""
    check_can_edit()
    return get_store().close_windows(eid, win)


def close_from_browser(eid, win):
    """A browser's × button: remove the window and tell the script's handlers (`close`)."""
    check_can_edit()
    if not isinstance(win, str):
        raise VisdomError("'win' must be a window id", "win")
    removed = get_store().close_windows(eid, win)
    broadcast.event(
        eid,
        {
            "event_type": "close",
            "target": win,
            "eid": eid,
            "pane_data": removed[0] if removed else None,
        },
    )


def write_window_data(eid, win, raw):
    """Overwrite one window (or all when win is None) with /win_data's `data`."""
    check_can_edit()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise VisdomError(f"'data' is not valid JSON: {exc}", "data") from None
    announce_env(get_store().set_window_data(eid, win, raw))


def move_window(eid, win, layout):
    """A browser moved or resized a window; every browser of the env gets `layout`."""
    check_can_edit()
    if not isinstance(win, str):
        raise VisdomError("'win' must be a window id", "win")
    get_store().set_layout_item(eid, win, layout)


def pop_embeddings(eid, win):
    """Embeddings "Back": restore the previous point set."""
    check_can_edit()
    get_store().pop_embeddings(eid, win)
