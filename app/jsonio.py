"""JSON encoders: strict for browsers, upstream's lenient form for Python clients and files.

Browsers' JSON.parse rejects the NaN and Infinity tokens that Python's json module
writes, and one such token in a payload makes the whole message unreadable. Everything
a browser reads is therefore encoded strictly: NaN, +Inf and -Inf become null. What
Python clients read (/win_data) and the env files keep the values as sent.
"""

import json
import math

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _finite(value):
    """Return `value` with every non-finite float replaced by None (a copy where needed)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def strict_dumps(obj, **_kwargs):
    """Return `obj` as strict JSON text: non-finite numbers become null.

    orjson does this natively and fast; values it refuses (integers past 64 bits) go
    through the standard library after the same replacement.
    """
    try:
        return orjson.dumps(obj, option=_OPTIONS).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(_finite(obj), allow_nan=False, separators=(",", ":"))


def strict_bytes(obj):
    """Return `obj` as strict JSON bytes (for HTTP responses)."""
    try:
        return orjson.dumps(obj, option=_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return strict_dumps(obj).encode("utf-8")


def lenient_dumps(obj):
    """Return `obj` as JSON in upstream's form (NaN and Infinity tokens kept)."""
    return json.dumps(obj)


def loads(text, **_kwargs):
    """Parse JSON leniently (accepts NaN and Infinity tokens)."""
    return json.loads(text)


class SocketJSON:
    """The json module handed to python-socketio: strict out, lenient in."""

    dumps = staticmethod(strict_dumps)
    loads = staticmethod(loads)
