"""One env: its windows and layout items, guarded by its own lock."""

import logging
import threading

from ..panes import PaneError, apply_update

log = logging.getLogger(__name__)


class Env:
    """Windows (`jsons`) and layout items (`reload`) of one env, plus bookkeeping."""

    def __init__(self, eid, loaded=True):
        self.eid = eid
        self.jsons = {}
        self.reload = {}
        self.lock = threading.RLock()
        self.save_lock = threading.Lock()  # one snapshot at a time; taken before `lock`
        self.loaded = loaded
        self.broken = None  # why the env file could not be read, if it could not
        self.deleted = False
        self.next_i = 0
        self.seq = 0
        self.dirty = False
        self.next_save = 0.0

    def fill(self, snapshot, records):
        """Set the content from a snapshot dict and replay journal records newer than it."""
        if snapshot:
            jsons = snapshot.get("jsons")
            reload = snapshot.get("reload")
            self.jsons = jsons if isinstance(jsons, dict) else {}
            self.reload = reload if isinstance(reload, dict) else {}
            seq = snapshot.get("visdom_seq")
            self.seq = seq if isinstance(seq, int) else 0
        self.next_i = 1 + max(
            (w.get("i", -1) for w in self.jsons.values() if isinstance(w.get("i"), int)),
            default=-1,
        )
        for record in records:
            try:
                self.replay(record)
            except (PaneError, KeyError, TypeError, ValueError, AttributeError) as exc:
                log.warning(
                    "env %s: journal record %s not replayed: %s", self.eid, record.get("seq"), exc
                )
            self.seq = max(self.seq, record.get("seq", 0))
        self.loaded = True

    def replay(self, record):
        """Apply one journal record (the same code paths as the live requests)."""
        op = record["op"]
        if op == "window":
            self.put(record["window"])
        elif op == "update":
            window = self.jsons.get(record["win"])
            if window is not None:
                apply_update(window, record["args"])
        elif op == "close":
            self.remove(record.get("win"))
        elif op == "layout":
            self.reload[record["win"]] = record["layout"]
        elif op == "reload":
            self.reload = record["reload"]
        elif op == "set":
            self.set_data(record.get("win"), record["data"])

    def put(self, window):
        """Store a window, keeping the creation index of a window it replaces."""
        old = self.jsons.get(window["id"])
        if old is not None and "i" in old:
            window["i"] = old["i"]
        elif not isinstance(window.get("i"), int):
            window["i"] = self.next_i
        self.next_i = max(self.next_i, window["i"] + 1)
        self.jsons[window["id"]] = window

    def remove(self, win):
        """Remove one window (or all when `win` is None); return the removed windows."""
        ids = list(self.jsons) if win is None else [win]
        removed = [self.jsons.pop(w) for w in ids if w in self.jsons]
        for w in ids:
            self.reload.pop(w, None)
        return removed

    def set_data(self, win, data):
        """Overwrite one window, or the whole window map when `win` is None (/win_data)."""
        if win is None:
            self.jsons = dict(data)
        else:
            self.jsons[win] = data
        self.next_i = max(
            [self.next_i] + [w["i"] + 1 for w in self.jsons.values() if isinstance(w.get("i"), int)]
        )

    def to_file(self):
        """Return the env in upstream's file format (plus the journal sequence number)."""
        return {"jsons": self.jsons, "reload": self.reload, "visdom_seq": self.seq}
