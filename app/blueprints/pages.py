"""The UI pages (env, compare, one window) and plotly.js from the plotly Python package."""

import os

import plotly
from flask import Blueprint, abort, current_app, make_response, render_template, send_file, url_for
from flask_login import current_user

from ..auth.headers import DEFAULT_CSP
from ..state import escape_eid, get_store
from .common import caller_page_data
from .envs import compare_ids

bp = Blueprint("pages", __name__)

PLOTLY_JS = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")

# Who may show the env and window pages in a frame (a notebook's <iframe>, `vis.show()`):
# this server and pages served from this machine on any port (Jupyter, VS Code). Other
# pages keep `frame-ancestors 'self'`. Setting EMBED_FRAME_ANCESTORS replaces the list.
EMBED_FRAME_ANCESTORS = (
    "'self' http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:* "
    "vscode-webview:"
)


def _page_data(active_env="", compare=()):
    store = get_store()
    config = current_app.config
    # The env's windows are read over HTTP: the page preloads them (base.html), so they
    # travel while its modules load (app/static/js/workspace/join.js).
    env_data = ""
    if active_env and not compare and store.has_env(active_env):
        env_data = url_for("envs.env_json", eid=active_env)
    return {
        "base_url": config["BASE_URL"],
        "envs": sorted(store.env_ids()),
        "active_env": active_env,
        "env_data": env_data,
        "compare": list(compare),
        **caller_page_data(),
        "role": getattr(current_user, "role", None) if config.get("ENABLE_LOGIN") else "editor",
        "views": store.views(),
    }


def embeddable(body):
    """A page response that the embed allow-list may frame (CSP frame-ancestors).

    Browsers ignore X-Frame-Options when the CSP has frame-ancestors, so only the CSP
    directive is replaced; the rest of the policy stays as configured.
    """
    config = current_app.config
    response = make_response(body)
    csp = config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
    if not csp:
        return response
    ancestors = config.get("EMBED_FRAME_ANCESTORS") or EMBED_FRAME_ANCESTORS
    kept = [d.strip() for d in csp.split(";") if d.strip()]
    kept = [d for d in kept if d.split()[0].lower() != "frame-ancestors"]
    response.headers["Content-Security-Policy"] = "; ".join([*kept, "frame-ancestors " + ancestors])
    return response


def _page(active_env="", compare=()):
    return embeddable(render_template("env.html", page=_page_data(active_env, compare)))


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


@bp.get("/window/<eid>/<path:win>")
def window_page(eid, win):
    """Show one window of an env alone on the page, live (a notebook embeds it)."""
    eid = escape_eid(eid, field="eid", default=None)
    page = _page_data(eid)
    page["win"] = win
    page.pop("views")
    page.pop("envs")
    return embeddable(render_template("window.html", page=page))


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """Serve plotly.js from the installed plotly package (no CDN)."""
    if not os.path.exists(PLOTLY_JS):
        abort(404)
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400)
