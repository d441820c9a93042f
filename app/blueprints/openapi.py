"""GET {base_url}/api/openapi.json: the OpenAPI 3.1 document of this server's HTTP API.

Public, like /health: it holds no data (the code it describes is public too), and a
client needs it to learn how to sign in (its securitySchemes) before it has a login.
"""

import functools

from flask import Blueprint, current_app, jsonify

from ..api_spec import build_spec

bp = Blueprint("openapi", __name__)


@functools.lru_cache(maxsize=8)
def _spec(base_url, login):
    return build_spec(base_url, login)


@bp.get("/api/openapi.json")
def openapi_json():
    """Answer the document for this server's base_url and login setting."""
    config = current_app.config
    return jsonify(_spec(config["BASE_URL"], bool(config.get("ENABLE_LOGIN"))))
