"""Upstream's window endpoints: /events /update /close /win_exists /win_data /win_hash."""

from flask import Blueprint

from ..common import parse_body, read_body
from ..services import windows
from ..state import get_store
from .common import lenient_json, mutating, request_eid, text, touch

bp = Blueprint("plotting", __name__)


@bp.post("/events")
@mutating
def events():
    """Create or replace a window; answer its id."""
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    return text(windows.create_window(eid, body))


@bp.post("/update")
@mutating
def update():
    """Append to, replace or remove data of a window (creates it on append)."""
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    return text(windows.update_window(eid, body, read_body()))


@bp.post("/close")
@mutating
def close():
    """Remove one window, or every window of the env when win is null."""
    body = parse_body()
    windows.close_windows(request_eid(body), body.get("win"))
    return text("")


@bp.post("/win_exists")
def win_exists():
    """Answer true or false."""
    body = parse_body()
    eid = request_eid(body)
    win = body.get("win")
    exists = win is not None and get_store().window_exists(eid, win)
    return text("true" if exists else "false")


@bp.post("/win_data")
def win_data():
    """Read one window (or all) in upstream's JSON form, or overwrite with `data`."""
    body = parse_body()
    eid = request_eid(body)
    store = get_store()
    if "data" not in body:
        if body.get("win") is None:
            return lenient_json(store.windows(eid))
        return lenient_json(store.window(eid, body["win"]))
    return _write_win_data(eid, body)


@mutating
def _write_win_data(eid, body):
    windows.write_window_data(eid, body.get("win"), body["data"])
    return text("")


@bp.post("/win_hash")
def win_hash():
    """Answer the md5 of the stored window, or false."""
    body = parse_body()
    eid = request_eid(body)
    win = body.get("win")
    digest = None if win is None else get_store().window_hash(eid, win)
    return text(digest or "false")
