"""The runs table's reads: rows kept incrementally, changes since a token, groups, differences.

A read side, not a mutation: nothing here changes the store. One RunsIndex per app
(app.extensions["visdom_runs"]) keeps a RunSummary (app.panes.runsummary) per env that
holds an experiment. Each read first brings it up to date with the store's
`experiment_tails`, which hands over only the metric entries logged since the last read,
so 1,000 runs cost what changed, not what is stored.

Tokens. Every refresh in which a row changed (or a run went away) is one tick of this
process's counter; a row remembers the tick of its last change, a removed run the tick
it was found gone. The token is "<epoch>.<tick>", the epoch naming this index (a
process restart, or another server process behind a load balancer, has another).
`since=<token>` answers the rows changed after that tick and the runs removed after it.
A token this index cannot answer exactly (another epoch, a tick ahead of it, or older
than the oldest removal it still remembers) gets every row with "reset": true: the
caller replaces its table.
"""

import threading
import time
import uuid

from ..common import VisdomError
from ..panes import grouping, stats
from ..panes.runsummary import AGGS, RunSummary

REMOVED_KEPT = 10_000  # removals remembered for `since`; older tokens get a reset
METHODS = ("welch", "bootstrap")


class RunsIndex:
    """Rows of every run, kept incrementally (see the module docstring). Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.epoch = uuid.uuid4().hex[:12]
        self.tick = 0
        self.floor = 0  # removals at or before this tick are forgotten
        self.runs = {}  # eid -> RunSummary
        self.changed = {}  # eid -> tick of the row's last change
        self.rows = {}  # eid -> the row as last answered
        self.removed = {}  # eid -> tick it was found gone

    def refresh(self, store):
        """Bring every row up to date with the store; return the current tick."""
        with self._lock:
            known = {eid: (run.gen, run.seq, run.count) for eid, run in self.runs.items()}
            tails = store.experiment_tails(known)
            tick = self.tick + 1
            touched = False
            for eid, entry in tails.items():
                run = self.runs.get(eid)
                if "record" not in entry:
                    continue
                if run is None or run.gen != entry["gen"] or entry["start"] != run.count:
                    run = self.runs[eid] = RunSummary(eid, entry["gen"])
                run.update(entry)
                row = run.row()
                if self.rows.get(eid) != row:
                    self.rows[eid], self.changed[eid] = row, tick
                    self.removed.pop(eid, None)
                    touched = True
            for eid in [e for e in self.runs if e not in tails]:
                del self.runs[eid], self.rows[eid], self.changed[eid]
                self.removed[eid] = tick
                touched = True
            if len(self.removed) > REMOVED_KEPT:
                oldest = sorted(self.removed.items(), key=lambda item: item[1])
                for eid, at in oldest[: len(self.removed) - REMOVED_KEPT]:
                    del self.removed[eid]
                    self.floor = max(self.floor, at)
            if touched:
                self.tick = tick
            return self.tick

    def token(self):
        return f"{self.epoch}.{self.tick}"

    def since(self, store, token=None):
        """Return {"token", "rows", "removed"} (+ "reset": true when every row is given)."""
        self.refresh(store)
        with self._lock:
            after = self._tick_of(token)
            if after is None:
                rows = [self.rows[eid] for eid in self.rows]
                answer = {"token": self.token(), "rows": rows, "removed": []}
                return dict(answer, reset=True) if token else answer
            rows = [self.rows[eid] for eid, at in self.changed.items() if at > after]
            removed = [eid for eid, at in self.removed.items() if at > after]
            return {"token": self.token(), "rows": rows, "removed": removed}

    def _tick_of(self, token):
        """Return the tick of a token this index can answer exactly, else None."""
        if not token:
            return None
        epoch, sep, tick = token.partition(".")
        if not sep or not tick.isdigit() or not epoch:
            raise VisdomError(f"'since' must be a token from /api/runs, got {token!r}", "since")
        tick = int(tick)
        if epoch != self.epoch or tick > self.tick or tick < self.floor:
            return None
        return tick

    def summaries(self, store, eids=None):
        """Return {eid: RunSummary} of every run (of `eids` when given), up to date."""
        self.refresh(store)
        with self._lock:
            if eids is None:
                return dict(self.runs)
            return {eid: self.runs[eid] for eid in eids if eid in self.runs}


def with_liveness_rows(answer, index, beats, timeout, now=None):
    """Return `answer` of RunIndex.since with each row's liveness: "last_seen" and, for a
    running run silent longer than `timeout`, status "crashed" (as GET /api/experiments).

    A heartbeat is not an env change, so an incremental answer also carries every run that
    sent heartbeats (its "last seen" moved, or it may have become "crashed" meanwhile).
    """
    now = time.time() if now is None else now
    rows = {row["eid"]: row for row in answer["rows"]}
    if not answer.get("reset") and answer["rows"] is not None:
        with index._lock:
            for eid in beats:
                if eid not in rows and eid in index.rows:
                    rows[eid] = index.rows[eid]
    out = []
    for eid, row in rows.items():
        beat = beats.get(eid)
        if beat and isinstance(beat.get("last_seen"), (int, float)):
            row = dict(row, last_seen=beat["last_seen"])
            if row.get("status") == "running" and now - beat["last_seen"] > timeout:
                row["status"] = "crashed"
        out.append(row)
    return dict(answer, rows=out)


def _agg(agg):
    agg = agg or "last"
    if agg not in AGGS:
        raise VisdomError(f"'agg' must be one of {', '.join(AGGS)}, got {agg!r}", "agg")
    return agg


def at_step(runs, metric, step):
    """Return {"metric", "step", "values": {eid: {"value", "step"}}} (runs with a value)."""
    if not metric:
        raise VisdomError("'metric' is required", "metric")
    values = {}
    for eid, run in runs.items():
        series = run.series.get(metric)
        found = series.at_step(step) if series is not None else None
        if found is not None:
            values[eid] = {"value": found[0], "step": found[1]}
    if runs and not any(metric in run.series for run in runs.values()):
        raise VisdomError(f"'metric': no run logs the metric {metric!r}", "metric")
    return {"metric": metric, "step": step, "values": values}


def _grouped(runs, group):
    eids = list(runs)
    heads = {eid: run.head for eid, run in runs.items()}
    return grouping.group_envs(eids, group, heads)


def _metric_keys(runs, metrics, field="metrics"):
    every = []
    for run in runs.values():
        every += [key for key in run.series if key not in every]
    if not metrics:
        return every
    for key in metrics:
        if runs and key not in every:
            raise VisdomError(f"'{field}': no run logs the metric {key!r}", field)
    return metrics


def groups(runs, group, metrics=None, agg="last"):
    """Return per group its runs' count and, per metric, the mean and 95 % CI of the mean
    of the runs' `agg` values ({"group", "agg", "groups": [...], "missing": [...]})."""
    agg = _agg(agg)
    placed, missing = _grouped(runs, group)
    keys = _metric_keys(runs, metrics)
    out = []
    for name, eids in placed.items():
        summary = {}
        for key in keys:
            values = [runs[eid].value(key, agg) for eid in eids]
            got = stats.describe([v for v in values if v is not None])
            summary[key] = {k: got[k] for k in ("mean", "lo", "hi", "n", "std")}
        out.append({"name": name, "count": len(eids), "eids": eids, "metrics": summary})
    return {"group": group or grouping.ALL, "agg": agg, "groups": out, "missing": missing}


def diff(runs, group, a, b, metric, agg="last", method="welch"):
    """Return the difference of the means of two groups' `agg` of `metric`, with its 95 %
    interval by Welch's t or a percentile bootstrap (app.panes.stats)."""
    agg = _agg(agg)
    method = method or "welch"
    if method not in METHODS:
        raise VisdomError(f"'method' must be welch or bootstrap, got {method!r}", "method")
    if not metric:
        raise VisdomError("'metric' is required", "metric")
    _metric_keys(runs, [metric], "metric")
    placed, _missing = _grouped(runs, group)
    sides = {}
    for field, name in (("a", a), ("b", b)):
        if not name:
            raise VisdomError(f"'{field}' (a group name) is required", field)
        if name not in placed:
            raise VisdomError(f"'{field}': there is no group {name!r}", field)
        values = [runs[eid].value(metric, agg) for eid in placed[name]]
        values = [v for v in values if v is not None]
        if len(values) < 2:
            raise VisdomError(
                f"'{field}': group {name!r} has {len(values)} run(s) with {metric!r}; "
                "a difference needs at least 2 in each group",
                field,
            )
        sides[field] = values
    interval = stats.welch_interval if method == "welch" else stats.bootstrap_interval
    delta, lo, hi = interval(sides["a"], sides["b"])
    return {
        "a": {"name": a, "n": len(sides["a"]), "mean": float(stats.finite(sides["a"]).mean())},
        "b": {"name": b, "n": len(sides["b"]), "mean": float(stats.finite(sides["b"]).mean())},
        "diff": delta,
        "lo": lo,
        "hi": hi,
        "method": method,
        "metric": metric,
        "agg": agg,
    }
