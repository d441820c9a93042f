"""Login and logout: the browser login page, and upstream's JSON login on the bare base URL."""

import json
import secrets
import time
from urllib.parse import quote, urlsplit

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import current_user, login_user, logout_user

from ..common import COOKIE, error_response, read_body, read_form
from . import tokens
from .sessions import current_auth
from .users import login_secret

MAX_LOGIN_BODY = 16 * 1024


def login_url(next_path=None):
    base = current_app.config["BASE_URL"]
    url = base + "/login"
    if next_path:
        url += "?next=" + quote(next_path, safe="/")
    return url


def safe_next(value):
    """Return `value` if it is a path on this server under base_url, else the base URL."""
    base = current_app.config["BASE_URL"]
    home = base + "/"
    if not isinstance(value, str) or not value:
        return home
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return home
    if "\\" in value or not (value == base or value.startswith(home)):
        return home
    return value


def _client_address():
    return request.remote_addr or "unknown"


def _check_attempt(username, secret):
    """Return (user, None) on success, else (None, (message, status))."""
    limiter = current_auth().limiter
    address = _client_address()
    wait = limiter.wait(address)
    if wait:
        return None, (f"too many failed logins: try again in {wait} seconds", 429)
    user = current_auth().users.verify(username, secret) if username and secret else None
    if user is None:
        limiter.failed(address)
        return None, ("invalid username or password", 401)
    limiter.reset(address)
    return user, None


def _start_login(user, response, browser):
    """Sign `user` in: a session for browsers, the upstream-compatible login cookie for all."""
    login_id = secrets.token_urlsafe(16)
    if browser:
        session.clear()
        login_user(user)
        session.permanent = True
        session["visdom_login"] = login_id
    cookie = tokens.login_cookie(user, login_id)
    config = current_app.config
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds()),
        path=config["BASE_URL"] or "/",
        secure=bool(config.get("SESSION_COOKIE_SECURE")) or request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


def _too_big():
    return (request.content_length or 0) > MAX_LOGIN_BODY


def make_blueprint(base):
    """Build the auth blueprint; upstream's login also answers POST {base} and unknown paths."""
    bp = Blueprint("auth", __name__)

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        """Show the login page, or sign in with the posted form."""
        if not current_app.config.get("ENABLE_LOGIN"):
            return redirect(current_app.config["BASE_URL"] + "/")
        if request.method == "POST" and not _too_big():
            read_form()  # a body that cannot be read is a 400, before anything reads it
        next_path = safe_next(request.values.get("next"))
        if request.method == "GET":
            if current_user.is_authenticated:
                return redirect(next_path)
            return render_template("login.html", next=next_path, error=None)
        if _too_big():
            return error_response("login request too large", 413)
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user, error = _check_attempt(username, login_secret(password, prehashed=False))
        if error:
            page = render_template("login.html", next=next_path, error=error[0], username=username)
            response = current_app.response_class(page, status=error[1])
            if error[1] == 429:
                response.headers["Retry-After"] = str(
                    current_auth().limiter.wait(_client_address())
                )
            return response
        return _start_login(user, redirect(next_path, code=303), browser=True)

    @bp.route("/logout", methods=["GET", "POST"])
    def logout():
        """End the session and the login cookie, then show the login page."""
        revoked = current_auth().revoked
        revoked.revoke(session.get("visdom_login"))
        claims = tokens.read_login_cookie(request.cookies.get(COOKIE))
        if claims:
            revoked.revoke(claims.get("n"))
        logout_user()
        session.clear()
        end = current_app.extensions.get("visdom_end_lost_sessions")
        if end is not None:
            end()  # this user's open sockets close now, not at their next request
        enabled = current_app.config.get("ENABLE_LOGIN")
        response = redirect(login_url() if enabled else current_app.config["BASE_URL"] + "/")
        response.delete_cookie(COOKIE, path=current_app.config["BASE_URL"] or "/")
        return response

    def upstream_login(_path=None):
        """Upstream's login: POST {"username", "password": sha256hex(password)} as JSON.

        200 and the `user_password` cookie on success, 400 on bad credentials (the upstream
        client only checks for 200), 429 when rate-limited.
        """
        if not current_app.config.get("ENABLE_LOGIN"):
            return error_response("login is not enabled on this server", 400)
        if _too_big():
            return error_response("login request too large", 413)
        try:
            body = json.loads(read_body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return error_response("expected a JSON object with username and password", 400)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            return error_response("'username' and 'password' must be strings", 400, "username")
        user, error = _check_attempt(username, login_secret(password, prehashed=True))
        if error:
            status = 400 if error[1] == 401 else error[1]
            response = error_response(error[0], status)
            if status == 429:
                response.headers["Retry-After"] = str(
                    current_auth().limiter.wait(_client_address())
                )
            return response
        return _start_login(user, jsonify({"user": user.id, "role": user.role}), browser=False)

    rules = ["/", "/<path:_path>"] if not base else ["", "/", "/<path:_path>"]
    for rule in rules:
        bp.add_url_rule(rule, "upstream_login", upstream_login, methods=["POST"])
    return bp


class LoginLimiter:
    """At most `limit` failed logins per minute from one address (sliding window)."""

    WINDOW = 60.0

    def __init__(self, limit):
        self.limit = limit
        self._failures = {}  # address -> [timestamps]

    def _recent(self, address, now):
        stamps = [t for t in self._failures.get(address, ()) if now - t < self.WINDOW]
        if stamps:
            self._failures[address] = stamps
        else:
            self._failures.pop(address, None)
        return stamps

    def wait(self, address):
        """Return the seconds to wait before the next attempt (0: allowed now)."""
        if self.limit <= 0:
            return 0
        now = time.monotonic()
        stamps = self._recent(address, now)
        if len(stamps) < self.limit:
            return 0
        return max(1, int(self.WINDOW - (now - stamps[-self.limit])) + 1)

    def failed(self, address):
        now = time.monotonic()
        if len(self._failures) > 10000:  # bound memory under a spray of addresses
            for key in list(self._failures):
                self._recent(key, now)
        self._failures.setdefault(address, []).append(now)

    def reset(self, address):
        self._failures.pop(address, None)
