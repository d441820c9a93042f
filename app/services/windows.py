"""Window mutations: create, update, close, overwrite, move, embeddings "back"."""

import json

from .. import broadcast
from ..alerts import get_engine
from ..auth.access import check_can_edit
from ..common import VisdomError
from ..state import get_store


def announce_env(created):
    """Tell every browser the env list when a change created an env."""
    if created:
        broadcast.env_list(get_store().env_ids())


def create_window(eid, args):
    """Create or replace a window from an /events request; return its id."""
    check_can_edit()
    win, created = get_store().put_window(eid, args)
    announce_env(created)
    get_engine().observe(eid, win, args)  # alert rules: a queue put, evaluated elsewhere
    return win


def deletes_window(args):
    """True for the /update that 0.3.0's confusion_matrix(update='remove') sends:
    `"delete": true`, `"data": []` and no trace name. It removes the whole window."""
    return args.get("delete") is True and args.get("data") == [] and args.get("name") is None


def update_window(eid, args, raw=None):
    """Append to, replace or remove data of a window (created on append); return its id.

    The 0.3.0 "remove" update (`deletes_window`) closes the window as /close does.
    `raw`: the request body `args` came from, journaled as received.
    """
    check_can_edit()
    if deletes_window(args) and args.get("win") is not None:
        close_windows(eid, str(args["win"]))
        return str(args["win"])
    win = get_store().update_window(eid, args, raw)
    get_engine().observe(eid, win, args)  # sees NaN even when the store masked every point
    return win


def announce_undo(eid):
    """Tell the env's browsers how many closed windows `undo` can restore."""
    broadcast.undo_state(eid, get_store().undo_count(eid))


def close_windows(eid, win=None):
    """Remove one window, or every window of the env when win is None."""
    check_can_edit()
    removed = get_store().close_windows(eid, win)
    if removed:
        announce_undo(eid)
    return removed


def close_from_browser(eid, win):
    """A browser's × button: remove the window and tell the script's handlers (`close`)."""
    check_can_edit()
    if not isinstance(win, str):
        raise VisdomError("'win' must be a window id", "win")
    removed = get_store().close_windows(eid, win)
    if removed:
        announce_undo(eid)
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


def undo(eid):
    """Restore the env's most recently closed window; return its id."""
    check_can_edit()
    win, _count = get_store().undo(eid)
    announce_undo(eid)
    return win


def set_comment(eid, win, comment):
    """Set a window's comment; the env's browsers get the window (version + 1)."""
    check_can_edit()
    get_store().set_comment(eid, win, comment)


def merge_plot_layout(eid, win, layout):
    """Keep layout keys a browser drew (e.g. `shapes`) in a plot's layout."""
    check_can_edit()
    get_store().merge_plot_layout(eid, win, layout)


def update_view(eid, win, view):
    """Keep view settings (smoothing, log axes, x axis, outliers) of a window, or of the
    whole env when win is None; every page of the env gets `view_settings`."""
    check_can_edit()
    get_store().update_view(eid, win, view)
