"""RedisStore: the store on Redis, shared by several stateless server processes.

Redis is the system of record; each process keeps a replica of the envs it serves (the
same Env objects as the embedded store) and runs the same pane code on it. Keys, all of
one env under the hash tag {<tag>} so that the same scripts run on Redis Cluster:

    visdom:envs            sorted set: the env ids, by creation time
    visdom:views           the saved views (raw JSON text)
    v{T}:seq               the env's sequence number, INCRed by each change
    v{T}:lock              the env's write lock: a token with a TTL
    v{T}:log               the last LOG_MAX changes: JSON list of the windows each touched
    v{T}:meta              hash: eid, gen (changes when the env is recreated), next_i, extra
    v{T}:win               hash: window id -> window JSON, numeric columns as references
    v{T}:wcols             hash: window id -> the tokens of its columns
    v{T}:reload            hash: window id -> layout item JSON
    v{T}:undo              closed windows that undo restores (JSON)
    v{T}:c:<token>         a numeric column: float64/int64 little-endian, append-only

A change takes the env's lock (SET NX PX, so a crashed process blocks the env for at most
LOCK_TTL), catches up in the same script, applies the change with the pane code, then one
script checks the lock, APPENDs the new column bytes, rewrites the window JSON that
changed, INCRs the seq and logs the change; the change is published; the lock is dropped.
A read first asks Redis for the env's seq; when another process changed the env, the
same script returns what changed: the windows the log names, with the column bytes past
the length this process has (GETRANGE).
"""

import contextlib
import json
import logging
import secrets
import threading
import time

import numpy as np
import redis

from ..jsonio import lenient_dumps
from ..panes.columns import Column
from . import redis_lua
from .env import Env
from .persistence import storage_error
from .store import Store

log = logging.getLogger(__name__)

ENVS_KEY = "visdom:envs"
VIEWS_KEY = "visdom:views"
COLREF = "\x00visdom_column"
LOG_MAX = 1000
LOCK_TTL_MS = 10_000
LOCK_WAIT = 15.0
# Each process keeps a key alive while it runs; a lock whose owner's key has expired
# belongs to a process that died (kill -9) and is taken over at once, not after LOCK_TTL.
ALIVE_PREFIX = "visdom:alive:"
ALIVE_TTL_MS = 1500
ALIVE_EVERY = 0.4
_RELEASE_IF = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
)
_BULK = ("close", "replace")
_ONE_WIN = ("update", "comment", "plot_layout", "pop_embeddings", "set")


def connect(url):
    """Return a client for `url`: a RedisCluster when the server runs in cluster mode."""
    client = redis.Redis.from_url(url, socket_timeout=30)
    if client.info("cluster").get("cluster_enabled"):
        client.close()
        return redis.RedisCluster.from_url(url, socket_timeout=30)
    return client


def env_tag(eid):
    """Return the hash tag of an env: its id, or a digest when the id cannot be a tag."""
    if "{" in eid or "}" in eid or len(eid) > 100:
        import hashlib

        return "#" + hashlib.sha256(eid.encode("utf-8")).hexdigest()
    return eid


class Replica:
    """What a process knows of an env in Redis: its generation and the stored form."""

    def __init__(self, eid):
        prefix = "v{" + env_tag(eid) + "}:"
        self.keys = [prefix + k for k in ("seq", "lock", "log", "meta", "win", "wcols")]
        self.keys += [prefix + "reload", prefix + "undo"]
        self.col_prefix = prefix + "c:"
        self.gen = ""
        self.image = {}  # win -> {"skel": stored JSON, "cols": {path: [token, Column, n]}}
        self.reload = {}  # win -> stored layout JSON
        self.meta = {}  # field -> stored value
        self.token = None  # our lock token while we hold the env's lock
        self.depth = 0
        self.ops = []
        self.messages = []


def _dtype(code):
    return np.dtype("<f8" if code == "f8" else "<i8")


def _encode(value, path, old, cols, ops):
    """Return `value` with Columns replaced by references; queue their new bytes."""
    if isinstance(value, dict):
        return {k: _encode(v, f"{path}/{k}", old, cols, ops) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v, f"{path}/{i}", old, cols, ops) for i, v in enumerate(value)]
    if not isinstance(value, Column):
        return value
    code = "f8" if value.dtype.kind == "f" else "i8"
    array = value.array.astype(_dtype(code), copy=False)
    prev = old.get(path)
    if prev is not None and prev[1] is value and prev[3] == code and len(value) >= prev[2]:
        token = prev[0]
        if len(value) > prev[2]:
            ops.append(("ca", token, array[prev[2] :].tobytes()))
    else:
        token = secrets.token_hex(8)
        ops.append(("cs", token, array.tobytes()))
    cols[path] = [token, value, len(value), code]
    return {COLREF: token, "t": code, "nulls": value.nulls}


def _decode(value, path, data, known, cols):
    """Return stored JSON with column references replaced by Columns (see _encode)."""
    if isinstance(value, dict):
        if COLREF in value:
            token, code = value[COLREF], value["t"]
            nulls = value.get("nulls") or None
            raw = np.frombuffer(data.get(token, b""), dtype=_dtype(code))
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
        return {k: _decode(v, f"{path}/{k}", data, known, cols) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, f"{path}/{i}", data, known, cols) for i, v in enumerate(value)]
    return value


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pairs(flat):
    return {_text(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


class RedisStore(Store):
    """The store on Redis (see the module docstring); env files are written by save/fork."""

    def __init__(self, url, env_path, **kwargs):
        self.url = url
        self.redis = connect(url)
        self._scripts = {
            name: self.redis.register_script(getattr(redis_lua, name))
            for name in ("SYNC", "COMMIT", "RELEASE", "DELETE")
        }
        self._release_if = self.redis.register_script(_RELEASE_IF)
        self.owner = secrets.token_hex(8)
        self._alive_stop = threading.Event()
        self._keep_alive()
        self._alive = threading.Thread(target=self._alive_loop, name="visdom-alive", daemon=True)
        self._alive.start()
        super().__init__(env_path, **kwargs)

    def _keep_alive(self):
        self.redis.set(ALIVE_PREFIX + self.owner, "1", px=ALIVE_TTL_MS)

    def _alive_loop(self):
        while not self._alive_stop.wait(ALIVE_EVERY):
            try:
                self._keep_alive()
            except Exception:  # Redis away for a moment: the next beat retries
                log.warning("could not renew this process's liveness key", exc_info=True)

    def _take_over_if_dead(self, env):
        """Free the env's lock when the process holding it is gone (its key expired)."""
        lock_key = self._replica(env).keys[1]
        holder = self.redis.get(lock_key)
        if holder is None:
            return
        owner = _text(holder).partition(":")[0]
        if not self.redis.exists(ALIVE_PREFIX + owner):
            if self._release_if(keys=[lock_key], args=[holder]):
                log.warning("env %s: took over the lock of a server process that died", env.eid)

    # -- env table ------------------------------------------------------------------

    def _open_backend(self, eager):
        self._register("main")
        if eager:
            for eid in self.env_ids():
                env = self._find(eid)
                if env is not None:
                    with env.lock:
                        self._load(env)

    def _register(self, eid):
        """Create env `eid` in Redis if absent; return True if this call created it."""
        rep = Replica(eid)
        self.redis.hsetnx(rep.keys[3], "gen", secrets.token_hex(8))
        self.redis.hsetnx(rep.keys[3], "eid", eid)
        return bool(self.redis.zadd(ENVS_KEY, {eid: time.time()}, nx=True))

    def env_ids(self):
        return [_text(e) for e in self.redis.zrange(ENVS_KEY, 0, -1)]

    def has_env(self, eid):
        return self.redis.zscore(ENVS_KEY, eid) is not None

    def _find(self, eid):
        with self._lock:
            env = self._envs.get(eid)
        if env is not None or not self.has_env(eid):
            return env
        with self._lock:
            return self._envs.setdefault(eid, Env(eid, loaded=False))

    def _get(self, eid, create=False):
        env = self._find(eid)
        if env is not None and create and not self.has_env(eid):
            with self._lock:  # deleted by another process: start a new one
                if self._envs.get(eid) is env:
                    self._envs.pop(eid)
            env = None
        if env is not None:
            return env, False
        if not create:
            return super()._get(eid)  # the 404
        created = self._register(eid)
        with self._lock:
            return self._envs.setdefault(eid, Env(eid, loaded=False)), created

    def _saveable(self):
        return self.env_ids()

    # -- catching up ------------------------------------------------------------------

    def _replica(self, env):
        rep = getattr(env, "replica", None)
        if rep is None:
            rep = env.replica = Replica(env.eid)
        return rep

    def _load(self, env):
        """Bring the replica up to date with Redis (caller holds env.lock)."""
        if self._replica(env).depth:
            return  # we hold the env's Redis lock: nobody else changed it
        self._sync(env, "")

    def _sync(self, env, token):
        rep = self._replica(env)
        args = [token, LOCK_TTL_MS, env.seq if env.loaded else -1, rep.gen, rep.col_prefix]
        if env.loaded:
            for entry in rep.image.values():
                for tok, _column, n, code in entry["cols"].values():
                    args += [tok, n * _dtype(code).itemsize]
        reply = self._scripts["SYNC"](keys=rep.keys, args=args)
        if not reply[0]:
            return False
        seq, gen, mode = int(reply[1]), _text(reply[2]), _text(reply[3])
        if mode == "ok" and env.loaded:
            return True
        if not gen:  # deleted (by any process)
            with self._lock:
                if self._envs.get(env.eid) is env:
                    self._envs.pop(env.eid)
            env.deleted, env.loaded = True, True
            return True
        meta, reload, wins = _pairs(reply[4]), _pairs(reply[5]), reply[6]
        # Column keys are append-only, so a column we hold is a prefix of the stored one
        # (Redis sent only what lies past it) for as long as the env's generation lasts.
        fresh = gen != rep.gen or not env.loaded
        known = (
            {} if fresh else {c[0]: c[1] for e in rep.image.values() for c in e["cols"].values()}
        )
        if mode == "all":
            env.jsons, rep.image = {}, {}
        for item in wins:
            win = _text(item[0])
            rep.image.pop(win, None)
            if len(item) == 1:
                env.jsons.pop(win, None)
                continue
            skel = _text(item[1])
            data = {_text(item[i]): item[i + 1] for i in range(2, len(item), 2)}
            cols = {}
            env.jsons[win] = _decode(json.loads(skel), "", data, known, cols)
            rep.image[win] = {"skel": skel, "cols": cols}
        rep.reload = {k: _text(v) for k, v in reload.items()}
        env.reload = {k: json.loads(v) for k, v in rep.reload.items()}
        rep.meta = {k: _text(v) for k, v in meta.items()}
        env.next_i = int(rep.meta.get("next_i") or 0)
        env.extra = json.loads(rep.meta.get("extra") or "{}")
        env.seq, rep.gen = seq, gen
        env.loaded, env.deleted, env.broken = True, False, None
        return True

    def _invalidate(self, env):
        """Forget the replica (it may differ from Redis): the next use reloads it."""
        rep = self._replica(env)
        env.loaded, rep.image, rep.gen = False, {}, ""

    # -- writing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self, env):
        with env.lock:
            rep = self._replica(env)
            if rep.depth:
                rep.depth += 1
                try:
                    yield
                finally:
                    rep.depth -= 1
                return
            self._acquire(env)
            rep.depth = 1
            try:
                yield
            finally:
                rep.depth = 0
                self._commit(env)

    def _acquire(self, env):
        rep = self._replica(env)
        token = f"{self.owner}:{secrets.token_hex(8)}"
        deadline, pause = time.monotonic() + LOCK_WAIT, 0.0005
        next_check = time.monotonic() + 0.2
        while not self._sync(env, token):
            now = time.monotonic()
            if now > deadline:
                raise storage_error(f"env {env.eid} is locked by another server process")
            if now > next_check:
                self._take_over_if_dead(env)
                next_check = now + 0.2
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
        rep.token, rep.ops, rep.messages = token, [], []

    def _commit(self, env):
        """Store the queued changes in one script, publish them, then drop the lock."""
        rep = self._replica(env)
        token, ops, messages = rep.token, rep.ops, rep.messages
        rep.token, rep.ops, rep.messages = None, [], []
        if token is None:
            return
        try:
            if ops:
                args = [token, env.seq - sum(op[0] == "l" for op in ops), rep.col_prefix]
                args += [LOG_MAX, "0"]
                for op in ops:
                    args += op
                self._scripts["COMMIT"](keys=rep.keys, args=args)
                if rep.meta.pop("new", None):
                    self.redis.zadd(ENVS_KEY, {env.eid: time.time()}, nx=True)
            # Published before the lock is dropped: every process's changes of the env
            # leave in seq order.
            for event, payload in messages:
                self.publish(env.eid, event, payload)
            self._scripts["RELEASE"](keys=rep.keys, args=[token])
        except redis.RedisError as exc:
            self._invalidate(env)
            log.error("env %s: a change could not be stored in Redis: %s", env.eid, exc)
            raise storage_error(f"Redis refused the change ({exc})") from None

    def _journal(self, env, record):
        return None

    def _withdraw(self, env, mark):
        pass

    def _mark_dirty(self, env):
        pass  # Redis holds every change; env files are written by save and fork only

    def _announce(self, env, event, payload):
        self._replica(env).messages.append((event, payload))

    def _applied(self, env, record):
        """Queue what the change made different in the stored form (and its log note)."""
        rep = self._replica(env)
        op = record["op"]
        if not rep.gen:  # the env is new here (or was deleted meanwhile): a new generation
            rep.gen = secrets.token_hex(8)
            rep.ops += [("ms", "gen", rep.gen), ("ms", "eid", env.eid)]
            rep.meta["new"] = "1"
        if op in _BULK or (op == "set" and record.get("win") is None):
            wins, note = set(env.jsons) | set(rep.image), '"*"'
        elif op == "window":
            wins = {record["window"]["id"]}
        elif op in _ONE_WIN:
            wins = {record["win"]}
        else:
            wins = set()
        for win in sorted(wins):
            self._window_ops(rep, win, env.jsons.get(win))
        if op in _BULK or op in ("layout", "set"):
            stored = {str(k): json.dumps(v) for k, v in env.reload.items()}
            for win, text in stored.items():
                if rep.reload.get(win) != text:
                    rep.ops.append(("rs", win, text))
            rep.ops += [("rd", win, "") for win in rep.reload if win not in stored]
            rep.reload = stored
        meta = {"next_i": str(env.next_i)}
        if op in ("experiment", "replace", "view") or "extra" not in rep.meta:
            meta["extra"] = lenient_dumps(env.extra)
        for field, value in meta.items():
            if rep.meta.get(field) != value:
                rep.ops.append(("ms", field, value))
                rep.meta[field] = value
        if op not in _BULK and not (op == "set" and record.get("win") is None):
            note = json.dumps(sorted(wins))
        rep.ops.append(("l", note, ""))

    def _window_ops(self, rep, win, window):
        old = rep.image.pop(win, None)
        old_cols = old["cols"] if old else {}
        if window is None:
            if old is not None:
                rep.ops.append(("wd", win, ""))
        else:
            cols = {}
            skel = lenient_dumps(_encode(window, "", old_cols, cols, rep.ops))
            if old is None or old["skel"] != skel:
                rep.ops.append(("ws", win, skel))
            tokens = " ".join(c[0] for c in cols.values())
            if old is None or tokens != " ".join(c[0] for c in old_cols.values()):
                rep.ops.append(("wc", win, tokens))
            rep.image[win] = {"skel": skel, "cols": cols}
        kept = {c[0] for c in rep.image.get(win, {"cols": {}})["cols"].values()}
        rep.ops += [("cd", c[0], "") for c in old_cols.values() if c[0] not in kept]

    # -- undo, delete, views ----------------------------------------------------------

    def _undo_stack(self, env):
        text = self.redis.get(self._replica(env).keys[7])
        return json.loads(text) if text else []

    def _set_undo(self, env, stack):
        self._replica(env).ops.append(("u", lenient_dumps(stack) if stack else "", ""))

    def _drop(self, env):
        rep = self._replica(env)
        if rep.token is None:
            return
        self._scripts["DELETE"](keys=rep.keys, args=[rep.token, rep.col_prefix])
        self.redis.zrem(ENVS_KEY, env.eid)
        rep.token, rep.ops, rep.messages = None, [], []
        self._invalidate(env)

    def _read_views(self):
        return _text(self.redis.get(VIEWS_KEY) or b"")

    def _write_views(self, text):
        self.redis.set(VIEWS_KEY, text)

    # -- lifecycle --------------------------------------------------------------------

    def start_autosave(self):
        pass  # nothing to save: Redis holds every change

    def close(self):
        super().close()
        self._alive_stop.set()
        try:
            self.redis.delete(ALIVE_PREFIX + self.owner)
        except Exception:  # already unreachable: the key expires by itself
            pass
        self.redis.close()
