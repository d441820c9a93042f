"""Login and logout, upstream's JSON login, the polling event channel, and the security
schemes a login-on server asks for."""

from .common import ERROR, error, json_body, json_response, operation, refusals

REDIRECT = {
    "description": "A redirect (to the page asked for, or to the login page).",
    "headers": {"Location": {"schema": {"type": "string"}}},
}
LOGIN_PAGE = {
    "description": "The login page (again, with the error, on a failed login).",
    "content": {"text/html": {"schema": {"type": "string"}}},
}

SECURITY_SCHEMES = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The browser session, set by `POST /login` (the login page).",
    },
    "loginCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "user_password",
        "description": "Upstream's login cookie, set by `POST /` (the Python clients' login) "
        "and by `POST /login`.",
    },
    "token": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`python -m app users token NAME`).",
    },
}
SECURITY = [{"session": []}, {"loginCookie": []}, {"token": []}]


def _login_page_op(endpoint, summary, method_statuses):
    return operation(endpoint, "auth", summary, security=[], responses=method_statuses)


def paths():
    """Return the path items of login, logout, upstream login and /vis_socket_wrap."""
    form = {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "next": {"type": "string"},
                    },
                    "required": ["username", "password"],
                }
            }
        },
    }
    return {
        "/login": {
            "get": _login_page_op(
                "auth.login",
                "The login page (a redirect home when login is off or already signed in)",
                {200: LOGIN_PAGE, 302: REDIRECT},
            ),
            "post": _login_page_op(
                "auth.login",
                "Sign in with the login form",
                {
                    303: REDIRECT,
                    302: REDIRECT,
                    401: LOGIN_PAGE,
                    429: LOGIN_PAGE,
                    413: error(413),
                },
            )
            | {"requestBody": form},
        },
        "/logout": {
            method: _login_page_op("auth.logout", "Sign out", {302: REDIRECT})
            for method in ("get", "post")
        },
        "/": {
            "post": operation(
                "auth.upstream_login",
                "auth",
                "Upstream's login (the Python clients'); any unknown path takes it too",
                description="`password` is the hex SHA-256 of the password. On success, "
                "the `user_password` cookie. Bad credentials answer 400 (the upstream "
                "client only checks for 200), as does a server with login off.",
                security=[],
                requestBody=json_body(
                    {"username": {"type": "string"}, "password": {"type": "string"}},
                    required=["username", "password"],
                ),
                responses={
                    200: json_response(
                        "Signed in.",
                        {
                            "type": "object",
                            "required": ["user", "role"],
                            "properties": {"user": {"type": "string"}, "role": {"type": "string"}},
                        },
                    ),
                    **refusals(400, 413),
                    429: {
                        "description": "Too many failed logins; `Retry-After` says when.",
                        "content": {"application/json": {"schema": ERROR}},
                    },
                },
            )
        },
        "/vis_socket_wrap": {
            "post": operation(
                "vis_socket.vis_socket_wrap",
                "events",
                "The Python client's polling event channel",
                description="No `sid`: open a channel (`alive` is queued). `message_type: "
                "query` drains the channel's messages (JSON strings, oldest first); `send` "
                "with `message` echoes a `cmd: echo` frame to every upstream client.",
                requestBody=json_body(
                    {
                        "sid": {"type": "string"},
                        "message_type": {"enum": ["init", "query", "send"]},
                        "message": {"type": ["string", "object"]},
                    }
                ),
                responses={
                    200: json_response(
                        "`success` false with `reason` (closed, no msg, invalid) when refused.",
                        {
                            "type": "object",
                            "required": ["success"],
                            "properties": {
                                "success": {"type": "boolean"},
                                "sid": {"type": "string"},
                                "messages": {"type": "array", "items": {"type": "string"}},
                                "reason": {"enum": ["closed", "no msg", "invalid"]},
                            },
                        },
                    ),
                    **refusals(400, 413),
                },
            )
        },
    }
