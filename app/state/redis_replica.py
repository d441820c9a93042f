"""What one process holds of an env in Redis, and the stored form of its windows.

A window is stored as JSON with each numeric Column replaced by a reference
{COLREF: token, "t": "f8" | "i8", "nulls": [...]}; the column's values live in their own
append-only key (v{T}:c:<token>, little-endian), so an append sends only its new bytes
(Op.COL_APPEND) and a reader fetches only the bytes past what it holds (GETRANGE).
"""

import hashlib
import secrets

import numpy as np

from ..panes.columns import Column
from .redis_keys import COLUMN_PREFIX, ENV_KEYS, Op

COLREF = "\x00visdom_column"
# A list of these holds no Column and no reference: encode and decode pass it through as
# it is (a plot's x and y stay plain lists below COLUMN_MIN points, walked on every append).
_SCALARS = frozenset((int, float, str, bool, type(None)))


def env_tag(eid):
    """Return the hash tag of an env: its id, or a digest when the id cannot be a tag."""
    if "{" in eid or "}" in eid or len(eid) > 100:
        return "#" + hashlib.sha256(eid.encode("utf-8")).hexdigest()
    return eid


class Replica:
    """What a process knows of an env in Redis: its generation and the stored form."""

    def __init__(self, eid):
        prefix = "v{" + env_tag(eid) + "}:"
        self.keys = [prefix + k for k in ENV_KEYS]  # indexed by redis_keys.Key
        self.col_prefix = prefix + COLUMN_PREFIX
        self.gen = ""
        self.image = {}  # win -> {"skel": stored JSON, "cols": {path: [token, Column, n]}}
        self.reload = {}  # win -> stored layout JSON
        self.meta = {}  # field -> stored value
        self.token = None  # our lock token while we hold the env's lock
        self.since = 0.0  # when we took it (time.monotonic)
        self.writers = 0  # this process's writes in or waiting for RedisStore._writing
        self.depth = 0
        self.ops = []
        self.messages = []


def dtype_of(code):
    return np.dtype("<f8" if code == "f8" else "<i8")


def encode(value, path, old, cols, ops):
    """Return `value` with Columns replaced by references; queue their new bytes."""
    if isinstance(value, dict):
        return {k: encode(v, f"{path}/{k}", old, cols, ops) for k, v in value.items()}
    if isinstance(value, list):
        if set(map(type, value)) <= _SCALARS:
            return value
        return [encode(v, f"{path}/{i}", old, cols, ops) for i, v in enumerate(value)]
    if not isinstance(value, Column):
        return value
    code = "f8" if value.dtype.kind == "f" else "i8"
    array = value.array.astype(dtype_of(code), copy=False)
    prev = old.get(path)
    if prev is not None and prev[1] is value and prev[3] == code and len(value) >= prev[2]:
        token = prev[0]
        if len(value) > prev[2]:
            ops.append((Op.COL_APPEND, token, array[prev[2] :].tobytes()))
    else:
        token = secrets.token_hex(8)
        ops.append((Op.COL_SET, token, array.tobytes()))
    cols[path] = [token, value, len(value), code]
    return {COLREF: token, "t": code, "nulls": value.nulls}


def decode(value, path, data, known, cols):
    """Return stored JSON with column references replaced by Columns (see encode)."""
    if isinstance(value, dict):
        if COLREF in value:
            token, code = value[COLREF], value["t"]
            nulls = value.get("nulls") or None
            raw = np.frombuffer(data.get(token, b""), dtype=dtype_of(code))
            column = known.get(token)
            if column is not None:  # ours up to its length: add the tail
                start = len(column)
                tail = raw.tolist()
                for i in nulls or ():
                    if i >= start:
                        tail[i - start] = None
                column.extend(tail)
            else:
                column = Column(raw.astype(raw.dtype.newbyteorder("=")), nulls)
            cols[path] = [token, column, len(column), code]
            return column
        return {k: decode(v, f"{path}/{k}", data, known, cols) for k, v in value.items()}
    if isinstance(value, list):
        if set(map(type, value)) <= _SCALARS:
            return value
        return [decode(v, f"{path}/{i}", data, known, cols) for i, v in enumerate(value)]
    return value
