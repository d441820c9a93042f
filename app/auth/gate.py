"""The one gate every request passes, and who the caller is.

`gate` (the first before_request) runs the origin check (app.auth.headers); then, with
login on, lets an anonymous caller reach only PUBLIC_ENDPOINTS: everything else answers
401 (or, for a browser asking for a page, a redirect to the login page); 503 naming Redis
when the login could not be checked because Redis (STORE=redis://) is away. A caller is
signed in by any of (flask-login's loaders below):

- the flask-login session cookie (the login page),
- the upstream-compatible `user_password` cookie (upstream's JSON login; unique per login),
- an API token: `Authorization: Bearer <token>` (HTTP), or Socket.IO `auth={"token": ...}`
  (app.auth.sessions.socket_auth).

tests/api/test_auth_gate.py walks app.url_map so that no new route escapes the gate.
"""

import secrets as pysecrets

from flask import current_app, g, redirect, request, session
from flask_login import current_user

from ..common import COOKIE, error_response
from ..state.redis_conn import UNREACHABLE
from . import tokens
from .headers import check_origin
from .sessions import current_auth
from .views import login_url

# Endpoints an anonymous caller may reach when login is on. Nothing else.
# The OpenAPI document is public too: it holds no data, and a client reads it to learn
# how to sign in.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.login",
        "auth.logout",
        "auth.upstream_login",
        "envs.healthz",
        "envs.health",
        "openapi.openapi_json",
    }
)


def load_session_user(user_id):
    """flask-login user_loader: the session holds "name:fingerprint" and a login id."""
    name, _, fingerprint = str(user_id).rpartition(":")
    auth = current_auth()
    user = auth.users.get(name)
    if user is None or not pysecrets.compare_digest(user.fingerprint, fingerprint):
        return None
    login_id = session.get("visdom_login")
    if login_id and _revoked(auth, login_id):
        return None
    return user


def _revoked(auth, login_id):
    """Whether a login has ended. Redis (the revoked set of several processes) away: yes,
    fail closed, and gate() answers the request 503 naming Redis instead of 401."""
    try:
        return auth.revoked.lookup(login_id)
    except UNREACHABLE as exc:
        g.visdom_login_unknown = exc
        return True
    except Exception:  # noqa: BLE001 - fail closed
        return True


def load_request_user(req):
    """flask-login request_loader: an API token, else the `user_password` login cookie."""
    if not current_app.config.get("ENABLE_LOGIN"):
        return None
    auth = current_auth()
    header = req.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return auth.users.user_for_token(header[7:].strip())
    claims = tokens.read_login_cookie(req.cookies.get(COOKIE))
    if claims is None or _revoked(auth, claims["n"]):
        return None
    user = auth.users.get(claims["u"])
    if user is None or not pysecrets.compare_digest(user.fingerprint, claims["f"]):
        return None
    return user


def _wants_page():
    if request.method != "GET":
        return False
    accept = request.accept_mimetypes
    listed = any(value == "text/html" for value, _ in accept)
    return listed and accept.best_match(["application/json", "text/html"]) == "text/html"


def gate():
    """before_request: origin check, then (login on) only signed-in callers pass."""
    refused = check_origin()
    if refused is not None:
        return refused
    if not current_app.config.get("ENABLE_LOGIN"):
        return None
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    unknown = g.pop("visdom_login_unknown", None)
    if unknown is not None:
        raise unknown  # a 503 naming Redis (app/blueprints/errors.py), for pages too
    if _wants_page():
        return redirect(login_url(request.full_path.rstrip("?")))
    response = error_response("login required", 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="visdom"'
    return response
