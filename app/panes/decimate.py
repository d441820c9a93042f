"""Display decimation: the points of a plot a browser needs to draw, min/max preserving.

A browser draws about `2 × pixel width` points per trace and never gets more than
`4 × pixel width`: when the points of a trace (in the requested x-range) fit that cap
they are all sent, exactly as stored; else MinMaxLTTB (the `tsdownsample` package, its
NaN-aware variant so that gaps stay gaps) chooses `budget` of them, which keeps every
bucket's extremes, so a single-point spike survives. Never random sampling.

Only 2-D scatter/line traces whose x is numeric and sorted (non-decreasing; no x means
0, 1, 2, …) are decimated. Anything else (scatter clouds with unsorted x, text or date
x, 3-D traces, heatmaps) is sent whole: thinning a cloud would change what it shows.

Everything here reads the trace and returns new objects; the stored window is never
changed. Python clients (/win_data), env files and downloads keep the full data.
"""

import numpy as np
from tsdownsample import NaNMinMaxLTTBDownsampler

from . import walltime
from .columns import Column

DEFAULT_PX = 600  # a browser's pane width when it has not told us (docs/ui.md)
MIN_PX, MAX_PX = 16, 8192
DECIMATED_TYPES = (None, "scatter", "scattergl")
TOTAL, SHOWN = "visdom_total", "visdom_shown"
WALL = "visdom_walltime"
# Per-point arrays inside these trace keys follow the points chosen (marker.color, …).
NESTED = ("marker", "line", "error_x", "error_y", "textfont", "hoverlabel")
NOT_PER_POINT = ("colorscale",)

_downsampler = NaNMinMaxLTTBDownsampler()


def budget_for(px=None):
    """Return the number of points to draw for a pane `px` pixels wide (2 per pixel)."""
    try:
        px = int(px) if px is not None else DEFAULT_PX
    except (TypeError, ValueError):
        px = DEFAULT_PX
    return 2 * min(max(px, MIN_PX), MAX_PX)


def sorted_x(x, n):
    """Return x as a float array if it is numeric and non-decreasing (0..n-1 for None)."""
    if x is None:
        return np.arange(n, dtype=np.float64)
    try:
        xs = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None  # text or dates: not decimated
    if xs.ndim != 1 or len(xs) != n:
        return None
    if n > 1 and not bool(np.all(xs[1:] >= xs[:-1])):  # also False for any NaN
        return None
    return xs


def _numeric_y(y):
    try:
        ys = np.asarray(y, dtype=np.float64)  # None becomes NaN: a gap
    except (TypeError, ValueError):
        return None
    return ys if ys.ndim == 1 else None


def pick(x, y, x_range=None, budget=None, cap=None):
    """Return the indices of the points to draw (sorted), or None when the trace is sent whole.

    `x_range` [x0, x1] (either end may be None) limits the points to that range plus
    one neighbour on each side, so the line runs on to the edges of the view. When the
    points fit `cap` (default 2 × budget, i.e. 4 per pixel) they are all returned;
    else MinMaxLTTB picks at most `budget` of them (at least budget - 6).
    """
    budget = max(int(budget or budget_for()), 8)
    cap = budget * 2 if cap is None else max(int(cap), budget)
    ys = _numeric_y(y)
    if ys is None:
        return None
    n = len(ys)
    xs = sorted_x(x, n)
    if xs is None:
        return None
    lo, hi = 0, n
    if x_range is not None:
        x0, x1 = x_range
        if x0 is not None and x1 is not None and x0 > x1:
            x0, x1 = x1, x0
        if x0 is not None:
            lo = max(int(np.searchsorted(xs, x0, side="left")) - 1, 0)
        if x1 is not None:
            hi = min(int(np.searchsorted(xs, x1, side="right")) + 1, n)
        hi = max(hi, lo)
    if hi - lo <= cap:
        return np.arange(lo, hi)
    # 6 below the budget: room for the extremes added below
    chosen = _downsampler.downsample(xs[lo:hi], ys[lo:hi], n_out=budget - 6).astype(np.int64)
    return _keep_extremes(ys[lo:hi], chosen) + lo


def _keep_extremes(ys, chosen):
    """Add the range's lowest and highest points, and the extremes between the first two
    and the last two chosen points.

    MinMaxLTTB keeps a spike that stands out of its neighbourhood, but in noisy data it
    may keep a bucket's minimum rather than its maximum, and tsdownsample 0.1.5 can drop
    a spike in the last bucket before the final point (measured). The extremes of the
    whole view always stay.
    """
    extra = []
    for a, b in ((-1, len(ys)), (chosen[0], chosen[1]), (chosen[-2], chosen[-1])):
        gap = ys[a + 1 : b]
        if len(gap) and not np.all(np.isnan(gap)):
            extra += [a + 1 + int(np.nanargmin(gap)), a + 1 + int(np.nanargmax(gap))]
    if not extra:
        return chosen
    return np.union1d(chosen, np.asarray(extra, dtype=np.int64))


def decimate(x, y, x_range=None, budget=None, cap=None):
    """Return (x, y) lists of the points to draw (the whole trace when it is not sorted)."""
    n = len(y)
    idx = pick(x, y, x_range, budget, cap)
    if idx is None:
        return (list(range(n)) if x is None else _as_list(x)), _as_list(y)
    return _take(x, idx), _take(y, idx)


def _as_list(col):
    return col.tolist() if isinstance(col, np.ndarray) else list(col)


def _take(col, idx):
    """The values of `col` at `idx`, as stored (x None: the indices themselves)."""
    if col is None:
        return idx.tolist()
    if isinstance(col, np.ndarray):
        return col[idx].tolist()
    if isinstance(col, Column):
        return col.array[idx].tolist()  # nulls read as NaN: null again in strict JSON
    return [col[i] for i in idx.tolist()]


def length(col):
    """Return the number of values of a column (list or array), None if it is not one."""
    return len(col) if isinstance(col, (list, tuple, np.ndarray, Column)) else None


def copy_column(value):
    """Return a copy of a column (list or array) that later appends do not change."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Column):
        return value.view()  # a frozen snapshot that shares memory: O(1)
    return value


def decimatable(trace):
    """True if the trace is a 2-D scatter/line with plain y values (x checked by pick)."""
    return (
        isinstance(trace, dict)
        and trace.get("type") in DECIMATED_TYPES
        and length(trace.get("y")) is not None
        and trace.get("z") is None
    )


def point_columns(trace):
    """Return {plotly attribute path: column} for every per-point array of the trace."""
    n = length(trace.get("y"))
    cols = {}
    for key, value in trace.items():
        if key in ("x", "y"):
            continue
        if length(value) == n:
            cols[key] = value
        elif key in NESTED and isinstance(value, dict):
            for sub, inner in value.items():
                if sub not in NOT_PER_POINT and length(inner) == n:
                    cols[f"{key}.{sub}"] = inner
    return cols


def trace_points(trace, x_range=None, budget=None, stamps=None):
    """Return {"columns": {path: values}, "total", "shown", "raw"} for one trace, or
    None when it is not decimated (sent whole). `raw`: every point in range is there.

    With the trace's wall-time `stamps` (app.panes.walltime) the columns also hold
    `visdom_walltime`: when each chosen point arrived (the browser's time axes)."""
    if not decimatable(trace):
        return None
    x, y = trace.get("x"), trace["y"]
    if x is not None and length(x) != len(y):
        return None
    idx = pick(x, y, x_range, budget)
    if idx is None:
        return None
    columns = {"x": _take(x, idx), "y": _take(y, idx)}
    for path, col in point_columns(trace).items():
        columns[path] = _take(col, idx)
    if stamps:
        columns[WALL] = walltime.point_times(stamps, idx) if len(idx) else []
    raw = len(idx) == 0 or bool(idx[-1] - idx[0] + 1 == len(idx))
    return {"columns": columns, "total": len(y), "shown": len(idx), "raw": raw}


def trace_for_browser(trace, budget=None, stamps=None):
    """Return the trace itself when it fits `2 × budget`, else a decimated copy marked
    with `visdom_total` (its points) and `visdom_shown` (the points in the copy)."""
    n = length(trace.get("y")) if isinstance(trace, dict) else None
    budget = budget or budget_for()
    if n is None or n <= 2 * budget:
        return trace
    points = trace_points(trace, None, budget, stamps)
    if points is None or points["shown"] == n:
        return trace
    out = dict(trace)
    for path, values in points["columns"].items():
        if "." in path:
            key, sub = path.split(".", 1)
            out[key] = dict(out[key], **{sub: values})
        else:
            out[path] = values
    out[TOTAL], out[SHOWN] = n, points["shown"]
    return out


def window_budget(window):
    """Return the overview budget of a window: 2 points per pixel of its width option,
    or of DEFAULT_PX (the browser asks again at its real width when that differs)."""
    return budget_for(window.get("width") or DEFAULT_PX)


def window_for_browser(window, budget=None):
    """Return `window`, or a copy of it whose big sorted traces are decimated."""
    if not isinstance(window, dict) or window.get("type") != "plot":
        return window
    content = window.get("content")
    traces = content.get("data") if isinstance(content, dict) else None
    if not isinstance(traces, list):
        return window
    budget = budget or window_budget(window)
    shown = [
        trace_for_browser(t, budget, walltime.trace_stamps(window, k)) for k, t in enumerate(traces)
    ]
    if all(a is b for a, b in zip(shown, traces, strict=True)):
        return window
    return dict(window, content=dict(content, data=shown))


def windows_for_browser(windows, budget=None):
    """Return a list of windows with window_for_browser applied to each."""
    return [window_for_browser(w, budget) for w in windows]


def content_for_browser(content):
    """Return a join ack / env content ({"windows": [...], …}) decimated for a browser."""
    if not isinstance(content, dict) or not isinstance(content.get("windows"), list):
        return content
    return dict(content, windows=windows_for_browser(content["windows"]))


def delta_for_browser(payload):
    """Return a `window_update` payload whose big appended traces are decimated.

    An append of more points than a browser can draw (more than 2 × the default budget)
    travels decimated, marked with `visdom_total`, like a window.
    """
    if payload.get("kind") != "append_traces" or not isinstance(payload.get("traces"), list):
        return payload
    budget = budget_for()
    out = []
    for t in payload["traces"]:
        n = length(t.get("y")) if isinstance(t, dict) else None
        if n is None or n <= 2 * budget:
            out.append(t)
            continue
        idx = pick(t.get("x"), t["y"], None, budget)
        if idx is None or len(idx) == n:
            out.append(t)
            continue
        small = {k: (_take(v, idx) if length(v) == n else v) for k, v in t.items()}
        small[TOTAL] = n
        out.append(small)
    return dict(payload, traces=out)
