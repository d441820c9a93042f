"""Login, accounts, roles and browser safety: the one gate every request passes.

With login on, `gate` (a before_request) lets an anonymous caller reach only the
allow-list below; everything else answers 401 (or, for a browser asking for a page, a
redirect to the login page). A caller is signed in by any of:

- the flask-login session cookie (the login page),
- the upstream-compatible `user_password` cookie (upstream's JSON login; unique per login),
- an API token: `Authorization: Bearer <token>` (HTTP), or Socket.IO `auth={"token": ...}`.

With login on or off, a state-changing request (any method but GET/HEAD/OPTIONS, and any
websocket upgrade) that comes from another web origin is refused (`check_origin`); scripts
send no Origin header and are unaffected. Socket.IO applies the same rule through
Engine.IO's origin callback.
"""

import datetime
import logging
import os
import secrets as pysecrets
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .auth import secret, startup, tokens
from .auth.cli import users_cli
from .auth.live import LiveSessions
from .auth.revoked import open_revoked
from .auth.users import UserStore
from .auth.views import LoginLimiter, login_url, make_blueprint
from .blueprints.errors import error_response
from .common import COOKIE
from .config import redis_url
from .extensions import login_manager, socketio

log = logging.getLogger(__name__)

# Endpoints an anonymous caller may reach when login is on. Nothing else.
PUBLIC_ENDPOINTS = frozenset(
    {"static", "auth.login", "auth.logout", "auth.upstream_login", "envs.healthz", "envs.health"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


class Auth:
    """Per-app auth state: accounts, ended logins and the login rate limiter."""

    def __init__(self, users, revoked, limiter):
        self.users = users
        self.revoked = revoked
        self.limiter = limiter
        self.live = LiveSessions()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app):
        return bool(super().get_cookie_secure(app)) or request.is_secure


def _auth():
    return current_app.extensions["visdom_auth"]


# who is calling ---------------------------------------------------------------------------


def load_session_user(user_id):
    """flask-login user_loader: the session holds "name:fingerprint" and a login id."""
    name, _, fingerprint = str(user_id).rpartition(":")
    auth = _auth()
    user = auth.users.get(name)
    if user is None or not pysecrets.compare_digest(user.fingerprint, fingerprint):
        return None
    login_id = session.get("visdom_login")
    if login_id and auth.revoked.is_revoked(login_id):
        return None
    return user


def load_request_user(req):
    """flask-login request_loader: an API token, else the `user_password` login cookie."""
    if not current_app.config.get("ENABLE_LOGIN"):
        return None
    auth = _auth()
    header = req.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return auth.users.user_for_token(header[7:].strip())
    claims = tokens.read_login_cookie(req.cookies.get(COOKIE))
    if claims is None or auth.revoked.is_revoked(claims["n"]):
        return None
    user = auth.users.get(claims["u"])
    if user is None or not pysecrets.compare_digest(user.fingerprint, claims["f"]):
        return None
    return user


def can_edit():
    """Hook for check_can_edit: viewers may read and subscribe but not change anything."""
    if not current_app.config.get("ENABLE_LOGIN"):
        return True
    return bool(current_user.is_authenticated and current_user.can_edit)


def socket_auth(auth):
    """Hook for the Socket.IO connect: a signed-in session/cookie/header, or auth["token"]."""
    if not current_app.config.get("ENABLE_LOGIN"):
        return True
    if current_user.is_authenticated:
        return True
    token = auth.get("token") if isinstance(auth, dict) else None
    user = _auth().users.user_for_token(token) if isinstance(token, str) else None
    if user is None:
        return False
    login_user(user)  # kept in this socket's own session, for its later events
    return True


def current_identity():
    """Return what the current caller signed in with: account, password fingerprint, logins."""
    if not current_user.is_authenticated:
        return None
    logins = [session.get("visdom_login")]
    claims = tokens.read_login_cookie(request.cookies.get(COOKIE))
    if claims:
        logins.append(claims["n"])
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    return {
        "name": current_user.id,
        "fingerprint": current_user.fingerprint,
        "logins": [login for login in logins if login],
        "token": token,
    }


def identity_valid(identity):
    """True while the account exists with the same password and no login of it has ended."""
    auth = _auth()
    user = auth.users.get(identity["name"])
    if user is None or user.fingerprint != identity["fingerprint"]:
        return False
    if any(auth.revoked.is_revoked(login) for login in identity["logins"]):
        return False
    return not identity["token"] or auth.users.user_for_token(identity["token"]) is not None


def socket_opened(key, close):
    """Hook for every live connection (Socket.IO sid or /vis_socket channel) that opens."""
    if current_app.config.get("ENABLE_LOGIN"):
        identity = current_identity()
        if identity is not None:
            _auth().live.add(key, identity, close)


def socket_closed(key):
    """Hook for every live connection that closes."""
    if current_app.config.get("ENABLE_LOGIN"):
        _auth().live.discard(key)


def end_lost_sessions():
    """Close the live connections whose login ended (right after a logout, and every second)."""
    _auth().live.sweep(identity_valid)


# origins ------------------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def _netloc(scheme, host):
    host = (host or "").strip().lower()
    if ":" in host.rpartition("]")[2]:
        name, _, port = host.rpartition(":")
        if port == _DEFAULT_PORTS.get(scheme):
            host = name
    return host


def origin_allowed(origin, host, config):
    """Return True if a request carrying Origin `origin` may act on the server at `host`.

    Same host (and port) is allowed whatever the scheme; so is any origin listed in
    ALLOWED_ORIGINS. A missing Origin is allowed (scripts); "null" is not.
    """
    if not origin:
        return True
    if "," in origin:  # a header sent twice (websocket-client adds its own): all must pass
        return all(origin_allowed(o, host, config) for o in origin.split(",") if o.strip())
    origin = origin.strip()
    allowed = config.get("ALLOWED_ORIGINS") or ()
    if isinstance(allowed, str):
        allowed = [item.strip() for item in allowed.split(",") if item.strip()]
    if "*" in allowed or origin.rstrip("/") in {a.rstrip("/") for a in allowed}:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    return _netloc(parts.scheme, parts.netloc) == _netloc(parts.scheme, host)


def _changes_state():
    if request.method not in SAFE_METHODS:
        return True
    return request.headers.get("Upgrade", "").lower() == "websocket"


def check_origin():
    """Refuse a state-changing request sent by a page of another origin (W6, CSRF)."""
    if not _changes_state():
        return None
    if request.headers.get("Sec-Fetch-Site") == "cross-site" and not current_app.config.get(
        "ALLOWED_ORIGINS"
    ):
        return error_response("cross-site request refused", 403, "Origin")
    if not origin_allowed(request.headers.get("Origin"), request.host, current_app.config):
        return error_response(
            "cross-origin request refused (add the origin to ALLOWED_ORIGINS to allow it)",
            403,
            "Origin",
        )
    return None


# the gate -------------------------------------------------------------------------------------


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
    if _wants_page():
        return redirect(login_url(request.full_path.rstrip("?")))
    response = error_response("login required", 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="visdom"'
    return response


def add_headers(response):
    """after_request: Content-Security-Policy and friends on every response."""
    config = current_app.config
    headers = response.headers
    csp = config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
    if csp:
        headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if config.get("ENABLE_LOGIN") and response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


# set-up ----------------------------------------------------------------------------------------


def _secret_key(app):
    config = app.config
    if config.get("SECRET_KEY"):
        return config["SECRET_KEY"]
    path = os.path.join(app.instance_path, secret.FILENAME)
    if config.get("ENABLE_LOGIN") or os.path.exists(path):
        force = bool(config.get("FORCE_NEW_COOKIE")) and bool(config.get("ENABLE_LOGIN"))
        return secret.load_or_create(app.instance_path, force, config.get("COOKIE"))
    # Login off and no key yet: nothing signed outlives the process, so do not write one.
    return pysecrets.token_hex(32)


def _configure(app):
    config = app.config
    config["SECRET_KEY"] = _secret_key(app)
    config.setdefault("SESSION_COOKIE_NAME", "visdom_session")
    if config.get("SESSION_COOKIE_NAME") == "session":
        config["SESSION_COOKIE_NAME"] = "visdom_session"
    config["SESSION_COOKIE_PATH"] = config.get("SESSION_COOKIE_PATH") or config["BASE_URL"] or "/"
    days = config.get("LOGIN_LIFETIME_DAYS", 30)
    config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(days=days)
    app.session_interface = SessionInterface()
    if config.get("PROXY_FIX"):
        n = int(config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)


def _accounts(app):
    users = UserStore(startup.users_file(app.config), app.config.get("PASSWORD_HASH_METHOD"))
    if app.config.get("ENABLE_LOGIN"):
        method = app.config.get("PASSWORD_HASH_METHOD")
        user = app.config.get("STARTUP_USER") or startup.from_environ(method=method)
        if user:
            users.add_memory_user(user["name"], user["password_hash"])
        if not users.has_accounts():
            log.warning(
                "login is enabled but no account exists: nobody can sign in. "
                "Add one with `python -m app users add NAME` (accounts file %s).",
                users.path,
            )
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    return Auth(
        users,
        open_revoked(app.instance_path, lifetime, redis_url(app.config)),
        LoginLimiter(int(app.config.get("LOGIN_RATE_LIMIT", 10))),
    )


def init_app(app):
    """Install the gate, login, accounts, secret key, cookie flags, CSP and the users CLI."""
    _configure(app)
    app.extensions["visdom_auth"] = _accounts(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_request_user)
    login_manager.session_protection = "basic"
    base = app.config["BASE_URL"]
    app.register_blueprint(make_blueprint(base), url_prefix=base or None)
    # First of all before_request functions, so nothing runs for a refused caller.
    app.before_request_funcs.setdefault(None, []).insert(0, gate)
    app.after_request(add_headers)
    app.extensions["visdom_can_edit"] = can_edit
    app.extensions["visdom_socket_auth"] = socket_auth
    app.extensions["visdom_socket_opened"] = socket_opened
    app.extensions["visdom_socket_closed"] = socket_closed
    app.extensions["visdom_end_lost_sessions"] = end_lost_sessions
    if app.config.get("ENABLE_LOGIN") and not app.config.get("TESTING"):

        def sweep():
            with app.app_context():
                end_lost_sessions()

        app.extensions["visdom_auth"].live.start(sweep)
    server = getattr(socketio, "server", None)
    if server is not None:
        config = app.config
        server.eio.cors_allowed_origins = lambda origin, environ: origin_allowed(
            origin, environ.get("HTTP_HOST"), config
        )
    app.cli.add_command(users_cli)
