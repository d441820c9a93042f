"""The upstream-compatible login cookie `user_password`: signed, unique per login, revocable."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "visdom.login-cookie"


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def login_cookie(user, login_id):
    """Return the signed cookie value for a login of `user` (contains no password hash)."""
    return _serializer().dumps({"u": user.id, "f": user.fingerprint, "n": login_id})


def read_login_cookie(value):
    """Return the cookie's claims {"u", "f", "n"} if its signature and age are valid, else None."""
    if not value:
        return None
    max_age = int(current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds())
    try:
        claims = _serializer().loads(value, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(claims, dict) or not all(isinstance(claims.get(k), str) for k in "ufn"):
        return None
    return claims
