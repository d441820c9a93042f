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


def _changes_state():
    if request.method not in SAFE_METHODS:
        return True
    return request.headers.get("Upgrade", "").lower() == "websocket"


def check_origin():
    """Refuse a state-changing request sent by a page of another origin (W6, CSRF)."""
    if not _changes_state():
        return None
    if request.headers.get("Sec-Fetch-Site") == "cross-site" and not current_app.config.get(
        "ALLOWED_ORIGINS"
    ):
        return error_response("cross-site request refused", 403, "Origin")
    if not origin_allowed(request.headers.get("Origin"), request.host, current_app.config):
        return error_response(
            "cross-origin request refused (add the origin to ALLOWED_ORIGINS to allow it)",
            403,
            "Origin",
        )
    return None


def add_headers(response):
    """after_request: Content-Security-Policy and friends on every response."""
    config = current_app.config
    headers = response.headers
    csp = config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
    if csp:
        headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if config.get("ENABLE_LOGIN") and response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response
