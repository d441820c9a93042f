"""Helpers shared by the API views."""

import functools
import math

from flask import current_app, jsonify, request
from flask_login import current_user

from ..auth.access import READONLY, check_can_edit, edit_refusal, may_edit
from ..common import COOKIE, VisdomError
from ..jsonio import lenient_dumps
from ..state import escape_eid


def request_eid(body, key="eid", default="main"):
    """Return the escaped env id in body[key] (upstream: null or missing means main)."""
    return escape_eid(body.get(key), field=key, default=default)


def touch(eid):
    """Remember that this client session used `eid`, for callback delivery."""
    current_app.extensions["visdom_clients"].touch(request.cookies.get(COOKIE), eid)


def mutating(view=None, *, readonly=None):
    """Refuse the view at once when the caller may not edit (app.auth.access).

    `readonly`: for 0.3.0's own routes, the message a readonly server answers with, in
    0.3.0's refusal shape (`refuse`). The service functions check again; the mark lets a
    test prove that every route that changes something is gated.
    """
    if view is None:
        return functools.partial(mutating, readonly=readonly)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if readonly is not None and edit_refusal() == READONLY:
            return refuse(readonly, 403)
        check_can_edit()
        return view(*args, **kwargs)

    wrapper.visdom_mutating = True
    return wrapper


def text(value):
    """Return a plain-text response (upstream clients read the body literally)."""
    # The full content type, so the response need not work out the charset each time.
    return current_app.response_class(value, content_type="text/plain; charset=utf-8")


def lenient_json(value):
    """Return JSON in upstream's form (NaN/Infinity tokens kept) for Python clients."""
    return current_app.response_class(lenient_dumps(value), mimetype="application/json")


def refuse(message, status, field=None):
    """Return 0.3.0's JSON refusal {"success": false, "error"} (plus our status/field)."""
    response = jsonify(dict(VisdomError(message, field, status).to_dict(), success=False))
    response.status_code = status
    return response


def caller_page_data():
    """Return the page fields about the caller: `user` (login on), `login_enabled`, and
    `readonly`, from which the page hides its editing controls (app.auth.access)."""
    login = bool(current_app.config.get("ENABLE_LOGIN"))
    return {
        "readonly": not may_edit(),
        "user": getattr(current_user, "id", None) if login else None,
        "login_enabled": login,
    }


def query_number(name):
    """Return query argument `name` as a finite float, or None when absent or empty."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise VisdomError(f"'{name}' must be a number, got {raw!r}", name) from None
    if not math.isfinite(value):
        raise VisdomError(f"'{name}' must be a finite number, got {raw!r}", name)
    return value


def query_pixels(limit=None):
    """Return query argument `px` as a whole number of pixels (at most `limit`), or None."""
    raw = request.args.get("px", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1 or (limit is not None and int(raw) > limit):
        upto = f" from 1 to {limit}" if limit is not None else ""
        raise VisdomError(f"'px' must be a whole number of pixels{upto}, got {raw!r}", "px")
    return int(raw)
