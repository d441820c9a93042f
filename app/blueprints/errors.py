"""One JSON error shape for every API failure."""

import logging

from flask import Blueprint, current_app, request
from redis import RedisError
from werkzeug.exceptions import HTTPException

from ..common import VisdomError, error_response
from ..state.redis_conn import UNREACHABLE, unreachable

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)


@bp.app_errorhandler(VisdomError)
def handle_api_error(exc):
    if exc.plain:
        return current_app.response_class(exc.message, status=exc.status, mimetype="text/plain")
    return error_response(exc.message, exc.status, exc.field)


@bp.app_errorhandler(HTTPException)
def handle_http_error(exc):
    if exc.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return error_response(
            f"request body is larger than the limit of {limit} bytes", 413, "body"
        )
    if exc.code == 405 and _only_the_login_catch_all():
        return error_response(f"no such page: {request.path}", 404)
    response = error_response(exc.description or exc.name, exc.code or 500)
    for key, value in exc.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def _only_the_login_catch_all():
    """True when the path matched nothing but upstream's POST-anywhere login route
    (a path that some other method serves, such as GET /, is a real 405)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    if set(adapter.allowed_methods()) - {"OPTIONS"} != {"POST"}:
        return False
    try:
        endpoint, _ = adapter.match(method="POST")
    except HTTPException:
        return False
    return endpoint.endswith("upstream_login")


@bp.app_errorhandler(RedisError)
def handle_redis_error(exc):
    """Redis (STORE=redis://) away: a 503 naming it, wherever on the request it showed."""
    if not isinstance(exc, UNREACHABLE):
        return handle_unexpected(exc)
    # The liveness loop logs the outage once (app/state/redis_liveness.py).
    log.debug("%s %s: Redis cannot be reached: %s", request.method, request.path, exc)
    response = handle_api_error(unreachable(exc))
    response.headers["Retry-After"] = "1"
    return response


@bp.app_errorhandler(Exception)
def handle_unexpected(exc):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response("internal error; the server log has the details", 500)
