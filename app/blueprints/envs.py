"""Env endpoints: upstream's (save, fork, delete, list, subscribe) and the UI's JSON reads."""

from flask import Blueprint, current_app, jsonify, make_response, request

from ..common import COOKIE, VisdomError, parse_body, read_form
from ..panes.decimate import content_for_browser
from ..services import envs as env_service
from ..sockets.clients import new_client_cookie
from ..state import escape_eid, get_store
from .common import mutating, refuse, request_eid, text, touch

UPLOAD_LIMIT = 100 * 1024 * 1024  # 0.3.0's limit for /upload_env

bp = Blueprint("envs", __name__)


def _eid_list(value, field):
    if not isinstance(value, list):
        raise VisdomError(f"'{field}' must be a list of env ids", field)
    return [escape_eid(eid, field=field, default=None) for eid in value]


def compare_ids(joined):
    """Return the env ids of a /compare/<a+b> path, escaped and without duplicates."""
    ids = []
    for raw in joined.split("+"):
        eid = escape_eid(raw, field="eids", default=None)
        if eid not in ids:
            ids.append(eid)
    return ids


@bp.get("/healthz")
def healthz():
    """Answer ok: the server is up (used by tests and load balancers)."""
    return text("ok")


@bp.get("/health")
def health():
    """Answer {"status": "ok"} with no login needed (upstream 0.3.0's health check)."""
    return jsonify({"status": "ok"})


@bp.post("/upload_env")
@mutating(readonly="Uploads are disabled while the server is in readonly mode")
def upload_env():
    """Create a new env from an uploaded env JSON file (multipart part `file`, §3.2.2)."""
    if request.content_length is not None and request.content_length > UPLOAD_LIMIT + 65536:
        return refuse("File is too large. Max 100MB", 413, "file")
    try:
        upload = read_form()[1].get("file")
    except VisdomError as exc:
        return refuse(exc.message, 400, "file")
    if upload is None:
        return refuse("No file uploaded", 400, "file")
    raw = upload.stream.read(UPLOAD_LIMIT + 1)
    if len(raw) > UPLOAD_LIMIT:
        return refuse("File is too large. Max 100MB", 413, "file")
    try:
        eid = env_service.upload_env(upload.filename, raw)
    except VisdomError as exc:
        if exc.status != 400:
            raise
        return refuse(exc.message, 400, exc.field)
    return jsonify(
        {"success": True, "eid": eid, "message": f"Dashboard loaded successfully as '{eid}'"}
    )


@bp.post("/env_state")
def env_state():
    """Answer the JSON list of env ids."""
    return jsonify(get_store().env_ids())


@bp.post("/save")
@mutating
def save():
    """Write the listed envs to disk now; answer the ids written."""
    body = parse_body()
    return jsonify(env_service.save_envs(_eid_list(body.get("data"), "data")))


@bp.post("/fork_env")
@mutating
def fork_env():
    """Copy env prev_eid to eid and save it; answer the new id."""
    body = parse_body()
    prev_eid = request_eid(body, "prev_eid", default=None)
    eid = request_eid(body, "eid", default=None)
    return text(env_service.fork_env(prev_eid, eid))


@bp.post("/delete_env")
@mutating
def delete_env():
    """Delete an env and its file (an explicit eid is required)."""
    body = parse_body()
    env_service.delete_env(request_eid(body, default=None))
    return text("")


@bp.post("/env/<path:eid>")
def env_post(eid):
    """Create the env named in the body (the upstream client's constructor does this)."""
    body = parse_body()
    url_eid = escape_eid(eid, field="eid", default=None)
    response = make_response(text(""))
    target = request_eid(body, default=None) if body.get("eid") is not None else None
    if target is not None:
        env_service.ensure_env(target)
    key = request.cookies.get(COOKIE)
    if key is None and not current_app.config.get("ENABLE_LOGIN"):
        key = new_client_cookie(target or url_eid)
        response.set_cookie(COOKIE, key, httponly=True, samesite="Lax")
    current_app.extensions["visdom_clients"].touch(key, target or url_eid)
    return response


@bp.post("/compare/<path:eids>")
def compare_post(eids):
    """Answer the merged compare view of the envs (upstream pushed it on the socket);
    with {"show_all": true}, every window of every env as well."""
    body = parse_body()
    show_all = body.get("show_all") is True
    return jsonify(get_store().compare(compare_ids(eids), show_all=show_all))


@bp.get("/api/env/<path:eid>")
def env_json(eid):
    """Answer {"eid", "windows", "reload", "seq"} for one env, big plots decimated."""
    eid = escape_eid(eid, field="eid", default=None)
    touch(eid)
    return jsonify(content_for_browser(get_store().env_content(eid)))


@bp.get("/api/compare/<path:eids>")
def compare_json(eids):
    """Answer the merged compare view of several envs, big plots decimated
    (?show_all=1: every window too)."""
    show_all = request.args.get("show_all", "").lower() in ("1", "true", "yes")
    return jsonify(content_for_browser(get_store().compare(compare_ids(eids), show_all=show_all)))
