"""Saved views (window layouts), stored in <env_path>/view/layouts.json."""

from flask import Blueprint, current_app, jsonify

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


@bp.get("/user/style.css")
def user_css():
    """Serve the user's CSS: <config dir>/visdom/style.css then <env_path>/style.css."""
    return current_app.response_class(get_store().user_css(), mimetype="text/css")
