"""Helpers shared by the API views."""

import functools

from flask import current_app, request

from ..sockets.clients import COOKIE
from ..state import escape_eid
from .errors import ApiError


def request_eid(body, key="eid", default="main"):
    """Return the escaped env id in body[key] (upstream: null or missing means main)."""
    return escape_eid(body.get(key), field=key, default=default)


def touch(eid):
    """Remember that this client session used `eid`, for callback delivery."""
    current_app.extensions["visdom_clients"].touch(request.cookies.get(COOKIE), eid)


def mutating(view):
    """Refuse the view when the server is readonly or the user may not edit."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        check_can_edit()
        return view(*args, **kwargs)

    wrapper.visdom_mutating = True
    return wrapper


def check_can_edit():
    """Raise a 403 ApiError when the current caller may not change anything."""
    if current_app.config.get("READONLY"):
        raise ApiError("the server is readonly: changes are refused", None, 403)
    hook = current_app.extensions.get("visdom_can_edit")
    if hook is not None and not hook():
        raise ApiError("your account may view but not change anything", None, 403)


def text(value):
    """Return a plain-text response (upstream clients read the body literally)."""
    return current_app.response_class(value, mimetype="text/plain")
