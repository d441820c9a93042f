"""The OpenAPI 3.1 document of the HTTP API, built in Python.

One module per area (windows, envs, runs, alerts, ui, auth) returns its path items; `build_spec` puts
them together with the shared schemas (common.py) for one server's settings: its
base_url becomes the server URL, and with login on every operation but the public ones
asks for a session, the login cookie or an API token and may answer 401.

Served at {base_url}/api/openapi.json (app.blueprints.openapi), rendered to docs/api.md
by scripts/openapi_md.py, and fuzzed against a live server by tests/schema.
"""

import copy

from ..version import __version__
from . import alerts, auth, envs, runs, ui, windows
from .common import SCHEMAS

OPENAPI = "3.1.0"
TAGS = [
    ("windows", "Upstream visdom's window endpoints (the Python clients use them)."),
    ("envs", "Envs: list, save, fork, delete, upload, read, compare, export."),
    ("plots", "A plot's points for drawing and for download."),
    ("views", "Saved window layouts."),
    ("experiments", "Upstream 0.3.0's experiment log and the runs table's data."),
    ("alerts", "Watching runs: heartbeats, alert rules, fired alerts."),
    ("events", "The Python client's polling event channel."),
    ("auth", "Login and logout."),
    ("pages", "The browser UI's pages and files."),
    ("server", "Health checks and this document."),
]
DESCRIPTION = """\
The HTTP API of the visdom-compatible server: upstream visdom's endpoints (0.2.4 and
0.3.0), which its Python clients use, and this server's own (`/api/*`).

Every request body is read as JSON whatever its Content-Type (upstream clients send none),
and may use the NaN and Infinity tokens. Answers to upstream's endpoints keep upstream's
forms (plain text ids, `true`/`false`); `/api/*` answers are strict JSON (NaN and ±Inf
become null). Every refusal is a JSON object `{"error", "status", "field"}` naming the
request field to blame; a few upstream refusals that clients read literally are plain
text. The browsers' live channel is Socket.IO at `/socket.io` and the Python client's
is the websocket `/vis_socket`; their messages are in docs/socket-protocol.md.
"""
UNAUTHORIZED = {
    "description": "Login is on and the caller is not signed in.",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
METHODS = ("get", "put", "post", "delete", "patch")  # in the order docs/api.md lists them


def build_spec(base_url="", login=False, version=__version__):
    """Return the OpenAPI document (a dict) of a server at `base_url` with login on or off."""
    paths = {}
    areas = (
        windows.paths(),
        envs.paths(),
        runs.paths(),
        alerts.paths(),
        ui.data_paths(),
        ui.page_paths(),
        auth.paths(),
    )
    for area in areas:
        for path, item in area.items():
            paths.setdefault(path, {}).update(copy.deepcopy(item))
    for item in paths.values():
        for method in METHODS:
            if method in item:
                op = item[method]
                endpoint = op["x-endpoint"].replace(".", "_")
                item[method] = {"operationId": f"{method}_{endpoint}", **op}
    spec = {
        "openapi": OPENAPI,
        "info": {
            "title": "visdom (Flask) HTTP API",
            "version": version,
            "description": DESCRIPTION,
        },
        "servers": [{"url": base_url or "/"}],
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
    if login:
        _require_login(spec)
    return spec


def _require_login(spec):
    """Ask every non-public operation for a login, and let it answer 401; pages may also
    redirect a browser to the login page."""
    spec["components"]["securitySchemes"] = copy.deepcopy(auth.SECURITY_SCHEMES)
    spec["security"] = copy.deepcopy(auth.SECURITY)
    for item in spec["paths"].values():
        for method in METHODS:
            op = item.get(method)
            if op is None or op.get("security") == []:
                continue
            op["responses"]["401"] = copy.deepcopy(UNAUTHORIZED)
            if "pages" in op["tags"] and method == "get":
                op["responses"]["302"] = copy.deepcopy(auth.REDIRECT)
            op["responses"] = dict(sorted(op["responses"].items()))
