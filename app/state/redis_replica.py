"""What one process holds of an env in Redis, and the stored form of its windows.

A window is stored as JSON with each numeric Column replaced by a reference
{COLREF: token, "t": "f8" | "i8", "nulls": [...]}; the column's values live in their own
append-only key (v{T}:c:<token>, little-endian), so an append sends only its new bytes
(Op.COL_APPEND) and a reader fetches only the bytes past what it holds (GETRANGE).
"""

import hashlib
import json
import math
import secrets

import numpy as np
import orjson

from ..jsonio import lenient_dumps
from ..panes.columns import Column
from .redis_keys import COLUMN_PREFIX, ENV_KEYS, Meta, Op

COLREF = "\x00visdom_column"
# A list of these holds no Column and no reference: encode and decode pass it through as
# it is (a plot's x and y stay plain lists below COLUMN_MIN points, walked on every append).
_SCALARS = frozenset((int, float, str, bool, type(None)))
# Store ops whose change may touch every window (logged as "*"), and those of one window.
_BULK = ("close", "replace")
_ONE_WIN = ("update", "comment", "plot_layout", "pop_embeddings", "set")


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
        self.watched = True  # a page watched the env at our last commit (see COMMIT)

    def queue_change(self, env, record):
        """Queue the ops that store what change `record` made different in `env` (the
        replica it was applied to), and its log note (RedisStore._applied)."""
        op = record["op"]
        if not self.gen:  # the env is new here (or was deleted meanwhile): a new generation
            self.gen = secrets.token_hex(8)
            self.ops += [(Op.META_SET, Meta.GEN, self.gen), (Op.META_SET, Meta.EID, env.eid)]
            self.meta["new"] = "1"
        if op in _BULK or (op == "set" and record.get("win") is None):
            wins, note = set(env.jsons) | set(self.image), '"*"'
        elif op == "window":
            wins = {record["window"]["id"]}
        elif op in _ONE_WIN:
            wins = {record["win"]}
        else:
            wins = set()
        for win in sorted(wins):
            self._window_ops(win, env.jsons.get(win))
        if op in _BULK or op in ("layout", "set"):
            stored = {str(k): json.dumps(v) for k, v in env.reload.items()}
            for win, text in stored.items():
                if self.reload.get(win) != text:
                    self.ops.append((Op.RELOAD_SET, win, text))
            self.ops += [(Op.RELOAD_DEL, win, "") for win in self.reload if win not in stored]
            self.reload = stored
        meta = {Meta.NEXT_I: str(env.next_i)}
        if op in ("experiment", "replace", "view") or Meta.EXTRA not in self.meta:
            meta[Meta.EXTRA] = lenient_dumps(env.extra)
        for field, value in meta.items():
            if self.meta.get(field) != value:
                self.ops.append((Op.META_SET, field, value))
                self.meta[field] = value
        if op not in _BULK and not (op == "set" and record.get("win") is None):
            note = json.dumps(sorted(wins))
        self.ops.append((Op.LOG, note, ""))

    def _window_ops(self, win, window):
        old = self.image.pop(win, None)
        old_cols = old["cols"] if old else {}
        if window is None:
            if old is not None:
                self.ops.append((Op.WIN_DEL, win, ""))
        else:
            cols, odd = {}, []
            skel = skeleton_dumps(encode(window, "", old_cols, cols, self.ops, odd), odd)
            if old is None or old["skel"] != skel:
                self.ops.append((Op.WIN_SET, win, skel))
            tokens = " ".join(c[0] for c in cols.values())
            if old is None or tokens != " ".join(c[0] for c in old_cols.values()):
                self.ops.append((Op.WIN_COLS, win, tokens))
            self.image[win] = {"skel": skel, "cols": cols}
        kept = {c[0] for c in self.image.get(win, {"cols": {}})["cols"].values()}
        self.ops += [(Op.COL_DEL, c[0], "") for c in old_cols.values() if c[0] not in kept]


def dtype_of(code):
    return np.dtype("<f8" if code == "f8" else "<i8")


def skeleton_dumps(skel, odd):
    """Return a window skeleton as JSON text: by orjson when `odd` (encode's finding) is
    empty, else (or when orjson refuses a value) as lenient_dumps writes it.

    orjson writes NaN and Infinity as null, so it only gets a skeleton without them; it
    refuses non-str keys, integers past 64 bits, numpy scalars and lone surrogates. The
    skeleton is encoded on every append, and below COLUMN_MIN points a plot's x and y are
    plain lists in it: the standard library takes ~200 us for a window of 750 points.
    """
    if not odd:
        try:
            return orjson.dumps(skel).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):
            pass
    return lenient_dumps(skel)


def _finite_floats(values):
    """True when no float in the list of scalars `values` is NaN or infinite."""
    try:  # in C: a NaN or an infinity makes the sum so, or raises
        return math.isfinite(math.fsum(values))
    except (TypeError, ValueError, OverflowError):  # strings, None, huge numbers
        return all(math.isfinite(v) for v in values if type(v) is float)


def encode(value, path, old, cols, ops, odd):
    """Return `value` with Columns replaced by references; queue their new bytes. The path
    of a value orjson would write differently (a NaN or infinite float) goes into `odd`."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            kind = type(v)
            if kind in _SCALARS and (kind is not float or math.isfinite(v)):
                out[k] = v  # most values of a window: no path to build, no call
            else:
                out[k] = encode(v, f"{path}/{k}", old, cols, ops, odd)
        return out
    if isinstance(value, list):
        kinds = set(map(type, value))
        if kinds <= _SCALARS:
            if float in kinds and not _finite_floats(value):
                odd.append(path)
            return value
        return [encode(v, f"{path}/{i}", old, cols, ops, odd) for i, v in enumerate(value)]
    if not isinstance(value, Column):
        kind = type(value)
        if (kind is float and not math.isfinite(value)) or kind not in _SCALARS:
            odd.append(path)  # or a tuple, a numpy scalar...: the standard library's way
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
