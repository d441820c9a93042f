"""JSON encoders: strict for browsers, upstream's lenient form for Python clients and files.

Browsers' JSON.parse rejects the NaN and Infinity tokens that Python's json module
writes, and one such token in a payload makes the whole message unreadable. Everything
a browser reads is therefore encoded strictly: NaN, +Inf and -Inf become null. What
Python clients read (/win_data) and the env files keep the values as sent.
"""

import json
import math
import os
import re
from json.encoder import INFINITY as INF
from json.encoder import encode_basestring_ascii

import numpy as np
import orjson

from .panes.columns import Column

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
_NONCE = os.urandom(4).hex()
_MARKER = re.compile(r'"\\u0000col' + _NONCE + r':(\d+)\\u0000"')


def _finite(value):
    """Return `value` with every non-finite float replaced by None (a copy where needed)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Column):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _strict_default(obj):
    if isinstance(obj, Column):
        return obj.array
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def strict_dumps(obj, **_kwargs):
    """Return `obj` as strict JSON text: non-finite numbers become null.

    orjson does this natively and fast (numeric columns go out as numpy arrays); values
    it refuses (integers past 64 bits) go through the standard library after the same
    replacement.
    """
    return strict_bytes(obj).decode("utf-8")


def strict_bytes(obj):
    """Return `obj` as strict JSON bytes (for HTTP responses)."""
    try:
        return orjson.dumps(obj, default=_strict_default, option=_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(_finite(obj), allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")


_TOKENS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def column_json(column):
    """Return a Column as JSON text in upstream's form (NaN, Infinity, and nulls as sent)."""
    array = column.array
    text = orjson.dumps(array, option=orjson.OPT_SERIALIZE_NUMPY).decode("ascii")
    if array.dtype.kind != "f":
        return text
    bad = np.flatnonzero(~np.isfinite(array))
    if not len(bad):
        return text
    items = text[1:-1].split(",")
    nulls = set(column.nulls or ())
    for i in bad.tolist():
        items[i] = "null" if i in nulls else _TOKENS[repr(float(array[i]))]
    return "[" + ",".join(items) + "]"


class RawJSON:
    """JSON text (a request body as received) that lenient_dumps writes as it is.

    A large /update body is then journaled without being encoded again. The text must be
    one valid JSON value; newlines (only ever whitespace between tokens in valid JSON)
    become spaces so that a journal record stays on one line.
    """

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text.replace("\n", " ").replace("\r", " ")

    @classmethod
    def of_body(cls, raw):
        """Return a RawJSON for request bytes that are UTF-8, else None (re-encode then)."""
        try:
            return cls(raw.decode("utf-8")) if isinstance(raw, bytes) else None
        except UnicodeDecodeError:
            return None


def _scalar_json(value):
    """Return a str, int, float, bool or None as json.dumps writes it; None otherwise."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value in (INF, -INF):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return None


def _flat_dumps(obj):
    """Return json.dumps(obj) for a dict of str keys to scalars and RawJSON values (a
    journal record of an /update), RawJSON spliced in; None for anything else.

    The same text, without the encoder's machinery and the column markers: a journal
    record is written on every append.
    """
    parts = []
    for key, value in obj.items():
        if type(key) is not str:
            return None
        text = value.text if type(value) is RawJSON else _scalar_json(value)
        if text is None:
            return None
        parts.append(encode_basestring_ascii(key) + ": " + text)
    return "{" + ", ".join(parts) + "}"


def lenient_dumps(obj):
    """Return `obj` as JSON in upstream's form (NaN and Infinity tokens kept).

    Numeric columns are encoded by numpy/orjson and spliced in, so a million points
    cost milliseconds, not the standard library's second.
    """
    if type(obj) is dict:
        flat = _flat_dumps(obj)
        if flat is not None:
            return flat
    columns = []

    def default(value):
        if isinstance(value, (Column, RawJSON)):
            columns.append(value)
            return f"\x00col{_NONCE}:{len(columns) - 1}\x00"
        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    text = json.dumps(obj, default=default)
    if not columns:
        return text
    return _MARKER.sub(lambda m: _splice(columns[int(m.group(1))]), text)


def _splice(value):
    return value.text if isinstance(value, RawJSON) else column_json(value)


def loads(text, **_kwargs):
    """Parse JSON leniently (accepts NaN and Infinity tokens)."""
    return json.loads(text)


class SocketJSON:
    """The json module handed to python-socketio: strict out, lenient in."""

    dumps = staticmethod(strict_dumps)
    loads = staticmethod(loads)
