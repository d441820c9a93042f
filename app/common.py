"""The bottom of the tree: the one error type and its JSON answer, body parsing, shared names.

Every layer may import this module; it imports nothing from the app.
"""

import json

from flask import jsonify, request

# The cookie that identifies an upstream client session (upstream's name for it).
COOKIE = "user_password"


class VisdomError(ValueError):
    """A request the server refuses: `field` names the request field, `status` the HTTP code.

    `plain` marks refusals that upstream clients read literally ("win does not exist"):
    those are answered as plain text rather than the JSON error object.
    """

    def __init__(self, message, field=None, status=400, plain=False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.plain = plain

    def to_dict(self):
        """Return the JSON error shape {"error", "field", "status"} (field when known)."""
        body = {"error": self.message, "status": self.status}
        if self.field is not None:
            body["field"] = self.field
        return body


def error_response(message, status, field=None):
    """Return the JSON error response: {"error", "field", "status"}."""
    response = jsonify(VisdomError(message, field, status).to_dict())
    response.status_code = status
    return response


def parse_json_body(raw):
    """Return a request body (bytes or str) as a JSON object; {} when empty.

    Upstream clients send JSON without a JSON content type and may use the NaN and
    Infinity tokens, so the body is decoded with Python's lenient parser.
    """
    if not raw or not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise VisdomError(f"request body is not valid JSON: {exc}", "body") from None
    if not isinstance(body, dict):
        raise VisdomError("request body must be a JSON object", "body")
    return body


try:  # the production server's body parser errors (absent under another WSGI server)
    from gunicorn.http.errors import ParseException
except ImportError:  # pragma: no cover - gunicorn is a runtime requirement
    ParseException = ValueError

# What reading a request body raises when the client sends a broken one: a bad chunked
# encoding (gunicorn's ParseException, eventlet's ValueError) or a connection lost
# mid-body (OSError).
UNREADABLE = (OSError, ValueError, ParseException)


def _unreadable(exc):
    return VisdomError(f"the request body could not be read: {exc}", "body")


def read_body():
    """Return the current request's raw body (cached); 400 ("body") when unreadable."""
    try:
        return request.get_data(cache=True)
    except UNREADABLE as exc:
        raise _unreadable(exc) from None


def read_form():
    """Parse the current request's form and files; 400 ("body") when unreadable."""
    try:
        return request.form, request.files
    except UNREADABLE as exc:
        raise _unreadable(exc) from None


def parse_body():
    """Return the current request's body as a JSON object, whatever the content type."""
    return parse_json_body(read_body())
