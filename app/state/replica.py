"""ReplicaStore: the store logic both backends share, run on in-memory Env replicas.

Each public method (documented in backend.py) finds the env's replica, brings it up to
date (`_load`), runs the pane code on it (app.panes, app.state.env) and, for a change,
goes through `_change`: journal, apply, number, publish. Where the data is kept is left
to the backend's hooks, declared abstract below with what each must do; EmbeddedStore
(embedded.py) and RedisStore (redis_store.py) implement them.

Why this module is long (~700 lines, above the ~500 the project keeps to): it is one class,
every public method of which is the same short sequence (validate, `_get`, `_writing`,
`_open`, `_change`), and the hooks those methods call are declared, with what each must
do, at the top of the same class. Split into mixins, a method would no longer be read
next to the hooks it relies on.
"""

import abc
import json
import logging
import threading
import time
import uuid

from ..common import VisdomError
from ..jsonio import RawJSON
from ..panes import apply_update, build_window, decimate, viewsettings, walltime
from ..panes.columns import Column
from ..panes.compare import compare_windows
from ..panes.experiment import check_experiment_args
from ..panes.hashing import window_hash
from ..panes.valid import normalize_window, normalize_windows, pop_embeddings
from .backend import StoreBackend

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


def no_env(eid):
    """Return the 404 of an env that does not exist."""
    return VisdomError(f"env '{eid}' does not exist", "eid", 404)


def _sorted_windows(jsons):
    return sorted(jsons.values(), key=lambda w: (not isinstance(w.get("i"), int), w.get("i") or 0))


def _no_op(change):
    """True for an append whose points were all masked (NaN/null): nothing to store or show."""
    return change.get("kind") == "append_traces" and not any(
        change.get(key) for key in ("traces", "props", "layout")
    )


def _ignore(eid, event, payload):
    pass


class ReplicaStore(StoreBackend):
    """The store interface on a table of Env replicas, `_envs`; storage is in the hooks.

    Every change of an env goes through `_change`, inside `_writing(env)`: it is
    journaled (or refused with a 503 and nothing changed), applied to the replica,
    numbered with the env's next sequence number and announced in that order, so that
    browsers receive the changes of an env in the order they were stored.

    Locking: `_lock` guards the env table; each env's own lock guards its replica. A
    method holds at most one env lock, and never takes `_lock` while holding one.
    `env.save_lock`, when taken, is taken before `env.lock`.

    `files` (app.state.persistence.Persistence) is the env folder: every backend writes
    upstream env files there on save, fork and import (`_export`), removes them in
    delete_env and reads style.css from it.
    """

    def __init__(self, files, publish=None, undo_depth=10, caps=None):
        self.files = files
        self.undo_depth = undo_depth
        # Optional 0.3.0 caps (text lines, image frames, embeddings history); None: off.
        self.caps = {key: value for key, value in (caps or {}).items() if value}
        self.publish = publish or _ignore
        self._lock = threading.Lock()
        self._envs = {}

    # -- the backend's hooks ----------------------------------------------------------

    @abc.abstractmethod
    def _find(self, eid):
        """Return the replica of env `eid` if the env exists, else None (creating nothing).

        A shared backend registers a replica (not loaded) of an env another process made.
        """

    @abc.abstractmethod
    def _get(self, eid, create=False):
        """Return (env, created): the replica of `eid`, made (and the env registered in the
        backend) if absent and `create`; raise no_env(eid) if absent and not `create`."""

    @abc.abstractmethod
    def _load(self, env):
        """Bring the replica up to date with the backend (caller holds env.lock).

        Sets env.loaded; sets env.deleted when the env is gone, env.broken (a reason)
        when its stored data cannot be read. Inside `_writing(env)` the replica is
        already current.
        """

    @abc.abstractmethod
    def _writing(self, env):
        """Return a context manager that holds what orders the changes of `env`.

        Inside it, env.lock is held and no other thread or process changes the env; on
        exit every change made inside is stored and published (if not already). It may
        be entered again while held (undo puts a window inside its own write).
        """

    @abc.abstractmethod
    def _journal(self, env, record):
        """Make `record` ({op, seq, ...fields}) durable before it is applied, or raise a
        503 (app.state.persistence.storage_error) leaving nothing behind. Return a mark
        for `_withdraw`."""

    @abc.abstractmethod
    def _withdraw(self, env, mark):
        """Take back the record `_journal` returned `mark` for: its change was refused or
        changed nothing, so a restart must not replay it."""

    @abc.abstractmethod
    def _applied(self, env, record):
        """The journaled `record` was applied to the replica and numbered (env.seq).

        Store what it changed (or note that the env is due for a snapshot)."""

    @abc.abstractmethod
    def _announce(self, env, event, payload):
        """Hand a numbered change to `self.publish`, in seq order, before the env's write
        lock is released (a backend may hold messages until the change is stored)."""

    @abc.abstractmethod
    def _undo_stack(self, env):
        """Return the env's closed windows, [[win, window], ...] oldest first (caller holds
        env.lock); the caller may change the list and hand it to `_set_undo`."""

    @abc.abstractmethod
    def _set_undo(self, env, stack):
        """Store the env's undo stack (inside `_writing(env)`)."""

    @abc.abstractmethod
    def _drop(self, env):
        """Forget a deleted env's stored data (inside `_writing(env)` and env.save_lock);
        delete_env then removes its env files and publishes the reset."""

    @abc.abstractmethod
    def _export(self, env):
        """Write the env's upstream env file now (save, fork, import); no lock held.

        Return True when the file was written, False when the disk refused it (logged;
        the change itself is already stored), None when the env is deleted or unreadable.
        """

    @abc.abstractmethod
    def _read_views(self):
        """Return the saved views as stored: the raw JSON text ("" when none)."""

    @abc.abstractmethod
    def _write_views(self, text):
        """Store the saved views' JSON text."""

    # -- the replica --------------------------------------------------------------------

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
        """Journal, apply, number and publish one change of `env` (inside `_writing`).

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
        """Store a new or replacing window (inside `_writing`)."""
        env.index_for(window)

        def apply():
            env.put(window)
            return "window", {"window": clone(window)}

        self._change(env, "window", {"window": window}, apply)

    # -- windows ----------------------------------------------------------------------

    def put_window(self, eid, args):
        win = args.get("win")
        win = str(win) if win is not None else f"window_{uuid.uuid4().hex[:14]}"
        window = walltime.stamp_new(build_window(args, win), time.time())
        env, created = self._get(eid, create=True)
        with self._writing(env):
            self._open(env)
            self._put(env, window)
            return window["id"], created

    def update_window(self, eid, args, raw=None, now=None):
        # A missing window with a truthy `append` is created (replays rely on that).
        now = time.time() if now is None else float(now)
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
                self._put(env, walltime.stamp_new(build_window(args, win), now))
                return win

            caps = self.caps

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

            # `raw` is journaled as it came (no second encoding)
            fields = {"win": win, "args": RawJSON.of_body(raw) or args, "now": now}
            if caps:
                fields["caps"] = caps
            self._change(env, "update", fields, apply)
            return win

    def close_windows(self, eid, win=None):
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
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            if window is None:
                raise VisdomError(f"window '{win}' does not exist in env '{eid}'", "win", 404)
            return clone(window)

    def window_hash(self, eid, win):
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            window = env.jsons.get(str(win))
            return None if window is None else window_hash(window)

    def windows(self, eid):
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            return clone(env.jsons)

    def env_content(self, eid):
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            content = {"eid": eid, "windows": _sorted_windows(env.jsons), "reload": env.reload}
            view = viewsettings.current(env.extra.get(viewsettings.KEY))
            return dict(clone(content), seq=env.seq, view_settings=clone(view))

    def env_seq(self, eid):
        env, _ = self._get(eid)
        with env.lock:
            self._open(env)
            return env.seq

    def set_window_data(self, eid, win, data):
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
        env = self._find(eid)
        if env is None:
            return 0
        with env.lock:
            self._load(env)
            return len(self._undo_stack(env))

    def undo(self, eid):
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

    def experiment(self, eid):
        env = self._find(eid)
        if env is None:
            return None
        with env.lock:
            self._load(env)
            if env.deleted or env.broken or env.experiment is None:
                return None
            return clone(env.experiment)

    def experiments(self):
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

    def _generation(self, env):
        """Return the name of the env's life (caller holds env.lock); RedisStore overrides it.

        An Env object lives as long as its env: a deleted env made again is a new one.
        """
        gen = getattr(env, "generation", None)
        if gen is None:
            gen = env.generation = uuid.uuid4().hex[:16]
        return gen

    def experiment_tails(self, known=None, eids=None, with_metrics=True):
        known = known or {}
        found = {}
        for eid in self.env_ids() if eids is None else eids:
            env = self._find(eid)
            if env is None:
                continue
            with env.lock:
                self._load(env)
                record = env.experiment
                if env.deleted or env.broken or record is None:
                    continue
                gen, seq = self._generation(env), env.seq
                seen = known.get(eid)
                if seen is not None and seen[0] == gen and seen[1] == seq:
                    found[eid] = {"gen": gen, "seq": seq}
                    continue
                metrics = record.get("metrics")
                metrics = metrics if isinstance(metrics, list) else []
                start = 0
                if seen is not None and seen[0] == gen and 0 <= seen[2] <= len(metrics):
                    start = seen[2]
                if not with_metrics:
                    start = len(metrics)
                head = clone({k: v for k, v in record.items() if k != "metrics"})
                found[eid] = {
                    "gen": gen,
                    "seq": seq,
                    "record": head,
                    "start": start,
                    # Entries are never changed once logged: a shallow copy of each is a copy.
                    "metrics": [dict(m) if isinstance(m, dict) else m for m in metrics[start:]],
                }
        return found

    # -- envs -------------------------------------------------------------------------

    def import_env(self, eid, jsons, reload):
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
        self._export(env)
        return eid

    def delete_env(self, eid):
        env, _ = self._get(eid)
        with self._lock:
            self._envs.pop(eid, None)
        try:
            with env.save_lock, self._writing(env):
                # The files first: when the disk refuses, the env is kept whole.
                self.files.delete(eid)
                self._drop(env)
                env.deleted = True
                # Browsers showing the env resync (and find it gone).
                self.publish(eid, "env_reset", {"eid": eid, "seq": env.seq + 1})
        except OSError as exc:
            with self._lock:
                self._envs.setdefault(eid, env)
            log.error("could not delete the files of env %s: %s", eid, exc)
            raise VisdomError(
                f"could not delete the files of env '{eid}': {exc.strerror or exc}; "
                "the env is kept",
                "eid",
                503,
            ) from None

    def fork_env(self, prev_eid, eid):
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
        self._export(dst)
        return eid

    def save(self, eids):
        saved, failed = [], []
        for eid in eids:
            env = self._find(eid)
            if env is None:
                continue
            with env.lock:
                self._load(env)
                if env.broken or env.deleted:
                    continue
            written = self._export(env)
            if written is False:
                failed.append(eid)
            elif written:
                saved.append(eid)
        if failed:
            names = ", ".join(repr(eid) for eid in failed)
            raise VisdomError(
                f"the disk refused the env file of {names} (the server log says why); "
                "its changes are kept and the file is written once the disk takes writes",
                "data",
                503,
            )
        return saved

    def compare(self, eids, show_all=False):
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
        return self.files.read_user_css()

    # -- views ------------------------------------------------------------------------

    def views(self):
        text = self._read_views()
        try:
            views = json.loads(text) if text.strip() else {}
        except ValueError:
            log.warning("view/layouts.json is not valid JSON; showing no views")
            return {}
        return views if isinstance(views, dict) else {}

    def set_views(self, views):
        if not isinstance(views, dict):
            raise VisdomError("'views' must be an object {env: {view: {win: [i, h, w]}}}", "views")
        for env, named in views.items():
            if not isinstance(named, dict):
                raise VisdomError(
                    f"'views' of env {env!r} must be an object {{view: ...}}", "views"
                )
            for name, spec in named.items():
                if not isinstance(spec, dict):
                    message = (
                        f"'views': view {name!r} of env {env!r} must be an object {{win: ...}}"
                    )
                    raise VisdomError(message, "views")
        text = json.dumps(views)
        self._write_views(text)

    # -- display decimation -----------------------------------------------------------

    def read_range(self, eid, win, x0=None, x1=None, px=None):
        # The columns are copied under the env lock and decimated after it. Traces that
        # are not decimated (unsorted or non-numeric x) come without points.
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
