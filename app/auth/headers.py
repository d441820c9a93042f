"""Browser safety on every response and every state-changing request.

- `add_headers` (after_request): Content-Security-Policy and its companions.
- `check_origin` (first step of the gate): with login on or off, a state-changing request
  (any method but GET/HEAD/OPTIONS, and any websocket upgrade) that comes from another web
  origin is refused; scripts send no Origin header and are unaffected. Socket.IO applies
  the same rule through Engine.IO's origin callback (`origin_allowed`, set up in
  app.auth.init_app).
"""

from urllib.parse import urlsplit

from flask import current_app, request

from ..common import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)

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


# The request headers are read from the WSGI environ: this runs on every request, and
# werkzeug's header lookup raises (and catches) an exception for each absent header.


def _changes_state():
    if request.method not in SAFE_METHODS:
        return True
    return request.environ.get("HTTP_UPGRADE", "").lower() == "websocket"


def check_origin():
    """Refuse a state-changing request sent by a page of another origin (W6, CSRF)."""
    if not _changes_state():
        return None
    environ = request.environ
    if environ.get("HTTP_SEC_FETCH_SITE") == "cross-site" and not current_app.config.get(
        "ALLOWED_ORIGINS"
    ):
        return error_response("cross-site request refused", 403, "Origin")
    origin = environ.get("HTTP_ORIGIN")
    if origin and not origin_allowed(origin, request.host, current_app.config):
        return error_response(
            "cross-origin request refused (add the origin to ALLOWED_ORIGINS to allow it)",
            403,
            "Origin",
        )
    return None


FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


def add_headers(response):
    """after_request: Content-Security-Policy and friends on every response (each one
    only when the view did not set it)."""
    config = current_app.config
    headers = response.headers
    present = {key.lower() for key, _ in headers}  # one pass, not a search per header
    csp = config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
    if csp and "content-security-policy" not in present:
        headers.add("Content-Security-Policy", csp)
    for name, value in FIXED_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if (
        config.get("ENABLE_LOGIN")
        and "cache-control" not in present
        and response.mimetype == "text/html"
    ):
        headers.add("Cache-Control", "no-store")
    return response
