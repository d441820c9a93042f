"""Upstream's window endpoints: /events /update /close /win_exists /win_data /win_hash."""

import json

from flask import Blueprint, jsonify

from ..sockets import broadcast
from ..state import get_store
from .common import mutating, request_eid, text, touch
from .errors import ApiError, parse_body

bp = Blueprint("plotting", __name__)


def _announce_env(created):
    if created:
        broadcast.env_list(get_store().env_ids())


@bp.post("/events")
@mutating
def events():
    """Create or replace a window; answer its id."""
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    window, created = get_store().put_window(eid, body)
    broadcast.window(eid, window)
    _announce_env(created)
    return text(window["id"])


@bp.post("/update")
@mutating
def update():
    """Append to, replace or remove data of a window (creates it on append)."""
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    window, change, created = get_store().update_window(eid, body)
    broadcast.change(eid, str(body["win"]), window, change)
    _announce_env(created)
    return text(str(body["win"]))


@bp.post("/close")
@mutating
def close():
    """Remove one window, or every window of the env when win is null."""
    body = parse_body()
    eid = request_eid(body)
    removed = get_store().close_windows(eid, body.get("win"))
    broadcast.close(eid, [w["id"] for w in removed])
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
    """Read one window (or all), or overwrite with `data`, a JSON string."""
    body = parse_body()
    eid = request_eid(body)
    store = get_store()
    if "data" not in body:
        if body.get("win") is None:
            return jsonify(store.windows(eid))
        return jsonify(store.window(eid, body["win"]))
    return _write_win_data(eid, body)


@mutating
def _write_win_data(eid, body):
    raw = body["data"]
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise ApiError(f"'data' is not valid JSON: {exc}", "data") from None
    store = get_store()
    created = store.set_window_data(eid, body.get("win"), raw)
    if body.get("win") is None:
        for window in store.env_content(eid)["windows"]:
            broadcast.window(eid, window)
    else:
        broadcast.window(eid, store.window(eid, body["win"]))
    _announce_env(created)
    return text("")


@bp.post("/win_hash")
def win_hash():
    """Answer the md5 of the stored window, or false."""
    body = parse_body()
    eid = request_eid(body)
    win = body.get("win")
    digest = None if win is None else get_store().window_hash(eid, win)
    return text(digest or "false")
