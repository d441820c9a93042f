"""Wall time per point: when each append of a plot's traces reached the server.

One stamp per append call and trace (merged when closer than COALESCE), not per point: `window["visdom_wall"]` holds, per
trace index, {"n": [points after the append, ...], "t": [unix time, ...]} as numeric
Columns (so an append costs O(1) in memory, on Redis and in the journal). Point i of a
trace arrived at t[j] for the first j with n[j] > i. Windows created before this existed
have no stamps: the UI falls back to step for them. Upstream ignores the extra key.
"""

import numpy as np

from .columns import Column

KEY = "visdom_wall"
# Stamps closer together than this are merged: a wall time is known to within 0.1 s, and
# single-point appends at any rate add at most 16 B per 0.1 s instead of 16 B per point.
COALESCE = 0.1
STAMPED_TYPES = (None, "scatter", "scattergl")


def _count(trace):
    """Return the number of points of a 2-D line/scatter trace, or None for other traces."""
    if not isinstance(trace, dict) or trace.get("type") not in STAMPED_TYPES:
        return None
    if trace.get("z") is not None:
        return None
    y = trace.get("y")
    return len(y) if isinstance(y, (list, Column)) else None


def _stamp(n, now):
    return {
        "n": Column(np.array([n], dtype=np.int64)),
        "t": Column(np.array([now], dtype=np.float64)),
    }


def _traces(window):
    content = window.get("content") if window.get("type") == "plot" else None
    traces = content.get("data") if isinstance(content, dict) else None
    return traces if isinstance(traces, list) else None


def stamp_new(window, now):
    """Stamp every line/scatter trace of a new plot window with its creation time."""
    traces = _traces(window)
    if traces is None:
        window.pop(KEY, None)
        return window
    stamps = [None if _count(t) is None else _stamp(_count(t), now) for t in traces]
    window[KEY] = stamps
    return window


def stamp_update(window, now, append):
    """Record that an /update reached the window at `now` (after apply_update).

    A trace that grew gets a stamp; one that was replaced (not an append, or it shrank)
    starts again from one stamp. Traces added since get a stamp. When traces were
    removed the stamps can no longer be matched to them and are dropped (step only).
    """
    stamps = window.get(KEY)
    traces = _traces(window)
    if not isinstance(stamps, list) or traces is None:
        return
    if len(traces) < len(stamps):
        del window[KEY]
        return
    for k, trace in enumerate(traces):
        n = _count(trace)
        if k >= len(stamps):
            stamps.append(None if n is None else _stamp(n, now))
            continue
        st = stamps[k]
        if n is None:
            stamps[k] = None
        elif st is None or not append or n < st["n"][-1]:
            stamps[k] = _stamp(n, now)
        elif n > st["n"][-1] and now - st["t"][-1] >= COALESCE:
            st["n"].extend([n])
            st["t"].extend([float(now)])
        # Appends within COALESCE of the last stamp take the next stamp's time (or the
        # last one's): at most 1/COALESCE stamps a second, whatever the append rate.


def normalize(window):
    """Make a window's stamps (read from a file, a journal or a client) Columns, or drop them."""
    stamps = window.get(KEY)
    if KEY not in window:
        return window
    traces = _traces(window)
    if not isinstance(stamps, list) or traces is None or len(stamps) > len(traces):
        del window[KEY]
        return window
    out = []
    for st in stamps:
        if not isinstance(st, dict):
            out.append(None)
            continue
        n, t = st.get("n"), st.get("t")
        if isinstance(n, Column) and isinstance(t, Column):
            out.append(st)
            continue
        ok = isinstance(n, list) and isinstance(t, list) and len(n) == len(t) and n
        ok = ok and all(type(v) is int for v in n) and all(type(v) in (int, float) for v in t)
        if not ok:
            out.append(None)
            continue
        out.append(
            {
                "n": Column(np.array(n, dtype=np.int64)),
                "t": Column(np.array(t, dtype=np.float64)),
            }
        )
    window[KEY] = out
    return window


def trace_stamps(window, k):
    """Return the stamps of trace `k` of a window ({"n", "t"}), or None."""
    stamps = window.get(KEY) if isinstance(window, dict) else None
    if not isinstance(stamps, list) or k >= len(stamps) or not isinstance(stamps[k], dict):
        return None
    return stamps[k]


def times_of(stamps, idx):
    """Return the arrival times (unix seconds, a float array) of the points at indices `idx`."""
    n = np.asarray(stamps["n"], dtype=np.int64)
    t = np.asarray(stamps["t"], dtype=np.float64)
    j = np.searchsorted(n, np.asarray(idx, dtype=np.int64), side="right")
    return t[np.minimum(j, len(t) - 1)]


def point_times(stamps, idx):
    """Return the arrival time (unix seconds) of the points at raw indices `idx`, as a list."""
    return times_of(stamps, idx).tolist()


def all_times(stamps, total):
    """Return the arrival time of each of `total` points (None when there are no stamps)."""
    if stamps is None:
        return None
    return point_times(stamps, np.arange(total))
