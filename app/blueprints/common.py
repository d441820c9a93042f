"""Helpers shared by the API views."""

import functools

from flask import current_app, jsonify, request

from ..common import COOKIE, VisdomError
from ..jsonio import lenient_dumps
from ..services.access import check_can_edit
from ..state import escape_eid


def request_eid(body, key="eid", default="main"):
    """Return the escaped env id in body[key] (upstream: null or missing means main)."""
    return escape_eid(body.get(key), field=key, default=default)


def touch(eid):
    """Remember that this client session used `eid`, for callback delivery."""
    current_app.extensions["visdom_clients"].touch(request.cookies.get(COOKIE), eid)


def mutating(view):
    """Refuse the view at once when the server is readonly or the user may not edit.

    The service functions check again; the mark lets a test prove that every route
    that changes something is gated.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        check_can_edit()
        return view(*args, **kwargs)

    wrapper.visdom_mutating = True
    return wrapper


def text(value):
    """Return a plain-text response (upstream clients read the body literally)."""
    return current_app.response_class(value, mimetype="text/plain")


def lenient_json(value):
    """Return JSON in upstream's form (NaN/Infinity tokens kept) for Python clients."""
    return current_app.response_class(lenient_dumps(value), mimetype="application/json")


def refuse(message, status, field=None):
    """Return 0.3.0's JSON refusal {"success": false, "error"} (plus our status/field)."""
    response = jsonify(dict(VisdomError(message, field, status).to_dict(), success=False))
    response.status_code = status
    return response
