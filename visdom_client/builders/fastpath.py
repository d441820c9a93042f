"""The one-point line append, built without numpy: what training loops call all the time.

The result equals the general line builder's; the opts-derived parts are prepared once per
distinct opts and shared between requests, and each request carries a merge key so that
the non-blocking queue can fold consecutive points into one request cheaply.
"""

import itertools
import numbers

import numpy as np

from .common import Request, layout_from_opts, prepare_opts

PLAIN_OPTS = frozenset(
    {"title", "xlabel", "ylabel", "legend", "showlegend", "markers", "fillarea", "mode"}
    | {"markersymbol", "markersize", "markerborderwidth", "width", "height"}
)
_MAX_CACHED = 512
_cache = {}
_serial = itertools.count()


def _scalar(value):
    """Return (python number, dtype) for a scalar or 1-element array/list, else None."""
    if isinstance(value, np.ndarray):
        if value.shape not in ((1,), ()):
            return None
        if not (np.issubdtype(value.dtype, np.integer) or value.dtype == np.float64):
            return None
        return value.reshape(-1)[0].item(), value.dtype
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            return None
        value = value[0]
    if type(value) is float:
        return value, np.float64
    if type(value) is int:
        return value, np.int64
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return None
    if isinstance(value, (np.floating, np.integer)):
        return _scalar(np.asarray([value]))
    return value, (np.int64 if isinstance(value, numbers.Integral) else np.float64)


def _freeze(value):
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    hash(value)
    return value


def _entry(opts, name, first_append):
    """Return the cached (opts, static trace fields, layout, serial) for these opts."""
    key = (tuple(opts.items()) if opts else (), name, first_append)
    try:
        entry = _cache.get(key)
    except TypeError:  # a list value such as the legend
        try:
            key = (tuple((k, _freeze(v)) for k, v in opts.items()), name, first_append)
            entry = _cache.get(key)
        except TypeError:
            return None
    if entry is not None:
        return entry
    if opts and not PLAIN_OPTS.issuperset(opts):
        return None
    prepared = prepare_opts(opts)
    prepared.setdefault("markers", False)
    prepared.setdefault("fillarea", False)
    prepared["mode"] = "lines+markers" if prepared.get("markers") else "lines"
    prepared.setdefault("markersymbol", "dot")
    prepared.setdefault("markersize", 10)
    prepared.setdefault("markerborderwidth", 0.5)
    legend = prepared.get("legend") if "legend" in prepared else None
    if legend is not None and (not isinstance(legend, (list, tuple)) or not legend):
        return None
    static = {
        "name": legend[0] if legend is not None else (name if name is not None else "1"),
        "type": "scatter",
        "mode": prepared["mode"],
        "textposition": "right",
        "line": {},
        "marker": {
            "size": prepared["markersize"],
            "symbol": prepared["markersymbol"],
            "line": {"color": "#000000", "width": prepared["markerborderwidth"]},
        },
    }
    if prepared.get("fillarea"):
        static["fill"] = "tonexty"
    layout = layout_from_opts(prepared) if first_append else {}
    if len(_cache) >= _MAX_CACHED:
        _cache.clear()
    entry = _cache[key] = (prepared, static, layout, next(_serial))
    return entry


def point_append(Y, X, win, env, opts, update, name, first_append):
    """Return the request appending one point to a line, or None if the inputs need the
    general builder (several points, unusual opts or dtypes)."""
    if update != "append" or X is None or win is None:
        return None
    y, x = _scalar(Y), _scalar(X)
    if y is None or x is None:
        return None
    entry = _entry(opts, name, first_append)
    if entry is None:
        return None
    prepared, static, layout, serial = entry
    xt, yt = x[1], y[1]
    if xt is np.int64 and yt is np.int64:
        xv, yv = x[0], y[0]
    elif xt is np.float64 or yt is np.float64 or np.promote_types(xt, yt).kind == "f":
        xv, yv = float(x[0]), float(y[0])
        xv = None if xv != xv else xv  # NaN is sent as null
        yv = None if yv != yv else yv
    else:
        xv, yv = int(x[0]), int(y[0])
    trace = {"x": [xv], "y": [yv]}
    trace.update(static)
    body = {"data": [trace], "win": win, "eid": env, "layout": layout, "opts": prepared}
    body["name"] = name
    body["append"] = True
    return Request("update", body, (env, win, serial))
