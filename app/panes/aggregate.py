"""Curves across runs on one x grid: the aggregate (mean/median and a band), the envelope.

Pure numpy over a plot's full stored columns (app.panes.columns), never the decimated
drawing. The grid is shared by both:

- When every run has at most `px` distinct x values, the grid is the sorted union of
  those values (runs logged every 10 steps and every 25 steps meet exactly at 50, 100, …).
- Otherwise `px` bins of equal width span the union of the runs' x ranges; a bin's x is
  its centre.

Aggregate. Each run contributes one value per grid point: the mean of its points there
(NaN and ±Inf ignored). Where it has no point, its value is linearly interpolated (in
grid x) between its neighbouring grid points; before its first point and past its last it
contributes nothing (never extrapolated). Per grid point the statistic and the band are
taken over the runs present (app.panes.stats.columns) and `n` says how many there were;
grid points with no run are dropped.

Envelope (one trace): per grid point the mean, min and max of the raw points there, so a
dense curve can be drawn as a line inside its min/max band with every spike inside it.

x kinds: "step" (the trace's x; 0, 1, 2, … without one), "walltime" (when each point
reached the server, app.panes.walltime), "relative" (wall time since the trace's first
point), "metric:<title>" (another plot's y joined on step, `join_on_step`).
"""

import numpy as np

from ..common import VisdomError
from . import stats, walltime
from .columns import Column
from .decimate import MAX_PX

STATS = ("mean", "median")
BANDS = ("std", "sem", "ci95", "minmax")
X_KINDS = ("step", "walltime", "relative")
DEFAULT_PX = 1200


class Grid:
    """The shared x grid: `x` (the points' x), and `edges` when it is made of bins.

    Bin k holds lo <= x < hi of its edges (the last bin also its upper edge): a value on
    an inner edge belongs to the bin above it.
    """

    def __init__(self, x, edges=None):
        self.x = x
        self.edges = edges

    def __len__(self):
        return len(self.x)

    def bounds(self):
        """Return the (lowest, highest) x the grid covers."""
        if self.edges is None:
            return self.x[0], self.x[-1]
        return self.edges[0], self.edges[-1]


def _is_sorted(x):
    return len(x) < 2 or bool(np.all(x[1:] >= x[:-1]))


def _cells(grid, x):
    """Sort the points (x within the grid's range) into grid cells.

    Return (order, starts, cells, counts): `order` sorts the points by x (None when they
    already are), `starts` the position, in that order, of the first point of each
    non-empty cell, `cells` those cells' grid indices and `counts` their points. Sorted x
    (the usual case: steps only grow) costs a binary search per cell, not a pass per point.
    """
    order = None if _is_sorted(x) else np.argsort(x, kind="stable")
    xs = x if order is None else x[order]
    if grid.edges is None:
        starts = np.searchsorted(xs, grid.x, side="left")
        counts = np.searchsorted(xs, grid.x, side="right") - starts
    else:
        inner = np.searchsorted(xs, grid.edges[1:-1], side="left")
        starts = np.concatenate(([0], inner))
        counts = np.concatenate((inner, [len(xs)])) - starts
    cells = np.flatnonzero(counts)
    return order, starts[cells], cells, counts[cells]


def clean(x, y):
    """Return the points of (x, y) where both are finite, as float arrays."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.all():
        return x, y
    return x[keep], y[keep]


def _distinct(x, limit):
    """Return the sorted distinct values of x, or None when there are more than `limit`."""
    if len(x) > 1 and bool(np.all(x[1:] >= x[:-1])):
        if int(np.count_nonzero(x[1:] != x[:-1])) + 1 > limit:
            return None
        return x[np.concatenate(([True], x[1:] != x[:-1]))]
    values = np.unique(x)
    return values if len(values) <= limit else None


def make_grid(xs, px, x0=None, x1=None):
    """Return the Grid for the runs' x arrays `xs` (finite values), or None if all are empty.

    `x0`/`x1` narrow the range (the envelope of a zoomed view).
    """
    xs = [x for x in xs if len(x)]
    if x0 is not None or x1 is not None:
        lo = -np.inf if x0 is None else x0
        hi = np.inf if x1 is None else x1
        lo, hi = min(lo, hi), max(lo, hi)
        xs = [x[(x >= lo) & (x <= hi)] for x in xs]
        xs = [x for x in xs if len(x)]
    if not xs:
        return None
    distinct = []
    for x in xs:
        values = _distinct(x, px)
        if values is None:
            distinct = None
            break
        distinct.append(values)
    if distinct is not None:
        union = np.unique(np.concatenate(distinct))
        if len(union) <= px:
            return Grid(union)
    lo = min(float(x.min()) for x in xs)
    hi = max(float(x.max()) for x in xs)
    if lo == hi:
        return Grid(np.array([lo]))
    edges = np.linspace(lo, hi, px + 1)
    return Grid((edges[:-1] + edges[1:]) / 2.0, edges)


def _in_range(grid, x, y):
    lo, hi = grid.bounds()
    keep = (x >= lo) & (x <= hi)
    return (x, y) if keep.all() else (x[keep], y[keep])


def on_grid(grid, x, y):
    """Return one run's value per grid point (NaN where it contributes nothing)."""
    x, y = _in_range(grid, x, y)
    out = np.full(len(grid), np.nan)
    if not len(x):
        return out
    order, starts, cells, counts = _cells(grid, x)
    ys = y if order is None else y[order]
    out[cells] = np.add.reduceat(ys, starts) / counts
    first, last = cells[0], cells[-1]
    if last - first + 1 > len(cells):  # gaps inside the run's own range
        span = slice(first, last + 1)
        out[span] = np.interp(grid.x[span], grid.x[cells], out[cells])
    return out


def aggregate(runs, px=DEFAULT_PX, stat="mean", band="std"):
    """Return {"x", "y", "lo", "hi", "n"} (lists, no NaN) for runs [(x, y), ...].

    Every run's points are cleaned (`clean`) first; grid points that no run reaches are
    dropped. Empty lists when no run has a finite point.
    """
    runs = [clean(x, y) for x, y in runs]
    grid = make_grid([x for x, _ in runs], px)
    if grid is None:
        return {"x": [], "y": [], "lo": [], "hi": [], "n": []}
    matrix = np.vstack([on_grid(grid, x, y) for x, y in runs if len(x)])
    y, lo, hi, n = stats.columns(matrix, stat, band)
    keep = n > 0
    return {
        "x": grid.x[keep].tolist(),
        "y": y[keep].tolist(),
        "lo": lo[keep].tolist(),
        "hi": hi[keep].tolist(),
        "n": n[keep].astype(int).tolist(),
    }


def envelope(x, y, px=DEFAULT_PX, x0=None, x1=None):
    """Return {"x", "mean", "lo", "hi", "n"} of one trace: per grid point the mean, min and
    max of its raw points there (NaN ignored; grid points without a point dropped)."""
    x, y = clean(x, y)
    grid = make_grid([x], px, x0, x1)
    if grid is None:
        return {"x": [], "mean": [], "lo": [], "hi": [], "n": []}
    x, y = _in_range(grid, x, y)  # the grid lies inside [x0, x1]
    order, starts, cells, counts = _cells(grid, x)
    ys = y if order is None else y[order]
    return {
        "x": grid.x[cells].tolist(),
        "mean": (np.add.reduceat(ys, starts) / counts).tolist(),
        "lo": np.minimum.reduceat(ys, starts).tolist(),
        "hi": np.maximum.reduceat(ys, starts).tolist(),
        "n": counts.astype(int).tolist(),
    }


def join_on_step(step, other_step, other_y):
    """Return (index, x): the points of a trace at `step` that have a partner in the other
    trace (exact step match), and the partner's y as their new x.

    A step logged twice in the other trace takes its last value. Points without a
    partner, or whose partner is NaN/±Inf, are dropped.
    """
    step = np.asarray(step, dtype=np.float64)
    other_step = np.asarray(other_step, dtype=np.float64)
    other_y = np.asarray(other_y, dtype=np.float64)
    n = min(len(other_step), len(other_y))
    other_step, other_y = other_step[:n], other_y[:n]
    ok = np.isfinite(other_step) & np.isfinite(other_y)
    other_step, other_y = other_step[ok], other_y[ok]
    if not len(other_step) or not len(step):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    order = np.argsort(other_step, kind="stable")
    keys, values = other_step[order], other_y[order]
    last = np.concatenate((keys[1:] != keys[:-1], [True]))  # the last of equal steps
    keys, values = keys[last], values[last]
    pos = np.clip(np.searchsorted(keys, step), 0, len(keys) - 1)
    hit = np.flatnonzero(keys[pos] == step)
    return hit, values[pos[hit]]


# -- reading a trace's columns out of a stored window ------------------------------------


def plot_traces(window):
    """Return a plot window's traces (list of dicts), or None for any other window."""
    content = window.get("content") if isinstance(window, dict) else None
    if window is None or window.get("type") != "plot" or not isinstance(content, dict):
        return None
    traces = content.get("data")
    return [t for t in traces if isinstance(t, dict)] if isinstance(traces, list) else None


def trace_names(window):
    """Return the names of a plot's traces (an unnamed trace is named by its position)."""
    return [str(t.get("name", k + 1)) for k, t in enumerate(plot_traces(window) or [])]


def find_trace(window, name=None):
    """Return (index, trace) of the trace called `name` (the first when None), or None."""
    traces = plot_traces(window) or []
    if name is None:
        return (0, traces[0]) if traces else None
    for k, trace in enumerate(traces):
        if str(trace.get("name", k + 1)) == name:
            return k, trace
    return None


def _floats(values):
    """Return values as a float array; a float Column is read in place (no copy)."""
    if isinstance(values, Column):
        return values.array.astype(np.float64, copy=False)
    return np.asarray(values, dtype=np.float64)


def step_and_y(trace):
    """Return (step, y) float arrays of a trace (step 0, 1, … without x), or None when its
    values are not numbers."""
    try:
        ys = _floats(trace.get("y"))
        x = trace.get("x")
        xs = np.arange(len(ys), dtype=np.float64) if x is None else _floats(x)
    except (TypeError, ValueError):
        return None
    if ys.ndim != 1 or xs.ndim != 1:
        return None
    n = min(len(xs), len(ys))
    return xs[:n], ys[:n]


def trace_xy(window, index, trace, x_kind, x_window=None):
    """Return (x, y) of a trace on the x axis `x_kind`, or a str saying why it has none.

    x_kind "metric:<title>" uses `x_window` (the env's plot with that title): its trace
    of the same name (else its first) gives the x values, joined on step.
    """
    got = step_and_y(trace)
    if got is None:
        return "its values are not numbers"
    step, y = got
    if x_kind == "step":
        return step, y
    if x_kind in ("walltime", "relative"):
        stamps = walltime.trace_stamps(window, index)
        if stamps is None:
            return "no wall time was recorded for it"
        times = walltime.times_of(stamps, np.arange(len(y)))
        if x_kind == "relative":
            times = times - times[0] if len(times) else times
        return times, y
    if x_window is None:
        return f"no plot titled {x_kind[len('metric:') :]!r} in the env"
    found = find_trace(x_window, trace.get("name")) or find_trace(x_window)
    other = step_and_y(found[1]) if found else None
    if other is None:
        return f"the plot {x_kind[len('metric:') :]!r} has no numeric trace"
    hit, x = join_on_step(step, other[0], other[1])
    return x, y[hit]


def check_options(stat, band, px, x_kind):
    """Raise a VisdomError naming the field of a bad aggregate option."""
    if stat not in STATS:
        raise VisdomError(f"'stat' must be one of {', '.join(STATS)}, got {stat!r}", "stat")
    if band not in BANDS:
        raise VisdomError(f"'band' must be one of {', '.join(BANDS)}, got {band!r}", "band")
    if not isinstance(px, int) or not 1 <= px <= MAX_PX:
        raise VisdomError(f"'px' must be a whole number from 1 to {MAX_PX}, got {px!r}", "px")
    if x_kind not in X_KINDS and not (x_kind.startswith("metric:") and len(x_kind) > 7):
        raise VisdomError(
            f"'x' must be step, walltime, relative or metric:<title>, got {x_kind!r}", "x"
        )
