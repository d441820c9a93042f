"""Export an env as one standalone HTML file that opens offline (visdom 0.3.0's "export").

Upstream's export loads plotly.js from a CDN; ours embeds everything the file needs:
plotly.js (from the plotly package), our stylesheet, the env's windows as strict JSON and
the UI's own pane modules (DOMPurify included), so the file draws the windows exactly as
the page does, from disk, with no network. The file is opened from disk, outside our
Content-Security-Policy, so its scripts are inline (as base64 data: URLs, which no text
inside them can break out of).
"""

import base64
import functools
import os
import re
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, render_template
from markupsafe import Markup

from ..common import VisdomError
from ..jsonio import strict_dumps
from ..state import escape_eid, get_store
from .pages import PLOTLY_JS

bp = Blueprint("export", __name__)

RENDERER = "js/export/standalone.js"
STYLESHEET = "css/visdom.css"
_IMPORT = re.compile(r"""(\bfrom\s+|\bimport\s+)(['"])(\.{1,2}/[^'"]+)\2""")
# Script-safe JSON: no "<", ">" or "&" can end the <script> element or open a comment.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _data_url(text):
    return "data:text/javascript;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _module_url(path, static, memo):
    """Return `path` (a static ES module) as a data: URL, its relative imports inlined too."""
    if path in memo:
        return memo[path]
    with open(path, encoding="utf-8") as f:
        source = f.read()

    def inline(match):
        target = os.path.normpath(os.path.join(os.path.dirname(path), match.group(3)))
        if os.path.commonpath([target, static]) != static or not os.path.isfile(target):
            raise FileNotFoundError(f"{path} imports {match.group(3)}: not a static file")
        return (
            f"{match.group(1)}{match.group(2)}{_module_url(target, static, memo)}{match.group(2)}"
        )

    memo[path] = _data_url(_IMPORT.sub(inline, source))
    return memo[path]


@functools.lru_cache(maxsize=2)
def _plotly_url(path, _mtime):
    with open(path, "rb") as f:
        return "data:text/javascript;base64," + base64.b64encode(f.read()).decode("ascii")


def _script_json(obj):
    text = strict_dumps(obj)
    for char, escaped in _UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(text)


@bp.get("/export/<path:eid>.html")
def export_env(eid):
    """Answer env `eid` as a standalone HTML file (a download)."""
    eid = escape_eid(eid, field="eid", default=None)
    store = get_store()
    if not store.has_env(eid):
        raise VisdomError(f"there is no env {eid!r}", "eid", status=404)
    content = store.env_content(eid)
    static = os.path.abspath(current_app.static_folder)
    with open(os.path.join(static, STYLESHEET), encoding="utf-8") as f:
        css = f.read()
    if "</" in css:
        raise RuntimeError(f"{STYLESHEET} cannot be inlined in a <style> element")
    data = {
        "eid": eid,
        "windows": content["windows"],
        "reload": content["reload"],
        "exported": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    html = render_template(
        "export.html",
        eid=eid,
        exported=data["exported"],
        css=Markup(css),
        data=_script_json(data),
        plotly=_plotly_url(PLOTLY_JS, os.path.getmtime(PLOTLY_JS)),
        renderer=_module_url(os.path.join(static, RENDERER), static, {}),
    )
    response = Response(html, mimetype="text/html")
    stem = re.sub(r"[^\w.-]+", "_", eid).strip("._") or "visdom"
    response.headers.set("Content-Disposition", "attachment", filename=f"{stem}.html")
    response.headers["Cache-Control"] = "no-store"
    return response
