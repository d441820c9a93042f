"""One run's row of the runs table, kept up to date from its experiment record's new entries.

An experiment's metrics are a list of {"key", "value", "step", "timestamp"} that only
grows (app.panes.experiment), so a RunSummary consumes each entry once (`update`): the
cost of keeping 1,000 rows current is the number of entries logged since the last read.

Per metric key the row holds {"last", "min", "max", "count", "step", "best_step_min",
"best_step_max"}:
- only finite numbers count (NaN, ±Inf, strings, null and booleans are skipped);
- `last` is the last counted value in logging order, `step` its step;
- `best_step_min`/`best_step_max` the step where min/max was first reached;
- an entry without a numeric step gets the number of entries of its key logged before it.
A key whose values were never numbers has count 0 and null elsewhere.
The full series stays in compact float arrays for `at_step`.
"""

import array
import math

import numpy as np

AGGS = ("last", "min", "max")


_NUMBERS = (int, float)  # exact types: a bool is not a metric value


def _finite(value):
    """Return a JSON number as a finite float, else None (NaN, ±Inf, huge, bool, text)."""
    if type(value) not in _NUMBERS:
        return None
    try:
        value = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return value if math.isfinite(value) else None


class MetricSeries:
    """The counted values of one metric key, in logging order, with running extremes."""

    __slots__ = ("seen", "steps", "values", "last", "step", "min", "max", "min_step", "max_step")

    def __init__(self):
        self.seen = 0  # entries of the key, counted or not (the default step)
        self.steps = array.array("d")  # 8 bytes a value; read by numpy without a copy
        self.values = array.array("d")
        self.last = self.step = self.min = self.max = self.min_step = self.max_step = None

    def add(self, steps, values):
        """Append the finite `values` logged at `steps` (lists of floats, in logging order)."""
        if not values:
            return
        self.steps.extend(steps)
        self.values.extend(values)
        self.step, self.last = steps[-1], values[-1]
        low, high = min(values), max(values)
        if self.min is None or low < self.min:  # the step where it was first reached
            self.min, self.min_step = low, steps[values.index(low)]
        if self.max is None or high > self.max:
            self.max, self.max_step = high, steps[values.index(high)]

    def summary(self):
        return {
            "last": self.last,
            "min": self.min,
            "max": self.max,
            "count": len(self.values),
            "step": _plain(self.step),
            "best_step_min": _plain(self.min_step),
            "best_step_max": _plain(self.max_step),
        }

    def at_step(self, step):
        """Return (value, step) at `step` or the last step before it (the latest logged of
        equal steps), or None when every counted step is past it."""
        # A copy (slicing is atomic): an array exporting its buffer could not grow.
        steps = np.frombuffer(self.steps[:], dtype=np.float64)
        if not len(steps):
            return None
        before = np.flatnonzero(steps <= step)
        if not len(before):
            return None
        best = steps[before].max()
        i = before[steps[before] == best][-1]
        return self.values[i], _plain(float(steps[i]))


def _plain(step):
    """Return a whole-number step as an int (steps are stored as floats)."""
    if step is None:
        return None
    return int(step) if float(step).is_integer() and abs(step) < 2**53 else step


class RunSummary:
    """The runs-table row of one env's experiment (see the module docstring)."""

    def __init__(self, eid, gen):
        self.eid = eid
        self.gen = gen
        self.seq = None
        self.count = 0  # metric entries consumed
        self.head = {}
        self.series = {}

    def update(self, entry):
        """Take an experiment_tails entry: the record's head and its new metric entries."""
        self.seq = entry["seq"]
        if "record" not in entry:
            return
        self.head = entry["record"]
        pending = {}  # key -> ([steps], [values]) of this update
        series_of = self.series
        for item in entry["metrics"]:
            if not isinstance(item, dict):
                continue
            key = str(item.get("key"))
            series = series_of.get(key)
            if series is None:
                series = series_of[key] = MetricSeries()
                pending[key] = ([], [])
            elif key not in pending:
                pending[key] = ([], [])
            step = _finite(item.get("step"))
            if step is None:
                step = float(series.seen)
            series.seen += 1
            value = _finite(item.get("value"))
            if value is not None:
                steps, values = pending[key]
                steps.append(step)
                values.append(value)
        for key, (steps, values) in pending.items():
            series_of[key].add(steps, values)
        self.count = entry["start"] + len(entry["metrics"])

    def value(self, key, agg="last"):
        """Return the run's `agg` (last, min or max) of metric `key`, or None."""
        series = self.series.get(key)
        return None if series is None else getattr(series, agg)

    def row(self):
        head = self.head
        return {
            "eid": self.eid,
            "name": head.get("name", self.eid),
            "status": head.get("status"),
            "created": head.get("created_at"),
            "finished": head.get("finished_at"),
            "params": _pairs(head.get("params")),
            "tags": _pairs(head.get("tags")),
            "metrics": {key: series.summary() for key, series in self.series.items()},
        }


def _pairs(entries):
    out = {}
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and "key" in entry:
            out[str(entry["key"])] = entry.get("value")
    return out
