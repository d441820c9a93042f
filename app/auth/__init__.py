"""Login, accounts, roles and browser safety: everything about who may do what.

The folder, by concern:

- `access.py`   may this request change anything? `may_edit()` / `check_can_edit()`: the one
                answer that routes, services, socket handlers and page templates use.
- `gate.py`     the before_request gate (origin check, then login required except for
                PUBLIC_ENDPOINTS) and flask-login's session and request user loaders.
- `headers.py`  Content-Security-Policy and the other response headers; the cross-origin
                check for state-changing requests and websocket upgrades.
- `sessions.py` the session cookie and secret key, the per-app `Auth` state, and the
                socket hooks (sign a socket in, close it when its login ends).
- `views.py`    the login page, logout and upstream's JSON login; the login rate limiter.
- `users.py`    accounts and API tokens (users.json); `tokens.py` the login cookie;
                `revoked.py` logins ended by logout; `live.py` open connections per login;
                `secret.py`, `files.py` the instance-folder files; `startup.py` the account
                given on the command line or in VISDOM_* variables; `cli.py` `python -m app
                users`.

`init_app` below wires it into the app. The package imports only the bottom modules
(app.common, app.extensions) so that services, sockets and views may all use it.
"""

import logging

from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import redis_url
from ..extensions import login_manager, socketio
from . import sessions, startup
from .cli import users_cli
from .gate import gate, load_request_user, load_session_user
from .headers import add_headers, origin_allowed
from .revoked import open_revoked
from .users import UserStore
from .views import LoginLimiter, make_blueprint

log = logging.getLogger(__name__)


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
    return sessions.Auth(
        users,
        open_revoked(app.instance_path, lifetime, redis_url(app.config)),
        LoginLimiter(int(app.config.get("LOGIN_RATE_LIMIT", 10))),
    )


def init_app(app):
    """Install the gate, login, accounts, secret key, cookie flags, CSP and the users CLI.

    With a Redis STORE, ended logins are kept in that Redis (every process sees them).
    """
    sessions.configure(app)
    if app.config.get("PROXY_FIX"):
        n = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
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
    app.extensions["visdom_socket_auth"] = sessions.socket_auth
    app.extensions["visdom_socket_opened"] = sessions.socket_opened
    app.extensions["visdom_socket_closed"] = sessions.socket_closed
    app.extensions["visdom_end_lost_sessions"] = sessions.end_lost_sessions
    if app.config.get("ENABLE_LOGIN") and not app.config.get("TESTING"):

        def sweep():
            with app.app_context():
                sessions.end_lost_sessions()

        app.extensions["visdom_auth"].live.start(sweep)
    server = getattr(socketio, "server", None)
    if server is not None:
        config = app.config
        server.eio.cors_allowed_origins = lambda origin, environ: origin_allowed(
            origin, environ.get("HTTP_HOST"), config
        )
    app.cli.add_command(users_cli)
