"""The store interface: what a backend (the embedded store, RedisStore, a new one) implements.

`StoreBackend` lists every method the services, blueprints, sockets and CLI call on the
store (`get_store()`), each with what it must guarantee. A backend is accepted when it
passes tests/contract (every backend runs the same suite; see tests/contract/conftest.py).

The backends today, both built on `ReplicaStore` (app/state/replica.py), which runs the
pane code on in-memory `Env` replicas and leaves the storage to a dozen documented hooks:

    EmbeddedStore   app/state/embedded.py     memory + a journal per env + upstream env files
    RedisStore      app/state/redis_store.py  Redis, shared by several server processes

A new backend may subclass ReplicaStore (implement its hooks and the abstract methods left
here) or implement this interface from scratch.

What every method guarantees, unless its docstring says otherwise:

- Ids. `eid` is an escaped env id (app.state.escape_eid); `win` a window id.
- Copies. What a method returns is plain data (dicts, lists, numbers, Columns) that the
  caller owns: later changes of the env do not change it; it may be encoded unlocked.
- Order. Every change of an env gets the env's next sequence number `seq` (1, 2, ...,
  no gap, across every process of a shared backend) and is handed to `publish(eid,
  event, payload)` once, with payload["eid"] and payload["seq"], in seq order: the
  change is published while the env's write lock is held, before the next change of
  the env is numbered. Events: "window" {window}, "window_update" {win, contentID,
  wall, kind, ...}, "close" {wins, win}, "layout" {win, layout}, "view_settings"
  {settings}, "experiment" {experiment, metrics}, "env_reset" {} (reload the env).
- Atomicity and durability. A change is stored whole or not at all, and it is stored
  (survives a kill -9 of the process) before the method returns.
- Refusals. A `VisdomError` with status 4xx (the request is wrong: `field` names the
  request field) or 503 (the backend cannot store changes now: field None) leaves
  nothing behind: nothing changed, nothing published, nothing journaled, no seq used.
  Missing envs are 404 with field "eid", missing windows 404 with field "win"; an env
  whose stored data cannot be read is 409 with field "eid".
- Reads see every change acknowledged before they started, in any process.
- Threads. Every method may be called from any thread at any time.
"""

import abc
from collections.abc import Callable

__all__ = ["StoreBackend"]


class StoreBackend(abc.ABC):
    """Envs by id, their windows, layout items, view settings, experiments; saved views."""

    publish: Callable[[str, str, dict], None]
    """Where numbered env changes go: publish(eid, event, payload), called under the env's
    write lock in seq order (see the module docstring). app.sockets.init_app sets it to
    app.sockets.broadcast.publish; until then changes are announced to nobody."""

    fanout: tuple | None = None
    """(holding, channel) of the Socket.IO fan-out when it runs on the backend's own Redis
    (app/sockets/fanout.py OrderedRedisManager), set by app.sockets.init_app: RedisStore
    then PUBLISHes each change on `channel` from the script that stores it, and hands it
    to this process's connections afterwards. Other backends ignore it."""

    # -- the env table ----------------------------------------------------------------

    @abc.abstractmethod
    def env_ids(self):
        """Return every env id (list of str); the embedded store lists envs on disk first."""

    @abc.abstractmethod
    def has_env(self, eid):
        """Return True if env `eid` exists (in any process of a shared backend)."""

    @abc.abstractmethod
    def ensure_env(self, eid):
        """Create env `eid`, empty, if it does not exist; return True if this call made it.

        A created env is listed by env_ids at once (the embedded store writes its empty
        env file on the next autosave). Publishes nothing (the caller announces the list).
        """

    @abc.abstractmethod
    def delete_env(self, eid):
        """Delete env `eid`, its stored data and its env files; 404 ("eid") if absent.

        Publishes "env_reset" with seq one past the env's last, so open pages resync and
        find it gone. Afterwards has_env(eid) is False in every process, and a change to
        `eid` that creates envs starts a new, empty one. When the disk refuses to
        remove the env's files: 503 ("eid"), and the env is kept as it was.
        """

    @abc.abstractmethod
    def fork_env(self, prev_eid, eid):
        """Copy the windows and layout of `prev_eid` into `eid` (replacing it); return eid.

        One change of `eid` ("env_reset"); the env file of `eid` is written at once.
        Errors about the source carry field "prev_eid" (404 absent, 409 unreadable).
        Later changes of either env do not show in the other.
        """

    @abc.abstractmethod
    def import_env(self, eid, jsons, reload):
        """Replace env `eid` (created if needed) with the windows `jsons` {win: window} and
        layout items `reload` of an uploaded env file; return eid.

        Windows are made valid first (app.panes.valid): 400 with field "jsons" (or
        "reload" when it is not an object) for what cannot be repaired. One change
        ("env_reset"); the env file is written at once. Clears an unreadable env's 409.
        """

    @abc.abstractmethod
    def save(self, eids):
        """Write the upstream env file (<env_path>/<eid>.json) of each env in `eids` now.

        Return the ids written; envs that are absent, deleted or unreadable are skipped.
        A write the disk refuses is logged and answered 503 ("data") once the others are
        written; the env's changes stay stored (the embedded store refuses changes with
        503 until the disk takes writes again).
        """

    @abc.abstractmethod
    def save_all(self):
        """Write the env file of every env that may differ from its file; return the ids."""

    @abc.abstractmethod
    def compare(self, eids, show_all=False):
        """Return {"eids", "windows", "reload": {}, "seqs": {eid: seq}}: the merged compare
        view of several envs (app.panes.compare), with every window when show_all.

        404 ("eid") if any env is absent. Each env is read at one seq, named in "seqs".
        """

    # -- windows ----------------------------------------------------------------------

    @abc.abstractmethod
    def put_window(self, eid, args):
        """Create or replace a window from an /events body `args`; return (win, env_created).

        Without args["win"] a new id is made ("window_<hex>"). A replaced window keeps
        its grid index. The env is created if absent. 400 (field from app.panes) if
        `args` cannot make a window. Publishes "window" with the whole window.
        """

    @abc.abstractmethod
    def update_window(self, eid, args, raw=None, now=None):
        """Apply an /update body `args` (append, replace, remove, ...); return the win id.

        400 ("win") without args["win"]; 404 ("eid") if the env is absent. A missing
        window with a truthy args["append"] is created as put_window would; without it
        the refusal is upstream's plain-text 404 "win does not exist" (field "win",
        plain=True). An update that changes nothing (every appended point masked)
        publishes nothing and uses no seq. Otherwise publishes "window_update" (the
        change alone, O(points appended)) or "window" (a full replacement). `raw`, the
        request body `args` was parsed from, may be journaled as it is. `now`: the
        wall time (unix seconds) the points are stamped with (app.panes.walltime), by
        default the time of the call; the logdir mirror passes the events' own times.
        """

    @abc.abstractmethod
    def close_windows(self, eid, win=None):
        """Remove window `win` (every window when None); return the removed windows.

        404 ("eid") if the env is absent; a window that does not exist is no change
        (returns [], publishes nothing). Otherwise one change "close" {wins, win}, and
        the removed windows go on the env's undo stack (at most undo_depth kept).
        """

    @abc.abstractmethod
    def window_exists(self, eid, win):
        """Return True if window `win` exists in env `eid` (False if the env is absent)."""

    @abc.abstractmethod
    def window(self, eid, win):
        """Return a copy of one window; 404 ("eid") or 404 ("win") if absent."""

    @abc.abstractmethod
    def window_hash(self, eid, win):
        """Return the md5 of a window as upstream computes it; None if the window is absent,
        404 ("eid") if the env is."""

    @abc.abstractmethod
    def windows(self, eid):
        """Return a copy of the env's {win: window} map; 404 ("eid") if absent."""

    @abc.abstractmethod
    def env_content(self, eid):
        """Return {"eid", "windows" (in grid order), "reload", "seq",
        "view_settings"} of env `eid`, all read at one seq; 404 ("eid") if absent."""

    @abc.abstractmethod
    def env_seq(self, eid):
        """Return the env's seq (its last change's number), as env_content would, without
        copying its windows; 404 ("eid") if absent, 409 if its stored data is unreadable."""

    @abc.abstractmethod
    def set_window_data(self, eid, win, data):
        """Overwrite window `win` (every window when win is None) with data a browser sent.

        The data is made valid first (app.panes.valid): 400 for what cannot be
        repaired. Creates the env if absent; return True if it did. Publishes "window"
        (one window) or "env_reset" (all).
        """

    @abc.abstractmethod
    def set_layout_item(self, eid, win, layout):
        """Store a browser's layout item (grid position and size) of window `win`.

        400 ("layout") unless `layout` is an object. Publishes "layout" {win, layout}.
        """

    @abc.abstractmethod
    def pop_embeddings(self, eid, win):
        """Restore the previous point set of an embeddings window (its "Back" button).

        404 ("win") if absent or not an embeddings window; 409 ("win") if it has no
        previous point set. Publishes "window".
        """

    @abc.abstractmethod
    def set_comment(self, eid, win, comment):
        """Set a window's comment (its version + 1); publishes "window".

        400 ("comment") unless a string; 404 ("win") if the window is absent.
        """

    @abc.abstractmethod
    def merge_plot_layout(self, eid, win, layout):
        """Merge plotly layout keys (drawn shapes) into a plot's layout (version + 1).

        400 ("layout") unless an object; 404 ("win") if absent; 400 ("win") if the
        window is not a plot. Publishes "window".
        """

    @abc.abstractmethod
    def update_view(self, eid, win, view):
        """Merge view settings (smoothing, log axes, x axis) into window `win`'s, or the
        env's when win is None (which clears the windows' own values of those keys).

        400 ("win") unless a str or None; 400 ("view" or "view.<key>") for a bad
        setting (app.panes.viewsettings.check_view). Publishes "view_settings" with all
        of the env's settings.
        """

    @abc.abstractmethod
    def view_settings(self, eid):
        """Return {"env": {...}, "windows": {win: {...}}}; 404 ("eid") if absent."""

    @abc.abstractmethod
    def read_range(self, eid, win, x0=None, x1=None, px=None):
        """Return the points a browser `px` pixels wide draws of plot `win` in [x0, x1].

        {"eid", "win", "contentID", "seq", "x0", "x1", "budget", "traces"}: per trace
        {"index", "total", "shown", "raw", "columns": {plotly path: values}}
        (app.panes.decimate.trace_points), or {"index", "total", "whole": true} for a
        trace that is not decimated (the browser keeps what it has). 404 ("win") unless
        a plot. Appends to the window wait only for a copy of its columns, not for the
        decimation.
        """

    # -- undo of closed windows ---------------------------------------------------------

    @abc.abstractmethod
    def undo_count(self, eid):
        """Return how many closed windows `undo` can restore (0 if the env is absent)."""

    @abc.abstractmethod
    def undo(self, eid):
        """Restore the most recently closed window on top of the grid; return (win, left).

        404 ("eid") if the env is absent or nothing can be undone. Publishes "window".
        The restored window leaves the undo stack in the same change.
        """

    # -- experiments --------------------------------------------------------------------

    @abc.abstractmethod
    def log_experiment(self, eid, args):
        """Apply an /experiments/log body; return (the env's experiment record, created).

        A refusal (400/404/409 from app.panes.experiment, its field named) creates no
        env. Publishes "experiment" {experiment (without metrics), metrics (the new ones)}.
        """

    @abc.abstractmethod
    def experiment(self, eid):
        """Return a copy of env `eid`'s experiment record, or None (also for an absent env)."""

    @abc.abstractmethod
    def experiments(self):
        """Return [{"eid", "experiment"}] for every readable env that holds an experiment."""

    @abc.abstractmethod
    def experiment_tails(self, known=None, eids=None, with_metrics=True):
        """Return {eid: entry} for every readable env (of `eids`, default all) that holds an
        experiment: what changed in it since the caller's `known` {eid: (gen, seq, count)}.

        `gen` names the env's life: it differs after the env was deleted and made again
        (in any process), so (gen, seq) identifies one state of the env. An env whose
        (gen, seq) equal the known ones answers {"gen", "seq"} only. Otherwise
        {"gen", "seq", "record" (the experiment without "metrics"), "start", "metrics"}:
        the metric entries from index `start` on, where start is the known count when
        the gen is the same (the metrics of an experiment are only ever appended), else
        0; with_metrics=False answers "metrics": [] and start = the number of entries.
        Envs that are absent, deleted, unreadable or hold no experiment are left out.
        Reads only: nothing is numbered or published. The runs table keeps its
        summaries up to date with it (app.services.runs) at a cost that grows with
        what changed, not with what is stored.
        """

    # -- liveness, alert rules and fired alerts (server-wide; not numbered, not published) --

    @abc.abstractmethod
    def heartbeat(self, eid, beat):
        """Remember that env `eid`'s run is alive: `beat` {"last_seen", "pid", "host"}.

        Cheap and frequent: it is not an env change (no seq, nothing published, nothing
        journaled). The embedded store keeps beats in memory and writes them to disk on
        the autosave tick, at most every 5 s (a crash loses a few seconds of "last
        seen"; flush(force=True) writes them at once); Redis keeps each one at once.
        Survives a restart either way.
        """

    @abc.abstractmethod
    def liveness(self):
        """Return {eid: beat} of the last heartbeat of every env that sent one."""

    @abc.abstractmethod
    def alert_rules(self):
        """Return every stored alert rule (a list of dicts with "id"), oldest first."""

    @abc.abstractmethod
    def put_alert_rule(self, rule):
        """Store `rule` (a dict with a str "id"; replaces the rule of that id), durably
        before returning, shared by every process of a shared backend."""

    @abc.abstractmethod
    def delete_alert_rule(self, rule_id):
        """Remove the rule `rule_id`; return False if there was none."""

    @abc.abstractmethod
    def add_alert(self, alert, keep=1000):
        """Append a fired alert (a dict with a float "time") to the history, keeping the
        last `keep`; stored before returning."""

    @abc.abstractmethod
    def alerts(self, since=None):
        """Return the fired alerts, oldest first; only those with time > `since` if given."""

    @abc.abstractmethod
    def claim_alert(self, key, seconds):
        """Return True for the first claim of `key` within `seconds`, False for the others.

        The per-rule rate limit: atomic across the threads of a process and, on Redis,
        across every process (SET NX EX), so one alert leaves per interval in all.
        """

    # -- saved views and the user's CSS ---------------------------------------------------

    @abc.abstractmethod
    def views(self):
        """Return the saved views {env: {view: {win: [i, h, w]}}} ({} if unreadable)."""

    @abc.abstractmethod
    def set_views(self, views):
        """Replace the saved views and store them at once; 400 ("views") unless an object
        of objects of objects ({env: {view: {...}}}).

        Views are not numbered and not published (the caller announces them).
        """

    @abc.abstractmethod
    def user_css(self):
        """Return the user's CSS (upstream's /user/style.css): $XDG_CONFIG_HOME/visdom/
        style.css, then <env_path>/style.css, joined; "" when there is none."""

    # -- who watches ----------------------------------------------------------------------

    @abc.abstractmethod
    def watching(self, key, eids):
        """The connection `key` (a Socket.IO sid) now shows the envs `eids` (an iterable;
        empty when it left them all or closed). Called before it joins their rooms.

        A backend may skip the pushes of an env that no connection anywhere shows; it
        must then publish every change numbered after this call returns (the page reads
        its snapshot afterwards). The embedded store needs nothing: it sees its rooms
        (app.broadcast). On Redis a refusal raises (the join fails, as a read would).
        """

    # -- lifecycle ------------------------------------------------------------------------

    @abc.abstractmethod
    def start_autosave(self):
        """Start whatever keeps the backend's storage up to date in the background.

        Called once by app.state.init_app; calling it again does nothing.
        """

    @abc.abstractmethod
    def flush(self, force=False):
        """Bring the backend's own storage up to date now: after flush(force=True) and a
        clean restart, nothing needs replaying. Acknowledged changes are durable before
        and after (a flush is about restart time, not about losing data)."""

    @abc.abstractmethod
    def close(self):
        """Stop the background work, write what is pending and release connections.

        Called once at shutdown; the store is not used afterwards.
        """
