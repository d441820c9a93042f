"""One env: its windows and layout items, guarded by its own lock."""

import logging
import threading

from ..common import VisdomError
from ..panes import apply_update, viewsettings, walltime
from ..panes.experiment import apply_experiment
from ..panes.valid import normalize_window, pop_embeddings

# Top-level keys of an env file that are not kept in `extra`: the content itself, our
# journal position, and the real name written into hash_<sha256>.json files.
OWN_KEYS = ("jsons", "reload", "visdom_seq", "name")

log = logging.getLogger(__name__)


class Env:
    """Windows (`jsons`) and layout items (`reload`) of one env, plus bookkeeping.

    `seq` counts the changes applied to the env; every change is journaled with its
    number and announced to browsers with it.
    """

    def __init__(self, eid, loaded=True):
        self.eid = eid
        self.jsons = {}
        self.reload = {}
        self.extra = {}  # top-level keys of the env file we do not use, kept as they are
        self.undo = []  # closed windows, [[win_id, window], ...] oldest first (.undo/)
        self.lock = threading.RLock()
        self.save_lock = threading.Lock()  # one snapshot at a time; taken before `lock`
        self.loaded = loaded
        self.broken = None  # why the env file could not be read, if it could not
        self.set_aside = []  # ids of windows in the file that could not be repaired
        self.deleted = False
        self.next_i = 0
        self.seq = 0
        self.dirty = False
        self.next_save = 0.0

    def fill(self, snapshot, records):
        """Set the content from a snapshot dict and replay journal records newer than it.

        Windows that cannot be made valid are left out, with a log line naming them.
        """
        if snapshot:
            jsons = snapshot.get("jsons")
            reload = snapshot.get("reload")
            self.jsons = self._valid_windows(jsons if isinstance(jsons, dict) else {})
            self.reload = reload if isinstance(reload, dict) else {}
            seq = snapshot.get("visdom_seq")
            self.seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
            self.extra = {k: v for k, v in snapshot.items() if k not in OWN_KEYS}
        self._renumber()
        for record in records:
            try:
                self.replay(record)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                log.warning(
                    "env %s: journal record %s not replayed: %s", self.eid, record.get("seq"), exc
                )
            seq = record.get("seq", 0)
            if isinstance(seq, int):
                self.seq = max(self.seq, seq)
        self.loaded = True

    def _valid_windows(self, jsons):
        valid = {}
        for key, window in jsons.items():
            try:
                valid[str(key)] = normalize_window(window, str(key), f"jsons.{key}")
            except VisdomError as exc:
                self.set_aside.append(str(key))
                log.error(
                    "env %s: window %r in the env file cannot be shown and is set aside: %s",
                    self.eid,
                    key,
                    exc.message,
                )
        return valid

    def _renumber(self):
        self.next_i = 1 + max(
            (w["i"] for w in self.jsons.values() if isinstance(w.get("i"), int)), default=-1
        )

    def replay(self, record):
        """Apply one journal record (the same code paths as the live requests)."""
        op = record["op"]
        if op == "window":
            self.put(normalize_window(record["window"], str(record["window"].get("id"))))
        elif op == "update":
            window = self.jsons.get(record["win"])
            if window is not None:
                apply_update(window, record["args"], record.get("caps"))
                if record.get("now") is not None:
                    walltime.stamp_update(window, record["now"], bool(record["args"].get("append")))
        elif op == "close":
            self.remove(record.get("win"))
        elif op == "layout":
            self.reload[record["win"]] = record["layout"]
        elif op == "reload":
            self.reload = record["reload"]
        elif op == "set":
            self.set_data(record.get("win"), record["data"])
        elif op == "replace":
            self.replace(record["jsons"], record["reload"])
        elif op == "pop_embeddings":
            window = self.jsons.get(record["win"])
            if window is not None:
                pop_embeddings(window)
        elif op == "experiment":
            self.log_experiment(record["args"], record["now"])
        elif op == "comment":
            self.set_comment(record["win"], record["comment"])
        elif op == "plot_layout":
            self.merge_plot_layout(record["win"], record["layout"])
        elif op == "view":
            self.set_view(record.get("win"), record["view"])

    @property
    def experiment(self):
        """The env's experiment record (0.3.0's "experiment" key), or None."""
        record = self.extra.get("experiment")
        return record if isinstance(record, dict) else None

    def log_experiment(self, args, now):
        """Apply one /experiments/log request; return the record (VisdomError if refused)."""
        record = apply_experiment(self.experiment, args, now, self.eid)
        self.extra["experiment"] = record
        return record

    def set_view(self, win, view):
        """Merge checked view settings for a window (None: the env); return them all."""
        settings = viewsettings.merge_view(self.extra.get(viewsettings.KEY), win, view)
        self.extra[viewsettings.KEY] = settings
        return settings

    def set_comment(self, win, comment):
        """Set a window's comment and count a new version; return the window."""
        window = self.jsons[win]
        window["comment"] = comment
        window["version"] = _version(window) + 1
        return window

    def merge_plot_layout(self, win, layout):
        """Merge layout keys (e.g. drawn `shapes`) into a plot's layout (for a
        plot_history, the selected frame's); count a new version; return the window."""
        window = self.jsons[win]
        if window.get("type") == "plot_history":
            frames = window["content"]
            frame = frames[min(max(0, window.get("selected") or 0), len(frames) - 1)]
            target = frame.setdefault("layout", {})
        else:
            target = window["content"].setdefault("layout", {})
        target.update(layout)
        window["version"] = _version(window) + 1
        return window

    def index_for(self, window):
        """Set window["i"]: the index of the window it replaces, else the next free one."""
        old = self.jsons.get(window["id"])
        if old is not None and not window.get("comment") and old.get("comment"):
            window["comment"] = old["comment"]  # re-creating a window keeps its comment
        if old is not None and isinstance(old.get("i"), int):
            window["i"] = old["i"]
        elif not isinstance(window.get("i"), int):
            window["i"] = self.next_i
        return window

    def put(self, window):
        """Store a window, keeping the creation index of a window it replaces."""
        self.index_for(window)
        self.next_i = max(self.next_i, window["i"] + 1)
        self.jsons[window["id"]] = window

    def remove(self, win):
        """Remove one window (or all when `win` is None); return the removed windows."""
        ids = list(self.jsons) if win is None else [str(win)]
        removed = [self.jsons.pop(w) for w in ids if w in self.jsons]
        for w in ids:
            self.reload.pop(w, None)
        return removed

    def set_data(self, win, data):
        """Overwrite one window, or the whole window map when `win` is None (/win_data).

        `data` has been normalized (app.panes.valid) before it was journaled.
        """
        if win is None:
            self.jsons = {str(k): normalize_window(w, str(k)) for k, w in data.items()}
        else:
            self.jsons[str(win)] = normalize_window(data, str(win))
        self.next_i = max(
            [self.next_i] + [w["i"] + 1 for w in self.jsons.values() if isinstance(w.get("i"), int)]
        )

    def replace(self, jsons, reload):
        """Replace every window and layout item (a fork into this env)."""
        self.jsons = {str(k): normalize_window(w, str(k)) for k, w in jsons.items()}
        self.reload = dict(reload)
        self._renumber()

    def to_file(self):
        """Return the env in upstream's file format (plus the journal sequence number)."""
        return dict(self.extra, jsons=self.jsons, reload=self.reload, visdom_seq=self.seq)


def _version(window):
    version = window.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else 1
