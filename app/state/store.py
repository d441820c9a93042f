"""The one in-memory store of envs, windows and views, persisted through Persistence."""

import contextlib
import json
import logging
import threading
import time
import uuid

from ..common import VisdomError
from ..jsonio import RawJSON, lenient_dumps
from ..panes import apply_update, build_window, decimate, viewsettings, walltime
from ..panes.columns import Column
from ..panes.compare import compare_windows
from ..panes.experiment import check_experiment_args
from ..panes.hashing import window_hash
from ..panes.valid import normalize_window, normalize_windows, pop_embeddings
from .env import Env
from .persistence import Persistence, storage_error

log = logging.getLogger(__name__)


_SCALARS = frozenset((int, float, str, bool, type(None)))


def clone(value):
    """Return a deep copy of window data; numeric columns are shared as frozen views (O(1))."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        if set(map(type, value)) <= _SCALARS:
            return value.copy()
        return [clone(item) for item in value]
    if isinstance(value, Column):
        return value.view()
    return value


def _sorted_windows(jsons):
    return sorted(jsons.values(), key=lambda w: (not isinstance(w.get("i"), int), w.get("i") or 0))


def _no_op(change):
    """True for an append whose points were all masked (NaN/null): nothing to store or show."""
    return change.get("kind") == "append_traces" and not any(
        change.get(key) for key in ("traces", "props", "layout")
    )


def _ignore(eid, event, payload):
    pass


class Store:
    """Envs by id. Each method takes escaped env ids and returns plain data to send on.

    Every change of an env goes through `_change`, under the env's lock: it is journaled
    (or refused with a 503 and nothing changed), applied in memory, numbered with the
    env's next sequence number and handed to `publish(eid, event, payload)` in that
    order, so that browsers receive the changes of an env in the order they were stored.

    Locking: `_lock` guards the env table; each env's own lock guards its content. A
    method holds at most one env lock, and never takes `_lock` while holding one.
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
        self.files = Persistence(env_path)
        self.undo_depth = undo_depth
        # Optional 0.3.0 caps (text lines, image frames, embeddings history); None: off.
        self.caps = {key: value for key, value in (caps or {}).items() if value}
        self.publish = publish or _ignore
        self.save_interval = save_interval
        self.save_duty = save_duty
        self._lock = threading.Lock()
        self._envs = {}
        self._views_lock = threading.Lock()
        self._stop = threading.Event()
        self._saver = None
        self._open_backend(eager)

    def _open_backend(self, eager):
        """Register the envs found on disk (lazily loaded) and read the saved views."""
        self._views_text = self.files.read_views()
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
                    raise VisdomError(f"env '{eid}' does not exist", "eid", 404)
                env = self._envs[eid] = Env(eid)
                created = True
        return env, created

    def _load(self, env):
        """Load a lazily registered env from disk (caller holds env.lock)."""
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

    def _open(self, env):
        """Lock-held check that the env is usable."""
        self._load(env)
        if env.deleted:
            raise VisdomError(f"env '{env.eid}' was deleted", "eid", 404)
        if env.broken:
            raise VisdomError(
                f"env '{env.eid}' is stored in a file that could not be read ({env.broken}); "
                "fix or remove the file",
                "eid",
                409,
            )

    def _change(self, env, op, fields, apply):
        """Journal, apply, number and publish one change of `env` (caller holds env.lock).

        `apply()` mutates the env and returns the (event, payload) to publish, or None
        when nothing changed. A refusal raised by `apply` (validation happens before
        any mutation) withdraws the journal record. Return the published payload.
        """
        seq = env.seq + 1
        record = dict(fields, seq=seq, op=op)
        mark = self._journal(env, record)
        try:
            message = apply()
        except BaseException:
            self._withdraw(env, mark)
            raise
        if message is None:
            self._withdraw(env, mark)
            return None
        env.seq = seq
        self._applied(env, record)
        event, payload = message
        payload.update(eid=env.eid, seq=seq)
        self._announce(env, event, payload)
        return payload

    def _put(self, env, window):
        """Store a new or replacing window (caller holds env.lock)."""
        env.index_for(window)

        def apply():
            env.put(window)
            return "window", {"window": clone(window)}

        self._change(env, "window", {"window": window}, apply)

    def _mark_dirty(self, env):
        if not env.dirty:
            env.dirty = True
            env.next_save = max(env.next_save, time.monotonic())

    # -- the embedded backend's persistence and consistency (RedisStore overrides these) --

    def _find(self, eid):
        """Return the env `eid` if it exists, else None (without creating it)."""
        with self._lock:
            return self._envs.get(eid)

    @contextlib.contextmanager
    def _writing(self, env):
        """Hold what orders the changes of `env`: here its lock."""
        with env.lock:
            yield

    def _journal(self, env, record):
        """Make `record` durable before it is applied; return a mark for `_withdraw`."""
        if self.files.fault:
            raise storage_error(self.files.fault)
        return self.files.append(env.eid, record)

    def _withdraw(self, env, mark):
        self.files.withdraw(env.eid, mark)

    def _applied(self, env, record):
        """A journaled change was applied: the env file is due for a snapshot."""
        self._mark_dirty(env)

    def _announce(self, env, event, payload):
        self.publish(env.eid, event, payload)

    def _undo_stack(self, env):
        """Return the env's closed windows, [[win, window], ...] (caller holds env.lock)."""
        return env.undo

    def _set_undo(self, env, stack):
        env.undo = stack
        self.files.write_undo(env.eid, stack)

    def _drop(self, env):
        """Forget a deleted env's data (its files go in delete_env)."""

    def _saveable(self):
        with self._lock:
            return [eid for eid, env in self._envs.items() if env.loaded]

    def _read_views(self):
        with self._views_lock:
            return self._views_text

    def _write_views(self, text):
        with self._views_lock:
            self._views_text = text
            self.files.write_views(text)

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
        window = walltime.stamp_new(build_window(args, win), time.time())
        env, created = self._get(eid, create=True)
        with self._writing(env):
            self._open(env)
            self._put(env, window)
            return window["id"], created

    def update_window(self, eid, args, raw=None):
        """Apply an /update; return the window id.

        A missing window with a truthy `append` is created (replays rely on that);
        without `append` it is a VisdomError with upstream's text. `raw`, the request
        body `args` was parsed from, is journaled as it is (no second encoding).
        """
        win = args.get("win")
        if win is None:
            raise VisdomError("'win' is required", "win")
        win = str(win)
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            window = env.jsons.get(win)
            if window is None:
                if not args.get("append"):
                    raise VisdomError("win does not exist", "win", 404, plain=True)
                self._put(env, walltime.stamp_new(build_window(args, win), time.time()))
                return win

            caps = self.caps
            now = time.time()

            def apply():
                change = apply_update(window, args, caps)
                if _no_op(change):
                    return None
                walltime.stamp_update(window, now, bool(args.get("append")))
                if change["kind"] == "full":
                    return "window", {"window": clone(window)}
                # `wall`: when the new points arrived (the browser's wall-time axis)
                return "window_update", dict(
                    change, win=win, contentID=window["contentID"], wall=now
                )

            fields = {"win": win, "args": RawJSON.of_body(raw) or args, "now": now}
            if caps:
                fields["caps"] = caps
            self._change(env, "update", fields, apply)
            return win

    def close_windows(self, eid, win=None):
        """Remove one window (all when win is None); return the removed windows."""
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            ids = list(env.jsons) if win is None else [str(win)]
            ids = [w for w in ids if w in env.jsons]
            if not ids:
                return []
            removed = []

            def apply():
                removed.extend(env.remove(None if win is None else str(win)))
                return "close", {"wins": ids, "win": ids[0]}

            self._change(env, "close", {"win": None if win is None else str(win)}, apply)
            self._push_undo(env, removed)
            return removed

    def window_exists(self, eid, win):
        env = self._find(eid)
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
                raise VisdomError(f"window '{win}' does not exist in env '{eid}'", "win", 404)
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
        """Return {"eid", "windows" (sorted by creation), "reload", "seq"} for a browser."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            content = {"eid": eid, "windows": _sorted_windows(env.jsons), "reload": env.reload}
            view = viewsettings.current(env.extra.get(viewsettings.KEY))
            return dict(clone(content), seq=env.seq, view_settings=clone(view))

    def set_window_data(self, eid, win, data):
        """Overwrite a window (or every window when win is None) with client data.

        The data is made valid first (app.panes.valid): what cannot be repaired is a 400
        and changes nothing. Return True if the env was created.
        """
        if win is None:
            data = normalize_windows(data)
        else:
            win = str(win)
            data = normalize_window(data, win)
        env, created = self._get(eid, create=True)
        with self._writing(env):
            self._open(env)

            def apply():
                env.set_data(win, data)
                if win is None:
                    return "env_reset", {}
                return "window", {"window": clone(env.jsons[win])}

            self._change(env, "set", {"win": win, "data": data}, apply)
        return created

    def set_layout_item(self, eid, win, layout):
        """Store a browser's layout item (position/size) for a window."""
        if not isinstance(layout, dict):
            raise VisdomError("'layout' must be an object", "layout")
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)

            def apply():
                env.reload[str(win)] = layout
                return "layout", {"win": str(win), "layout": layout}

            self._change(env, "layout", {"win": str(win), "layout": layout}, apply)

    def pop_embeddings(self, eid, win):
        """Restore the previous point set of an embeddings window (its "Back" button)."""
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            window = env.jsons.get(str(win))
            if window is None:
                raise VisdomError(f"'{win}' is not an embeddings window", "win", 404)

            def apply():
                pop_embeddings(window)
                return "window", {"window": clone(window)}

            self._change(env, "pop_embeddings", {"win": str(win)}, apply)

    def set_comment(self, eid, win, comment):
        """Set a window's comment (version + 1); browsers get the full window."""
        if not isinstance(comment, str):
            raise VisdomError("'comment' must be a string", "comment")
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            win = self._existing(env, win)

            def apply():
                return "window", {"window": clone(env.set_comment(win, comment))}

            self._change(env, "comment", {"win": win, "comment": comment}, apply)

    def merge_plot_layout(self, eid, win, layout):
        """Merge layout keys (drawn shapes) into a plot's layout (version + 1)."""
        if not isinstance(layout, dict):
            raise VisdomError("'layout' must be an object", "layout")
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            win = self._existing(env, win)
            window = env.jsons[win]
            ok = window.get("type") == "plot" and isinstance(window.get("content"), dict)
            if window.get("type") == "plot_history":
                ok = isinstance(window.get("content"), list) and bool(window["content"])
                ok = ok and all(isinstance(f, dict) for f in window["content"])
            if not ok:
                raise VisdomError(f"window '{win}' is not a plot", "win")

            def apply():
                return "window", {"window": clone(env.merge_plot_layout(win, layout))}

            self._change(env, "plot_layout", {"win": win, "layout": layout}, apply)

    def update_view(self, eid, win, view):
        """Merge view settings (smoothing, axes) for one window, or the env when win is
        None; every page of the env gets `view_settings` with all of the env's settings."""
        if win is not None and not isinstance(win, str):
            raise VisdomError("'win' must be a window id or null", "win")
        view = viewsettings.check_view(view)
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)

            def apply():
                return "view_settings", {"settings": clone(env.set_view(win, view))}

            self._change(env, "view", {"win": win, "view": view}, apply)

    def view_settings(self, eid):
        """Return the env's view settings {"env": {...}, "windows": {win: {...}}}."""
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            return clone(viewsettings.current(env.extra.get(viewsettings.KEY)))

    def _existing(self, env, win):
        if not isinstance(win, str) or win not in env.jsons:
            raise VisdomError(f"window '{win}' does not exist in env '{env.eid}'", "win", 404)
        return win

    # -- undo of closed windows ---------------------------------------------------------

    def _push_undo(self, env, removed):
        """Remember closed windows for `undo` (caller holds env.lock)."""
        if not removed or self.undo_depth <= 0:
            return
        stack = self._undo_stack(env)
        stack.extend([w["id"], w] for w in removed)
        del stack[: max(0, len(stack) - self.undo_depth)]
        self._set_undo(env, stack)

    def undo_count(self, eid):
        """Return how many closed windows of the env `undo` can restore (0 if no env)."""
        env = self._find(eid)
        if env is None:
            return 0
        with env.lock:
            self._load(env)
            return len(self._undo_stack(env))

    def undo(self, eid):
        """Restore the most recently closed window of the env; return its id."""
        env, _ = self._get(eid)
        with self._writing(env):
            self._open(env)
            stack = self._undo_stack(env)
            if not stack:
                raise VisdomError("nothing to undo", "eid", 404)
            win, window = stack[-1]
            window = normalize_window(clone(window), str(win))
            window.pop("i", None)  # back on top, as 0.3.0 does (max(i) + 1)
            self._put(env, window)
            stack.pop()
            self._set_undo(env, stack)
            return window["id"], len(stack)

    # -- experiments --------------------------------------------------------------------

    def log_experiment(self, eid, args):
        """Apply an /experiments/log request; return (experiment record, env_created)."""
        if not self.has_env(eid):  # refuse before creating anything
            check_experiment_args(args, None, eid)
        env, created = self._get(eid, create=True)
        with self._writing(env):
            self._open(env)
            now = time.time()
            result = []

            def apply():
                count = len((env.experiment or {}).get("metrics") or [])
                record = env.log_experiment(args, now)
                result.append(clone(record))
                summary = {k: v for k, v in result[0].items() if k != "metrics"}
                new = result[0]["metrics"][count:]
                return "experiment", {"experiment": summary, "metrics": new}

            self._change(env, "experiment", {"args": args, "now": now}, apply)
            return result[0], created

    def experiments(self):
        """Return [{"eid", "experiment"}] for every env that holds an experiment."""
        found = []
        for eid in self.env_ids():
            env = self._find(eid)
            if env is None:
                continue
            with env.lock:
                self._load(env)
                if env.deleted or env.broken or env.experiment is None:
                    continue
                found.append({"eid": eid, "experiment": clone(env.experiment)})
        return found

    # -- envs -------------------------------------------------------------------------

    def import_env(self, eid, jsons, reload):
        """Create env `eid` from an uploaded env file's windows and layout; save it at once."""
        jsons = normalize_windows(jsons, "jsons")
        if not isinstance(reload, dict):
            raise VisdomError("'reload' must be an object", "reload")
        env, _ = self._get(eid, create=True)
        with self._writing(env):
            self._load(env)
            env.broken, env.deleted = None, False

            def apply():
                env.replace(jsons, reload)
                return "env_reset", {}

            self._change(env, "replace", {"jsons": jsons, "reload": reload}, apply)
        self._snapshot(env, force=True)
        return eid

    def delete_env(self, eid):
        """Delete an env and its files."""
        env, _ = self._get(eid)
        with self._lock:
            self._envs.pop(eid, None)
        with env.save_lock, self._writing(env):
            self._drop(env)
            env.deleted = True
            env.dirty = False
            self.files.delete(eid)
            # Browsers showing the env resync (and find it gone).
            self.publish(eid, "env_reset", {"eid": eid, "seq": env.seq + 1})

    def fork_env(self, prev_eid, eid):
        """Copy env `prev_eid` to `eid` (replacing it) and save it at once."""
        try:
            src, _ = self._get(prev_eid)
            with src.lock:
                self._open(src)
                data = clone({"jsons": src.jsons, "reload": src.reload})
        except VisdomError as exc:  # the error is about the source: name its field
            raise VisdomError(exc.message, "prev_eid", exc.status) from None
        dst, _ = self._get(eid, create=True)
        with self._writing(dst):
            self._load(dst)
            dst.broken, dst.deleted = None, False

            def apply():
                dst.replace(data["jsons"], data["reload"])
                return "env_reset", {}

            self._change(dst, "replace", data, apply)
        self._snapshot(dst, force=True)
        return eid

    def save_all(self):
        """Write every env held in memory now (envs never loaded are already on disk)."""
        return self.save(self._saveable())

    def save(self, eids):
        """Write the given envs to disk now; return the ids written."""
        saved = []
        for eid in eids:
            env = self._find(eid)
            if env is None:
                continue
            with env.lock:
                self._load(env)
                if env.broken or env.deleted:
                    continue
            self._snapshot(env, force=True)
            saved.append(eid)
        return saved

    def compare(self, eids, show_all=False):
        """Return the merged compare view of several envs (with every window when show_all)."""
        envs, seqs = [], {}
        for eid in eids:
            env, _ = self._get(eid)
            with env.lock:
                self._open(env)
                envs.append((eid, clone(env.jsons)))
                seqs[eid] = env.seq
        windows = compare_windows(envs, show_all=show_all)
        return {"eids": list(eids), "windows": windows, "reload": {}, "seqs": seqs}

    def user_css(self):
        """Return the user's CSS (upstream's /user/style.css)."""
        return self.files.read_user_css()

    # -- views ------------------------------------------------------------------------

    def views(self):
        """Return the saved views as an object (upstream keeps them as a raw string)."""
        text = self._read_views()
        try:
            views = json.loads(text) if text.strip() else {}
        except ValueError:
            log.warning("view/layouts.json is not valid JSON; showing no views")
            return {}
        return views if isinstance(views, dict) else {}

    def set_views(self, views):
        """Replace the saved views and write them at once."""
        if not isinstance(views, dict):
            raise VisdomError("'views' must be an object {env: {view: {win: [i, h, w]}}}", "views")
        text = json.dumps(views)
        self._write_views(text)

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
                data = env.to_file()
                if self.files.hashed(env.eid):
                    data["name"] = env.eid  # 0.3.0's hash_<sha256>.json carries the name
                text = lenient_dumps(data)
                self.files.rotate_journal(env.eid)
                env.dirty = False
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
        if self.files.fault:
            # Changes stay refused (503) until the disk takes a write again.
            self.files.probe()

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

    # -- display decimation -----------------------------------------------------------

    def read_range(self, eid, win, x0=None, x1=None, px=None):
        """Return the points a browser `px` pixels wide draws of a plot in [x0, x1].

        Per trace {"index", "total", "shown", "raw", "columns": {plotly path: values}}
        (app.panes.decimate.trace_points); traces that are not decimated (unsorted or
        non-numeric x) come as {"index", "total", "whole": true} without points: the
        browser keeps what it has. The columns are copied under the env lock and
        decimated after it, so appends wait only for the copy.
        """
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            content = window.get("content") if isinstance(window, dict) else None
            if window is None or window.get("type") != "plot" or not isinstance(content, dict):
                raise VisdomError(f"'{win}' is not a plot window in env '{eid}'", "win", 404)
            traces = [_copy_columns(t) for t in content.get("data") or []]
            stamps = [
                _copy_columns(walltime.trace_stamps(window, k) or {}) or None
                for k in range(len(traces))
            ]
            head = {"eid": eid, "win": str(win), "contentID": window.get("contentID")}
            seq = env.seq
        budget = decimate.budget_for(px)
        out = []
        for index, trace in enumerate(traces):
            points = decimate.trace_points(trace, (x0, x1), budget, stamps[index])
            if points is None:
                total = decimate.length(trace.get("y"))
                out.append({"index": index, "total": total, "whole": True})
            else:
                out.append(dict(points, index=index))
        return dict(head, seq=seq, x0=x0, x1=x1, budget=budget, traces=out)


def _copy_columns(trace):
    """Copy a trace's own lists (one level into nested objects) so they can be read unlocked."""
    if not isinstance(trace, dict):
        return {}
    out = {}
    for key, value in trace.items():
        if isinstance(value, dict):
            value = {k: decimate.copy_column(v) for k, v in value.items()}
        else:
            value = decimate.copy_column(value)
        out[key] = value
    return out
