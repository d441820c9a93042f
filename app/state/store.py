"""The one in-memory store of envs, windows and views, persisted through Persistence."""

import json
import logging
import threading
import time
import uuid

from ..panes import apply_update, build_window
from ..panes.compare import compare_windows
from ..panes.hashing import window_hash
from .env import Env
from .errors import StoreError
from .names import eid_from_filename
from .persistence import Persistence

log = logging.getLogger(__name__)


def clone(value):
    """Return a deep copy of JSON data (fast: one encode and decode in C)."""
    return json.loads(json.dumps(value))


def _sorted_windows(jsons):
    return sorted(jsons.values(), key=lambda w: (not isinstance(w.get("i"), int), w.get("i") or 0))


class Store:
    """Envs by id. Each method takes escaped env ids and returns plain data to send on.

    Locking: `_lock` guards the env table; each env's own lock guards its content. A
    method holds at most one env lock, and never takes `_lock` while holding one.
    """

    def __init__(self, env_path, eager=False, save_interval=0.5, save_duty=0.1):
        self.files = Persistence(env_path)
        self.save_interval = save_interval
        self.save_duty = save_duty
        self._lock = threading.Lock()
        self._envs = {}
        self._views_lock = threading.Lock()
        self._views_text = self.files.read_views()
        self._stop = threading.Event()
        self._saver = None
        for name in self.files.list_names():
            eid = eid_from_filename(name)
            if eid is not None and eid not in self._envs:
                self._envs[eid] = Env(eid, loaded=False)
        if "main" not in self._envs:
            self._envs["main"] = Env("main")
            self._mark_dirty(self._envs["main"])
        if eager:
            for env in list(self._envs.values()):
                with env.lock:
                    self._load(env)

    # -- env table ------------------------------------------------------------------

    def env_ids(self):
        """Return all env ids, envs found on disk first."""
        with self._lock:
            return list(self._envs)

    def has_env(self, eid):
        with self._lock:
            return eid in self._envs

    def _get(self, eid, create=False):
        """Return (env, created) with the env loaded; raise 404 if absent and not create."""
        created = False
        with self._lock:
            env = self._envs.get(eid)
            if env is None:
                if not create:
                    raise StoreError(f"env '{eid}' does not exist", "eid", 404)
                env = self._envs[eid] = Env(eid)
                created = True
        return env, created

    def _load(self, env):
        """Load a lazily registered env from disk (caller holds env.lock)."""
        if env.loaded:
            return
        try:
            snapshot, records = self.files.load(env.eid)
            env.fill(snapshot, records)
        except (OSError, ValueError) as exc:
            env.broken = str(exc)
            log.error("env %s could not be read and is left untouched: %s", env.eid, exc)
            env.loaded = True

    def _open(self, env):
        """Lock-held check that the env is usable."""
        self._load(env)
        if env.deleted:
            raise StoreError(f"env '{env.eid}' was deleted", "eid", 404)
        if env.broken:
            raise StoreError(
                f"env '{env.eid}' is stored in a file that could not be read ({env.broken}); "
                "fix or remove the file",
                "eid",
                409,
            )

    def _record(self, env, op, **fields):
        """Journal one change (caller holds env.lock) and schedule a snapshot."""
        env.seq += 1
        self.files.append(env.eid, dict(fields, seq=env.seq, op=op))
        self._mark_dirty(env)

    def _mark_dirty(self, env):
        if not env.dirty:
            env.dirty = True
            env.next_save = max(env.next_save, time.monotonic())

    def ensure_env(self, eid):
        """Create the env if needed; return True if it was created."""
        env, created = self._get(eid, create=True)
        if created:
            with env.lock:
                self._mark_dirty(env)
        return created

    # -- windows ----------------------------------------------------------------------

    def put_window(self, eid, args):
        """Create or replace a window from an /events request; return (window, env_created)."""
        win = args.get("win")
        win = str(win) if win is not None else f"window_{uuid.uuid4().hex[:14]}"
        window = build_window(args, win)
        env, created = self._get(eid, create=True)
        with env.lock:
            self._open(env)
            env.put(window)
            self._record(env, "window", window=window)
            return clone(window), created

    def update_window(self, eid, args):
        """Apply an /update; return (window copy or None, change, env_created).

        A missing window with a truthy `append` is created (replays rely on that);
        without `append` it is a StoreError with upstream's text.
        """
        win = args.get("win")
        if win is None:
            raise StoreError("'win' is required", "win")
        win = str(win)
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(win)
            if window is None:
                if not args.get("append"):
                    raise StoreError("win does not exist", "win", 404, plain=True)
                window = build_window(args, win)
                env.put(window)
                self._record(env, "window", window=window)
                return clone(window), {"kind": "full"}, False
            change = apply_update(window, args)
            self._record(env, "update", win=win, args=args)
            if change["kind"] == "full":
                return clone(window), change, False
            return None, dict(change, contentID=window["contentID"]), False

    def close_windows(self, eid, win=None):
        """Remove one window (all when win is None); return the removed windows."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            removed = env.remove(None if win is None else str(win))
            if removed:
                self._record(env, "close", win=win)
            return removed

    def window_exists(self, eid, win):
        with self._lock:
            env = self._envs.get(eid)
        if env is None:
            return False
        with env.lock:
            self._open(env)
            return str(win) in env.jsons

    def window(self, eid, win):
        """Return a copy of one window; 404 if absent."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            if window is None:
                raise StoreError(f"window '{win}' does not exist in env '{eid}'", "win", 404)
            return clone(window)

    def window_hash(self, eid, win):
        """Return the md5 of a window, or None if it does not exist."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            return None if window is None else window_hash(window)

    def windows(self, eid):
        """Return a copy of the {win_id: window} map of an env."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            return clone(env.jsons)

    def env_content(self, eid):
        """Return {"eid", "windows" (sorted by creation), "reload"} for a browser."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            return clone({"eid": eid, "windows": _sorted_windows(env.jsons), "reload": env.reload})

    def set_window_data(self, eid, win, data):
        """Overwrite a window (or every window when win is None) with client data."""
        if win is None:
            if not isinstance(data, dict) or not all(isinstance(w, dict) for w in data.values()):
                raise StoreError("'data' must be a JSON object of window objects", "data")
        elif not isinstance(data, dict):
            raise StoreError("'data' must be a JSON window object", "data")
        env, created = self._get(eid, create=True)
        with env.lock:
            self._open(env)
            env.set_data(None if win is None else str(win), data)
            self._record(env, "set", win=win, data=data)
        return created

    def set_layout_item(self, eid, win, layout):
        """Store a browser's layout item (position/size) for a window."""
        if not isinstance(layout, dict):
            raise StoreError("'layout' must be an object", "layout")
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            env.reload[str(win)] = layout
            self._record(env, "layout", win=str(win), layout=layout)

    def set_reload(self, eid, reload):
        """Replace an env's whole layout map."""
        if not isinstance(reload, dict):
            raise StoreError("'data' must be an object of layout items", "data")
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            env.reload = reload
            self._record(env, "reload", reload=reload)

    def pop_embeddings(self, eid, win):
        """Restore the previous point set of an embeddings window; return the window."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            if window is None or window.get("type") != "embeddings":
                raise StoreError(f"'{win}' is not an embeddings window", "win", 404)
            old = window.get("old_content") or []
            if not old:
                raise StoreError("this embeddings window has no previous selection", "win", 409)
            window["content"]["data"] = old.pop()
            window["content"]["selected"] = None
            window["content"]["has_previous"] = bool(old)
            self._record(env, "set", win=str(win), data=window)
            return clone(window)

    # -- envs -------------------------------------------------------------------------

    def delete_env(self, eid):
        """Delete an env and its files."""
        env, _ = self._get(eid)
        with self._lock:
            self._envs.pop(eid, None)
        with env.save_lock, env.lock:
            env.deleted = True
            env.dirty = False
            self.files.delete(eid)

    def fork_env(self, prev_eid, eid):
        """Copy env `prev_eid` to `eid` (replacing it) and save it at once."""
        try:
            src, _ = self._get(prev_eid)
            with src.lock:
                self._open(src)
                data = clone({"jsons": src.jsons, "reload": src.reload})
        except StoreError as exc:  # the error is about the source: name its field
            raise StoreError(exc.message, "prev_eid", exc.status) from None
        dst, _ = self._get(eid, create=True)
        with dst.lock:
            self._load(dst)
            seq = dst.seq
            dst.broken, dst.deleted = None, False
            dst.fill({"jsons": data["jsons"], "reload": data["reload"]}, [])
            dst.seq = seq + 1
            self._mark_dirty(dst)
        self._snapshot(dst, force=True)
        return eid

    def save(self, eids):
        """Write the given envs to disk now; return the ids written."""
        saved = []
        for eid in eids:
            with self._lock:
                env = self._envs.get(eid)
            if env is None:
                continue
            with env.lock:
                self._load(env)
                if env.broken or env.deleted:
                    continue
            self._snapshot(env, force=True)
            saved.append(eid)
        return saved

    def compare(self, eids):
        """Return the merged compare view of several envs."""
        envs = []
        for eid in eids:
            env, _ = self._get(eid)
            with env.lock:
                self._open(env)
                envs.append((eid, clone(env.jsons)))
        return {"eids": list(eids), "windows": compare_windows(envs), "reload": {}}

    def user_css(self):
        """Return the user's CSS (upstream's /user/style.css)."""
        return self.files.read_user_css()

    # -- views ------------------------------------------------------------------------

    def views(self):
        """Return the saved views as an object (upstream keeps them as a raw string)."""
        with self._views_lock:
            text = self._views_text
        try:
            views = json.loads(text) if text.strip() else {}
        except ValueError:
            log.warning("view/layouts.json is not valid JSON; showing no views")
            return {}
        return views if isinstance(views, dict) else {}

    def set_views(self, views):
        """Replace the saved views and write them at once."""
        if not isinstance(views, dict):
            raise StoreError("'views' must be an object {env: {view: {win: [i, h, w]}}}", "views")
        text = json.dumps(views)
        with self._views_lock:
            self._views_text = text
            self.files.write_views(text)

    # -- saving -----------------------------------------------------------------------

    def _snapshot(self, env, force=False):
        """Fold the journal into the env file (the O(env) part, rate-limited by save_duty).

        env.save_lock (always taken before env.lock) makes one snapshot of an env at a
        time: serialize and rotate the journal under env.lock, then write the file with
        env.lock released so appends go on meanwhile. No older snapshot can overtake a
        newer one, and none can recreate the file of an env deleted meanwhile.
        """
        with env.save_lock:
            with env.lock:
                if env.deleted or env.broken or not env.loaded or not (env.dirty or force):
                    return
                started = time.monotonic()
                text = json.dumps(env.to_file())
                self.files.rotate_journal(env.eid)
                env.dirty = False
            try:
                self.files.write_snapshot(env.eid, text)
            except OSError as exc:
                log.error(
                    "could not write env %s (its journal keeps every change): %s", env.eid, exc
                )
                with env.lock:
                    env.dirty = True
            took = time.monotonic() - started
            env.next_save = time.monotonic() + max(self.save_interval, took / self.save_duty)

    def flush(self, force=False):
        """Snapshot every dirty env that is due (all dirty envs when force)."""
        now = time.monotonic()
        with self._lock:
            envs = list(self._envs.values())
        for env in envs:
            if env.dirty and (force or env.next_save <= now):
                self._snapshot(env)
        self.files.sync_journals()

    def start_autosave(self):
        """Start the background thread that saves changed envs about every save_interval."""
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
        """Stop autosaving and write everything that is pending."""
        self._stop.set()
        if self._saver is not None:
            self._saver.join(timeout=5)
        self.flush(force=True)
        self.files.close()
