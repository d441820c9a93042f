"""RedisStore: the store on Redis, shared by several stateless server processes.

Redis is the system of record; each process keeps a replica of the envs it serves (the
same Env objects as the embedded store) and runs the same pane code on it (ReplicaStore,
replica.py). The keys, all of one env under the hash tag {<tag>} so that the same
scripts run on Redis Cluster, are listed in redis_keys.py; the scripts in redis_lua.py.

A change takes the env's lock (SET NX PX, so a crashed process blocks the env for at most
LOCK_TTL), catches up in the same script, applies the change with the pane code, then one
script checks the lock, APPENDs the new column bytes, rewrites the window JSON that
changed, INCRs the seq and logs the change; the change is published; the lock is dropped.
A read first asks Redis for the env's seq; when another process changed the env, the
same script returns what changed: the windows the log names, with the column bytes past
the length this process has (GETRANGE).

Env files: save, fork and import also write the upstream env file under ENV_PATH (an
export: Redis stays the system of record); delete_env removes it.
"""

import contextlib
import json
import logging
import secrets
import time

import redis

from ..jsonio import lenient_dumps
from . import redis_lua
from .env import Env
from .persistence import Persistence, storage_error
from .redis_conn import UNKNOWN_OUTCOME, UNREACHABLE, client_options, unreachable
from .redis_keys import (
    ALERTS_KEY,
    CLAIM_PREFIX,
    ENVS_KEY,
    LIVENESS_KEY,
    RULES_KEY,
    VIEWS_KEY,
    Key,
    Meta,
    Mode,
    Op,
)
from .redis_liveness import Liveness
from .redis_replica import Replica, decode, dtype_of, encode
from .replica import ReplicaStore, no_env

log = logging.getLogger(__name__)

LOG_MAX = 1000
LOCK_TTL_MS = 10_000
LOCK_WAIT = 15.0
_BULK = ("close", "replace")
_ONE_WIN = ("update", "comment", "plot_layout", "pop_embeddings", "set")


def connect(url):
    """Return a client for `url`: a RedisCluster when the server runs in cluster mode."""
    client = redis.Redis.from_url(url, **client_options())
    if client.info("cluster").get("cluster_enabled"):
        client.close()
        return redis.RedisCluster.from_url(url, **client_options())
    return client


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pairs(flat):
    return {_text(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


class RedisStore(Liveness, ReplicaStore):
    """The store on Redis (see the module docstring), shared by several server processes.

    `save_interval` and `save_duty` are accepted for the embedded store's signature and
    unused: Redis stores each change as it is made, there is nothing to autosave.
    """

    def __init__(
        self,
        url,
        env_path,
        eager=False,
        save_interval=None,
        save_duty=None,
        publish=None,
        undo_depth=10,
        caps=None,
    ):
        self.url = url
        self.redis = connect(url)
        self._scripts = {
            name: self.redis.register_script(getattr(redis_lua, name))
            for name in ("SYNC", "COMMIT", "RELEASE", "DELETE", "RELEASE_IF")
        }
        self.owner = secrets.token_hex(8)
        self._start_liveness()
        super().__init__(Persistence(env_path), publish, undo_depth, caps)
        self._register("main")
        if eager:
            for eid in self.env_ids():
                env = self._find(eid)
                if env is not None:
                    with env.lock:
                        self._load(env)

    # -- env table ------------------------------------------------------------------

    def _register(self, eid):
        """Create env `eid` in Redis if absent; return True if this call created it."""
        rep = Replica(eid)
        self.redis.hsetnx(rep.keys[Key.META], Meta.GEN, secrets.token_hex(8))
        self.redis.hsetnx(rep.keys[Key.META], Meta.EID, eid)
        return bool(self.redis.zadd(ENVS_KEY, {eid: time.time()}, nx=True))

    def env_ids(self):
        return [_text(e) for e in self.redis.zrange(ENVS_KEY, 0, -1)]

    def has_env(self, eid):
        return self.redis.zscore(ENVS_KEY, eid) is not None

    def ensure_env(self, eid):
        return self._get(eid, create=True)[1]

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
            raise no_env(eid)
        created = self._register(eid)
        with self._lock:
            return self._envs.setdefault(eid, Env(eid, loaded=False)), created

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
                    args += [tok, n * dtype_of(code).itemsize]
        try:
            reply = self._scripts["SYNC"](keys=rep.keys, args=args)
        except redis.RedisError:
            self._orphan(env, token)  # the lock may have been taken, the answer lost
            raise
        if not reply[0]:
            return False
        seq, gen, mode = int(reply[1]), _text(reply[2]), _text(reply[3])
        if mode == Mode.OK and env.loaded:
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
        if mode == Mode.ALL:
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
            env.jsons[win] = decode(json.loads(skel), "", data, known, cols)
            rep.image[win] = {"skel": skel, "cols": cols}
        rep.reload = {k: _text(v) for k, v in reload.items()}
        env.reload = {k: json.loads(v) for k, v in rep.reload.items()}
        rep.meta = {k: _text(v) for k, v in meta.items()}
        env.next_i = int(rep.meta.get(Meta.NEXT_I) or 0)
        env.extra = json.loads(rep.meta.get(Meta.EXTRA) or "{}")
        env.seq, rep.gen = seq, gen
        env.loaded, env.deleted, env.broken = True, False, None
        return True

    def _generation(self, env):
        # Redis names each life of an env (a new one when any process deletes and remakes it).
        return self._replica(env).gen

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
                args = [token, env.seq - sum(op[0] == Op.LOG for op in ops), rep.col_prefix]
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
            # The replica may differ from Redis (the commit may or may not have run): the
            # next use reloads it; the lock, if still ours, is dropped once Redis answers.
            self._invalidate(env)
            self._orphan(env, token)
            log.error("env %s: a change could not be stored in Redis: %s", env.eid, exc)
            if isinstance(exc, UNREACHABLE):
                raise unreachable(exc, UNKNOWN_OUTCOME) from None
            raise storage_error(f"Redis refused the change ({exc})") from None

    def _journal(self, env, record):
        return None

    def _withdraw(self, env, mark):
        pass

    def _announce(self, env, event, payload):
        self._replica(env).messages.append((event, payload))

    def _applied(self, env, record):
        """Queue what the change made different in the stored form (and its log note)."""
        rep = self._replica(env)
        op = record["op"]
        if not rep.gen:  # the env is new here (or was deleted meanwhile): a new generation
            rep.gen = secrets.token_hex(8)
            rep.ops += [(Op.META_SET, Meta.GEN, rep.gen), (Op.META_SET, Meta.EID, env.eid)]
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
                    rep.ops.append((Op.RELOAD_SET, win, text))
            rep.ops += [(Op.RELOAD_DEL, win, "") for win in rep.reload if win not in stored]
            rep.reload = stored
        meta = {Meta.NEXT_I: str(env.next_i)}
        if op in ("experiment", "replace", "view") or Meta.EXTRA not in rep.meta:
            meta[Meta.EXTRA] = lenient_dumps(env.extra)
        for field, value in meta.items():
            if rep.meta.get(field) != value:
                rep.ops.append((Op.META_SET, field, value))
                rep.meta[field] = value
        if op not in _BULK and not (op == "set" and record.get("win") is None):
            note = json.dumps(sorted(wins))
        rep.ops.append((Op.LOG, note, ""))

    def _window_ops(self, rep, win, window):
        old = rep.image.pop(win, None)
        old_cols = old["cols"] if old else {}
        if window is None:
            if old is not None:
                rep.ops.append((Op.WIN_DEL, win, ""))
        else:
            cols = {}
            skel = lenient_dumps(encode(window, "", old_cols, cols, rep.ops))
            if old is None or old["skel"] != skel:
                rep.ops.append((Op.WIN_SET, win, skel))
            tokens = " ".join(c[0] for c in cols.values())
            if old is None or tokens != " ".join(c[0] for c in old_cols.values()):
                rep.ops.append((Op.WIN_COLS, win, tokens))
            rep.image[win] = {"skel": skel, "cols": cols}
        kept = {c[0] for c in rep.image.get(win, {"cols": {}})["cols"].values()}
        rep.ops += [(Op.COL_DEL, c[0], "") for c in old_cols.values() if c[0] not in kept]

    # -- undo, delete, views ----------------------------------------------------------

    def _undo_stack(self, env):
        text = self.redis.get(self._replica(env).keys[Key.UNDO])
        return json.loads(text) if text else []

    def _set_undo(self, env, stack):
        self._replica(env).ops.append((Op.UNDO, lenient_dumps(stack) if stack else "", ""))

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

    # -- liveness, alert rules, fired alerts ------------------------------------------

    def heartbeat(self, eid, beat):
        self.redis.hset(LIVENESS_KEY, eid, json.dumps(beat))

    def liveness(self):
        return {_text(k): json.loads(v) for k, v in self.redis.hgetall(LIVENESS_KEY).items()}

    def alert_rules(self):
        rules = [json.loads(v) for v in self.redis.hvals(RULES_KEY)]
        return sorted(rules, key=lambda r: (r.get("created_at") or 0, str(r.get("id"))))

    def put_alert_rule(self, rule):
        self.redis.hset(RULES_KEY, rule["id"], json.dumps(rule))

    def delete_alert_rule(self, rule_id):
        return bool(self.redis.hdel(RULES_KEY, rule_id))

    def add_alert(self, alert, keep=1000):
        pipe = self.redis.pipeline()
        pipe.rpush(ALERTS_KEY, json.dumps(alert))
        pipe.ltrim(ALERTS_KEY, -keep, -1)
        pipe.execute()

    def alerts(self, since=None):
        found = [json.loads(v) for v in self.redis.lrange(ALERTS_KEY, 0, -1)]
        if since is not None:
            found = [a for a in found if (a.get("time") or 0) > since]
        return found

    def claim_alert(self, key, seconds):
        ms = max(1, int(seconds * 1000))
        return bool(self.redis.set(CLAIM_PREFIX + key, "1", nx=True, px=ms))

    # -- env files and lifecycle --------------------------------------------------------

    def _export(self, env):
        with env.save_lock:  # one writer of the env's file at a time
            with env.lock:
                self._load(env)
                if env.deleted or env.broken:
                    return None
                text = self.files.env_text(env.eid, env.to_file())
            try:
                self.files.write_snapshot(env.eid, text)
            except OSError as exc:  # Redis keeps every change: only the export failed
                log.error("could not write the env file of %s: %s", env.eid, exc)
                return False
            return True

    def save_all(self):
        return self.save(self.env_ids())

    def flush(self, force=False):
        pass  # Redis holds every change once it is acknowledged: nothing to write

    def start_autosave(self):
        pass  # likewise: nothing to save in the background

    def close(self):
        self._stop_liveness()
        self.redis.close()
        self.files.close()
