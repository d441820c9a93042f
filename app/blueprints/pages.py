"""The UI pages (env, compare) and plotly.js from the plotly Python package."""

import os

import plotly
from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user

from ..state import escape_eid, get_store
from .envs import compare_ids

bp = Blueprint("pages", __name__)

PLOTLY_JS = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")


def _page(active_env="", compare=()):
    store = get_store()
    config = current_app.config
    user = getattr(current_user, "id", None) if config.get("ENABLE_LOGIN") else None
    role = getattr(current_user, "role", None) if config.get("ENABLE_LOGIN") else "editor"
    page = {
        "base_url": config["BASE_URL"],
        "envs": sorted(store.env_ids()),
        "active_env": active_env,
        "compare": list(compare),
        "readonly": bool(config.get("READONLY")) or role == "viewer",
        "user": user,
        "role": role,
        "login_enabled": bool(config.get("ENABLE_LOGIN")),
        "views": store.views(),
    }
    return render_template("env.html", page=page)


@bp.get("/")
def index():
    """Show the main env."""
    return _page("main")


@bp.get("/env/<path:eid>")
def env_page(eid):
    """Show one env (the URL is shareable)."""
    eid = escape_eid(eid, field="eid", default=None)
    return _page(eid if get_store().has_env(eid) else "")


@bp.get("/compare/<path:eids>")
def compare_page(eids):
    """Show several envs merged."""
    store = get_store()
    return _page(compare=[eid for eid in compare_ids(eids) if store.has_env(eid)])


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """Serve plotly.js from the installed plotly package (no CDN)."""
    if not os.path.exists(PLOTLY_JS):
        abort(404)
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400)
