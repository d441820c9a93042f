"""RedisStore: the store on Redis, shared by several stateless server processes.

Redis is the system of record; each process keeps a replica of the envs it serves (the
same Env objects as the embedded store) and runs the same pane code on it (ReplicaStore,
replica.py). The keys, all of one env under the hash tag {<tag>} so that the same
scripts run on Redis Cluster, are listed in redis_keys.py; the scripts in redis_lua.py.

A change takes the env's lock (SET NX PX, so a crashed process blocks the env for at most
LOCK_TTL), catches up in the same script, applies the change with the pane code, then one
script checks the lock, APPENDs the new column bytes, rewrites the window JSON that
changed, INCRs the seq, logs the change, PUBLISHes its Socket.IO message (already
encoded: backend.py `fanout`) and keeps or drops the lock.

The lock is kept after a change while more writes of the env wait in this process (a
lease): the next one then needs no catch-up (nobody else can have changed the env) and
costs that one script, a single round trip. Another process that wants the lock leaves
its token in v{T}:want; the holder drops the lock at its next change once it has held
it for LEASE_TURN, and the waiter goes next. The last waiting write drops the lock, so
an idle env is never locked: a lone write costs two round trips (lock and catch up,
then commit and release).
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
import threading
import time

import redis

from ..jsonio import lenient_dumps
from . import redis_lua
from .env import Env
from .persistence import Persistence, storage_error
from .redis_conn import (
    UNKNOWN_OUTCOME,
    UNREACHABLE,
    ScriptLine,
    client_options,
    pack_parts,
    unreachable,
)
from .redis_keys import (
    ENVS_KEY,
    Hold,
    Key,
    Meta,
    Mode,
    Op,
)
from .redis_liveness import Liveness
from .redis_records import Records, _text
from .redis_replica import Replica, decode, dtype_of
from .redis_watch import Watching
from .replica import ReplicaStore, no_env

log = logging.getLogger(__name__)

LOG_MAX = 1000
LOCK_TTL_MS = 10_000
LOCK_WAIT = 15.0
# While another process waits for an env's lock, the holder keeps it for at most this long
# (its writes queued meanwhile go in one round trip each), then hands it over.
LEASE_TURN = 0.01
# A waiting writer is woken when the lock is dropped, and asks again this often at most
# anyway (its v{T}:want mark lives WANT_TTL_MS; a dead holder is noticed every 0.2 s).
WAIT_PAUSE_MAX = 0.02
WANT_TTL_MS = 200


def connect(url):
    """Return a client for `url`: a RedisCluster when the server runs in cluster mode."""
    client = redis.Redis.from_url(url, **client_options())
    if client.info("cluster").get("cluster_enabled"):
        client.close()
        return redis.RedisCluster.from_url(url, **client_options())
    return client


def _pairs(flat):
    return {_text(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


class RedisStore(Liveness, Watching, Records, ReplicaStore):
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
        self._direct = type(self.redis) is redis.Redis  # see _run
        self._line = ScriptLine(self.redis) if self._direct else None
        self._heads = {}  # (script sha, env's first key) -> packed head of its EVALSHA
        self._scripts = {
            name: self.redis.register_script(getattr(redis_lua, name))
            for name in ("SYNC", "COMMIT", "RELEASE", "DELETE", "RELEASE_IF")
        }
        self._writers_lock = threading.Lock()  # guards Replica.writers and env.replica
        self.owner = secrets.token_hex(8)
        self._start_watching()
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
            with self._writers_lock:  # also called before env.lock is taken (_writing)
                rep = getattr(env, "replica", None)
                if rep is None:
                    rep = env.replica = Replica(env.eid)
        return rep

    def _run(self, name, keys, args):
        """Run script `name` (EVALSHA; loaded first if Redis does not know it), on one
        Redis (a Cluster's client routes each command) packed and sent by `_evalsha`."""
        script = self._scripts[name]
        try:
            if self._direct:
                return self._evalsha(script.sha, keys, args)
            return self.redis.execute_command("EVALSHA", script.sha, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            return script(keys=keys, args=args)

    def _evalsha(self, sha, keys, args):
        """EVALSHA, packed here (the head once per env and script), sent by the ScriptLine."""
        head = self._heads.get((sha, keys[0]))  # EVALSHA, the script and the env's keys
        if head is None:
            if len(self._heads) > 10_000:  # envs come and go: start over now and then
                self._heads.clear()
            head = self._heads[(sha, keys[0])] = pack_parts(("EVALSHA", sha, len(keys), *keys))
        packed = b"*%d\r\n" % (3 + len(keys) + len(args)) + head + pack_parts(args)
        return self._line.send(packed)

    def _load(self, env):
        """Bring the replica up to date with Redis (caller holds env.lock)."""
        if self._replica(env).depth:
            return  # we hold the env's Redis lock: nobody else changed it
        self._sync(env, "")

    def _sync(self, env, token):
        rep = self._replica(env)
        args = [token, LOCK_TTL_MS, env.seq if env.loaded else -1, rep.gen, rep.col_prefix]
        args.append(WANT_TTL_MS)
        if env.loaded:
            for entry in rep.image.values():
                for tok, _column, n, code in entry["cols"].values():
                    args += [tok, n * dtype_of(code).itemsize]
        try:
            reply = self._run("SYNC", rep.keys, args)
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
        rep.token = None  # a lock we may still hold expires (LOCK_TTL) or was taken over

    # -- writing ----------------------------------------------------------------------

    def _writers(self, rep, step):
        with self._writers_lock:
            rep.writers += step
            return rep.writers

    @contextlib.contextmanager
    def _writing(self, env):
        rep = self._replica(env)
        # Counted before env.lock is taken: a write that ends while others wait for the
        # env keeps the Redis lock for them (see the module docstring).
        self._writers(rep, 1)
        outer = False  # this call commits (not one nested in a write of this thread)
        try:
            with env.lock:
                if not rep.depth:
                    if rep.token is None:
                        self._acquire(env)
                    elif not env.loaded:
                        self._sync(env, "")  # we hold the lock: a read brings it back
                    rep.ops, rep.messages, outer = [], [], True
                rep.depth += 1
                try:
                    yield
                finally:
                    rep.depth -= 1
                    if outer:
                        self._commit(env, self._writers(rep, -1))
        finally:
            if not outer:
                self._writers(rep, -1)

    def _acquire(self, env):
        rep = self._replica(env)
        token = f"{self.owner}:{secrets.token_hex(8)}"
        deadline, pause = time.monotonic() + LOCK_WAIT, 0.001
        next_check = time.monotonic() + 0.2
        while not self._sync(env, token):
            now = time.monotonic()
            if now > deadline:
                raise storage_error(f"env {env.eid} is locked by another server process")
            if now > next_check:
                self._take_over_if_dead(env)
                next_check = now + 0.2
            # Woken as soon as the holder drops the lock (v{T}:go), else after `pause`.
            try:
                self.redis.blpop([rep.keys[Key.GO]], timeout=pause)
            except redis.ResponseError:  # Redis before 6.0: whole seconds only
                time.sleep(pause)
            pause = min(pause * 2, WAIT_PAUSE_MAX)
        rep.token, rep.since = token, time.monotonic()

    def _commit(self, env, waiting=0):
        """Store, number and publish the queued changes in one script; keep the lock for
        the `waiting` writes of this process, or drop it."""
        rep = self._replica(env)
        token, ops, messages = rep.token, rep.ops, rep.messages
        rep.token, rep.ops, rep.messages = None, [], []
        if token is None:
            return
        if not waiting:
            hold = Hold.RELEASE
        elif time.monotonic() - rep.since < LEASE_TURN:
            hold = Hold.KEEP_ANYWAY
        else:
            hold = Hold.KEEP
        # `fanout` (backend.py): the messages are encoded now and PUBLISHed by COMMIT,
        # unless no page watched the env at our last commit ("blind": COMMIT refuses, and
        # they are encoded after all, if one does now). Without it (no Socket.IO on this
        # Redis: tests, tools) they go out after COMMIT, still under the lock, so that
        # processes publish in seq order.
        holding, channel = self.fanout or (None, "")
        late = holding is None and bool(messages) and hold != Hold.KEEP_ANYWAY
        if late:
            hold = Hold.KEEP_ANYWAY
        box = None
        try:
            logged = sum(op[0] == Op.LOG for op in ops)
            head = [token, env.seq - logged, rep.col_prefix, LOG_MAX, hold, LOCK_TTL_MS, channel]
            while True:
                blind = bool(messages) and holding is not None and not rep.watched
                if messages and holding is not None and not blind:
                    with holding() as box:
                        for event, payload in messages:
                            self.publish(env.eid, event, payload)
                args = [*head, "1" if blind else "", len(box.wire) if box else 0]
                if box is not None:
                    args += box.wire
                for op in ops:
                    args += op
                try:
                    reply = self._run("COMMIT", rep.keys, args)
                    break
                except redis.ResponseError as exc:
                    if not blind or "VISDOM watched" not in str(exc):
                        raise
                    rep.watched = True  # a page came: encode the messages and send again
            kept, rep.watched = reply[1], bool(reply[2])
            if rep.meta.pop("new", None):
                self.redis.zadd(ENVS_KEY, {env.eid: time.time()}, nx=True)
        except redis.RedisError as exc:
            # The replica may differ from Redis (the commit may or may not have run): the
            # next use reloads it; the lock, if still ours, is dropped once Redis answers.
            self._invalidate(env)
            self._orphan(env, token)
            log.error("env %s: a change could not be stored in Redis: %s", env.eid, exc)
            if isinstance(exc, UNREACHABLE):
                raise unreachable(exc, UNKNOWN_OUTCOME) from None
            raise storage_error(f"Redis refused the change ({exc})") from None
        except Exception:  # not stored (a message could not be encoded): unlock, forget
            self._invalidate(env)
            self._release(env, token)
            raise
        # Delivered here before env.lock is released: this process's connections get
        # the env's changes in seq order (the other processes get them from COMMIT).
        if box is not None:
            box.deliver()
        elif holding is None:
            for event, payload in messages:
                self.publish(env.eid, event, payload)
        if late:
            self._release(env, token)
        elif kept:
            rep.token = token

    def _release(self, env, token):
        try:
            self._run("RELEASE", self._replica(env).keys, [token])
        except redis.RedisError as exc:  # the lock expires by itself (LOCK_TTL)
            log.error("env %s: could not drop the lock: %s", env.eid, exc)

    def _journal(self, env, record):
        return None

    def _withdraw(self, env, mark):
        pass

    def _announce(self, env, event, payload):
        self._replica(env).messages.append((event, payload))

    def _applied(self, env, record):
        """Queue what the change made different in the stored form (and its log note)."""
        self._replica(env).queue_change(env, record)

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
        self._run("DELETE", rep.keys, [rep.token, rep.col_prefix])
        self.redis.zrem(ENVS_KEY, env.eid)
        rep.token, rep.ops, rep.messages = None, [], []
        self._invalidate(env)

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
