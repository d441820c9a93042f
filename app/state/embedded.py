"""EmbeddedStore: the default backend, in memory, journaled and snapshotted under ENV_PATH.

Each change is appended to the env's journal (persistence.py) before it is applied, so it
survives a crash of the process; an autosave thread folds each changed env's journal into
its upstream env file (a snapshot) about every save_interval, spending at most save_duty
of wall time on one env. A disk that refuses a write turns every later change into a 503
(nothing changed) until a probe on the next tick finds that it takes writes again.
"""

import json
import logging
import threading
import time

from .env import Env
from .persistence import Persistence, storage_error
from .replica import ReplicaStore, clone, no_env

log = logging.getLogger(__name__)


RULES_FILE = "alert_rules.json"
ALERTS_FILE = "alerts.log"
LIVENESS_FILE = "liveness.json"
# Heartbeats reach the disk at most this often (and at close): a crash loses a few seconds
# of "last seen", far less than any run timeout, and many beating runs cost one small
# write every few seconds instead of one per beat.
BEATS_EVERY = 5.0


def _read_json(text, default):
    try:
        value = json.loads(text) if text.strip() else default
    except ValueError:
        log.warning("a file under view/ is not valid JSON; starting from empty")
        return default
    return value if isinstance(value, type(default)) else default


def _read_lines(text):
    out = []
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash
        if isinstance(item, dict):
            out.append(item)
    return out


class EmbeddedStore(ReplicaStore):
    """The store of one server process: envs in memory, journals and env files on disk.

    Its replicas are the envs themselves (loaded lazily from disk on first use). Locks:
    as ReplicaStore; `_views_lock` guards the saved views' text.
    """

    def __init__(
        self,
        env_path,
        eager=False,
        save_interval=0.5,
        save_duty=0.1,
        publish=None,
        undo_depth=10,
        caps=None,
    ):
        super().__init__(Persistence(env_path), publish, undo_depth, caps)
        self.save_interval = save_interval
        self.save_duty = save_duty
        self._views_lock = threading.Lock()
        self._stop = threading.Event()
        self._saver = None
        # Register the envs found on disk (loaded on first use) and read the saved views.
        self._views_text = self.files.read_views()
        self._side_lock = threading.Lock()
        self._rules = _read_json(self.files.read_side(RULES_FILE), [])
        self._beats = _read_json(self.files.read_side(LIVENESS_FILE), {})
        self._beats_dirty = False
        self._beats_written = -float("inf")
        self._alerts = _read_lines(self.files.read_side(ALERTS_FILE))
        self._claims = {}
        for eid in self.files.list_eids():
            if eid not in self._envs:
                self._envs[eid] = Env(eid, loaded=False)
        if "main" not in self._envs:
            self._envs["main"] = Env("main")
            self._mark_dirty(self._envs["main"])
        if eager:
            for env in list(self._envs.values()):
                with env.lock:
                    self._load(env)

    # -- the env table ----------------------------------------------------------------

    def env_ids(self):
        with self._lock:
            return list(self._envs)

    def has_env(self, eid):
        with self._lock:
            return eid in self._envs

    def ensure_env(self, eid):
        env, created = self._get(eid, create=True)
        if created:
            with env.lock:
                self._mark_dirty(env)
        return created

    def _find(self, eid):
        with self._lock:
            return self._envs.get(eid)

    def _get(self, eid, create=False):
        created = False
        with self._lock:
            env = self._envs.get(eid)
            if env is None:
                if not create:
                    raise no_env(eid)
                env = self._envs[eid] = Env(eid)
                created = True
        return env, created

    def _load(self, env):
        """Read a lazily registered env from its file and journal, once."""
        if env.loaded:
            return
        try:
            env.undo = self.files.read_undo(env.eid)
            snapshot, records = self.files.load(env.eid)
            env.fill(snapshot, records)
            if env.set_aside:
                copy = self.files.set_aside(env.eid)
                log.error(
                    "env %s: windows %s were left out; the original file is kept at %s",
                    env.eid,
                    ", ".join(env.set_aside),
                    copy,
                )
        except (OSError, ValueError, RecursionError) as exc:
            env.broken = str(exc)
            log.error("env %s could not be read and is left untouched: %s", env.eid, exc)
            env.loaded = True

    # -- the write path: journal, then snapshot ---------------------------------------

    def _writing(self, env):
        # One process: the env's lock (reentrant) orders its changes. The lock itself is
        # the context manager (no generator per append).
        return env.lock

    def _journal(self, env, record):
        if self.files.fault:
            raise storage_error(self.files.fault)
        return self.files.append(env.eid, record)

    def _withdraw(self, env, mark):
        self.files.withdraw(env.eid, mark)

    def _applied(self, env, record):
        self._mark_dirty(env)  # the env file is due for a snapshot

    def _announce(self, env, event, payload):
        self.publish(env.eid, event, payload)

    def watching(self, key, eids):
        pass  # app.broadcast skips the pushes of an env whose room is empty

    def _mark_dirty(self, env):
        if not env.dirty:
            env.dirty = True
            env.next_save = max(env.next_save, time.monotonic())

    def _undo_stack(self, env):
        return env.undo

    def _set_undo(self, env, stack):
        env.undo = stack
        self.files.write_undo(env.eid, stack)

    def _drop(self, env):
        env.dirty = False  # memory only: delete_env removes the files

    def _export(self, env):
        return self._snapshot(env, force=True)

    def _read_views(self):
        with self._views_lock:
            return self._views_text

    def _write_views(self, text):
        with self._views_lock:
            try:
                self.files.write_views(text)
            except OSError as exc:  # refused, not half done: the old views stay
                log.error("could not write the saved views: %s", exc)
                raise storage_error(f"{exc.strerror or exc} (the saved views)") from None
            self._views_text = text

    # -- liveness, alert rules, fired alerts ------------------------------------------

    def heartbeat(self, eid, beat):
        with self._side_lock:
            self._beats[eid] = dict(beat)
            self._beats_dirty = True  # written by the autosave tick, not per beat

    def liveness(self):
        with self._side_lock:
            return {eid: dict(beat) for eid, beat in self._beats.items()}

    def alert_rules(self):
        with self._side_lock:
            return [dict(rule) for rule in self._rules]

    def put_alert_rule(self, rule):
        with self._side_lock:
            rules = [r for r in self._rules if r.get("id") != rule["id"]] + [dict(rule)]
            self.files.write_side(RULES_FILE, json.dumps(rules))
            self._rules = rules

    def delete_alert_rule(self, rule_id):
        with self._side_lock:
            rules = [r for r in self._rules if r.get("id") != rule_id]
            if len(rules) == len(self._rules):
                return False
            self.files.write_side(RULES_FILE, json.dumps(rules))
            self._rules = rules
            return True

    def add_alert(self, alert, keep=1000):
        with self._side_lock:
            self.files.append_side(ALERTS_FILE, json.dumps(alert))
            self._alerts.append(dict(alert))
            if len(self._alerts) > 2 * keep:  # compact the file now and then, not each time
                self._alerts = self._alerts[-keep:]
                text = "".join(json.dumps(a) + "\n" for a in self._alerts)
                self.files.write_side(ALERTS_FILE, text)

    def alerts(self, since=None):
        with self._side_lock:
            found = [dict(a) for a in self._alerts[-1000:]]
        if since is not None:
            found = [a for a in found if (a.get("time") or 0) > since]
        return found

    def claim_alert(self, key, seconds):
        now = time.monotonic()
        with self._side_lock:
            if self._claims.get(key, -1.0) > now:
                return False
            self._claims[key] = now + seconds
            if len(self._claims) > 10_000:  # forget expired claims
                self._claims = {k: t for k, t in self._claims.items() if t > now}
            return True

    def _write_beats(self, force=False):
        now = time.monotonic()
        with self._side_lock:
            if not self._beats_dirty or (not force and now - self._beats_written < BEATS_EVERY):
                return
            text = json.dumps(self._beats)
            self._beats_dirty = False
            self._beats_written = now
        try:
            self.files.write_side(LIVENESS_FILE, text)
        except OSError as exc:
            log.error("could not write the run heartbeats: %s", exc)
            with self._side_lock:
                self._beats_dirty = True

    # -- saving -----------------------------------------------------------------------

    def save_all(self):
        # Envs never loaded are already on disk as they are.
        with self._lock:
            loaded = [eid for eid, env in self._envs.items() if env.loaded]
        return self.save(loaded)

    def _snapshot(self, env, force=False):
        """Fold the journal into the env file (the O(env) part, rate-limited by save_duty).

        env.save_lock (always taken before env.lock) makes one snapshot of an env at a
        time: copy the env (`clone`: numeric columns are shared as frozen views, O(1)) and
        rotate the journal under env.lock, then encode and write the file with env.lock
        released so appends go on meanwhile (encoding is O(points): held under the lock,
        it stalled every append of the env for milliseconds twice a second). No older snapshot can overtake a
        newer one, and none can recreate the file of an env deleted meanwhile. Return
        True when the file was written, False when the disk refused it, None when there
        was nothing to write.
        """
        with env.save_lock:
            with env.lock:
                if env.deleted or env.broken or not env.loaded or not (env.dirty or force):
                    return
                started = time.monotonic()
                data = clone(env.to_file())
                self.files.rotate_journal(env.eid)
                env.dirty = False
            try:
                text = self.files.env_text(env.eid, data)
            except BaseException:  # as before: the journal (now .old) keeps the changes
                with env.lock:
                    env.dirty = True
                raise
            try:
                self.files.write_snapshot(env.eid, text)
            except OSError as exc:
                log.error(
                    "could not write env %s (its journal keeps every change): %s", env.eid, exc
                )
                # Until the disk takes writes again, changes are refused (503), not lost.
                self.files.fault = f"{exc.strerror or exc} (env file of {env.eid})"
                with env.lock:
                    env.dirty = True
                written = False
            else:
                written = True
            took = time.monotonic() - started
            env.next_save = time.monotonic() + max(self.save_interval, took / self.save_duty)
            return written

    def flush(self, force=False):
        # Snapshot every dirty env that is due (every dirty env when force), fsync the
        # journals, and probe the disk while a fault refuses changes.
        now = time.monotonic()
        with self._lock:
            envs = list(self._envs.values())
        for env in envs:
            if env.dirty and (force or env.next_save <= now):
                self._snapshot(env)
        self.files.sync_journals()
        self._write_beats(force)
        if self.files.fault:
            self.files.probe()

    def start_autosave(self):
        if self._saver is not None:
            return

        def run():
            while not self._stop.wait(self.save_interval):
                try:
                    self.flush()
                except Exception:  # keep saving the other envs whatever happens
                    log.exception("autosave failed")

        self._saver = threading.Thread(target=run, name="visdom-autosave", daemon=True)
        self._saver.start()

    def close(self):
        self._stop.set()
        if self._saver is not None:
            self._saver.join(timeout=5)
        self.flush(force=True)
        self.files.close()
