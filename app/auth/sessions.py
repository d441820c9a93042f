"""Who is signed in and for how long: the session cookie, live connections, socket hooks.

- `configure`: the secret key, the session cookie's name, path, lifetime and Secure flag.
- `Auth`: the per-app auth state (accounts, ended logins, the login limiter, live sessions),
  kept in app.extensions["visdom_auth"] and read with `current_auth()`.
- The socket hooks (installed by app.auth.init_app as app.extensions["visdom_socket_*"]):
  a Socket.IO connect is signed in by the session, the login cookie, a Bearer header or
  auth={"token": ...}; every live connection (Socket.IO or /vis_socket) is registered
  with the identity it opened with and closed as soon as that login ends (app.auth.live).
"""

import datetime
import os
import secrets as pysecrets

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user

from ..common import COOKIE
from . import secret, tokens
from .live import LiveSessions


class Auth:
    """Per-app auth state: accounts, ended logins and the login rate limiter."""

    def __init__(self, users, revoked, limiter):
        self.users = users
        self.revoked = revoked
        self.limiter = limiter
        self.live = LiveSessions()


def current_auth():
    """Return the current app's Auth."""
    return current_app.extensions["visdom_auth"]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app):
        return bool(super().get_cookie_secure(app)) or request.is_secure

    # Scripts send no session cookie, and their requests (an append each) are most of the
    # traffic: the two methods below answer those as the parent does, without building a
    # signer or working out the cookie's flags.

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not session and not session.modified:  # sets no cookie: only Vary, if read
            if session.accessed:
                _vary_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_cookie(response):
    """Add Cookie to the response's Vary header (`response.vary` parses and rewrites the
    header each time; most answers have none yet)."""
    if any(key.lower() == "vary" for key, _ in response.headers):
        response.vary.add("Cookie")
    else:
        response.headers.add("Vary", "Cookie")


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


def configure(app):
    """Set the secret key and the session cookie's flags; install the session interface."""
    config = app.config
    config["SECRET_KEY"] = _secret_key(app)
    config.setdefault("SESSION_COOKIE_NAME", "visdom_session")
    if config.get("SESSION_COOKIE_NAME") == "session":
        config["SESSION_COOKIE_NAME"] = "visdom_session"
    config["SESSION_COOKIE_PATH"] = config.get("SESSION_COOKIE_PATH") or config["BASE_URL"] or "/"
    days = config.get("LOGIN_LIFETIME_DAYS", 30)
    config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(days=days)
    app.session_interface = SessionInterface()


# sockets --------------------------------------------------------------------------------------


def socket_auth(auth):
    """Hook for the Socket.IO connect: a signed-in session/cookie/header, or auth["token"]."""
    if not current_app.config.get("ENABLE_LOGIN"):
        return True
    if current_user.is_authenticated:
        return True
    token = auth.get("token") if isinstance(auth, dict) else None
    user = current_auth().users.user_for_token(token) if isinstance(token, str) else None
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
    auth = current_auth()
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
            current_auth().live.add(key, identity, close)


def socket_closed(key):
    """Hook for every live connection that closes."""
    if current_app.config.get("ENABLE_LOGIN"):
        current_auth().live.discard(key)


def end_lost_sessions():
    """Close the live connections whose login ended (right after a logout, and every second)."""
    current_auth().live.sweep(identity_valid)
