"""Saved views (window layouts), stored in <env_path>/view/layouts.json."""

import hashlib

from flask import Blueprint, current_app, jsonify, request, url_for

from ..assets import IMMUTABLE
from ..common import parse_body
from ..services.envs import set_views
from ..state import get_store
from .common import mutating

bp = Blueprint("views", __name__)


@bp.get("/api/views")
def list_views():
    """Answer the views object {env: {view: {win: [order, h, w]}}}."""
    return jsonify(get_store().views())


@bp.post("/api/views")
@mutating
def save_views():
    """Replace the views object with body["views"] and tell every browser."""
    return jsonify(set_views(parse_body().get("views")))


def _css_version(css):
    return hashlib.sha256(css.encode("utf-8")).hexdigest()[:12]


@bp.app_context_processor
def _user_css_url():
    # The pages link the user's CSS by the hash of its content (?v=...), cached for good
    # like the static files: a repeat visit does not wait on it (a stylesheet in the head
    # holds the page's scripts back), and an edited file makes a new URL.
    return {
        "user_css_url": lambda: url_for("views.user_css", v=_css_version(get_store().user_css()))
    }


@bp.get("/user/style.css")
def user_css():
    """Serve the user's CSS: <config dir>/visdom/style.css then <env_path>/style.css."""
    css = get_store().user_css()
    response = current_app.response_class(css, mimetype="text/css")
    current = request.args.get("v") == _css_version(css)
    response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
    return response
