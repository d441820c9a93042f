"""Distribution and comparison plots of 0.3.0: violin, 2-D histogram, parallel coordinates."""

import numpy as np

from ..errors import bad_type, bad_value
from .arrays import require_ndim, require_numeric, to_array
from .common import is_number, layout_from_opts, plot_request, prepare_opts, scrub

VIOLIN_POINTS = ("all", "outliers", "suspectedoutliers", False)


def _choice(opts, key, default, allowed):
    value = opts.get(key, default)
    if value not in allowed:
        raise bad_value(f"opts['{key}']", f"one of {allowed}", repr(value))
    return value


def violin(X, win=None, env=None, opts=None):
    """Return the request drawing one violin per column of the N or NxM array X.

    opts: legend, showbox, showmeanline, points ('all', 'outliers', 'suspectedoutliers' or
    False), jitter in [0, 1], orientation ('v' or 'h'), bandwidth > 0, side ('both',
    'positive', 'negative'), opacity.
    """
    X = require_numeric(to_array(X, "X"), "X")
    X = np.squeeze(X) if X.ndim > 2 else X
    X = require_ndim(X, "X", (1, 2))
    X = X[:, None] if X.ndim == 1 else X
    opts = prepare_opts(opts)
    legend = opts.get("legend")
    if legend is not None and len(legend) != X.shape[1]:
        raise bad_value("opts['legend']", f"{X.shape[1]} names (one per column)", len(legend))
    orientation = _choice(opts, "orientation", "v", ("v", "h"))
    side = _choice(opts, "side", "both", ("both", "positive", "negative"))
    points = _choice(opts, "points", False, VIOLIN_POINTS)
    jitter = opts.get("jitter", 0.3)
    if jitter is not None and not (is_number(jitter) and 0 <= jitter <= 1):
        raise bad_value("opts['jitter']", "a number in [0, 1]", repr(jitter))
    bandwidth = opts.get("bandwidth")
    if bandwidth is not None and not (is_number(bandwidth) and bandwidth > 0):
        raise bad_value("opts['bandwidth']", "a positive number", repr(bandwidth))
    data = []
    for k in range(X.shape[1]):
        trace = {
            "type": "violin",
            "name": legend[k] if legend else f"column {k}",
            "box": {"visible": opts.get("showbox", True)},
            "meanline": {"visible": opts.get("showmeanline", True)},
            "points": points,
            "side": side,
        }
        if jitter is not None:
            trace["jitter"] = jitter
        if orientation == "v":
            trace["y"] = X[:, k].tolist()
        else:
            trace["x"] = X[:, k].tolist()
            trace["orientation"] = "h"
        if bandwidth is not None:
            trace["bandwidth"] = bandwidth
        if opts.get("opacity") is not None:
            trace["opacity"] = opts["opacity"]
        data.append(trace)
    return plot_request(data, win, env, opts)


def histogram2d(X, Y, win=None, env=None, opts=None):
    """Return the request drawing a 2-D histogram (density map) of the points (X[i], Y[i]).

    opts: xnumbins, ynumbins, colormap (default "Viridis"), histnorm ('', 'percent',
    'probability', 'density', 'probability density').
    """
    X = require_ndim(np.squeeze(require_numeric(to_array(X, "X"), "X")), "X", (1,))
    Y = require_ndim(np.squeeze(require_numeric(to_array(Y, "Y"), "Y")), "Y", (1,))
    if len(X) != len(Y):
        raise bad_value("Y", f"{len(X)} values like X", len(Y))
    opts = prepare_opts(opts)
    opts.setdefault("colormap", "Viridis")
    trace = {
        "x": X.tolist(),
        "y": Y.tolist(),
        "type": "histogram2d",
        "colorscale": opts.get("colormap"),
    }
    for key, field in (("xnumbins", "nbinsx"), ("ynumbins", "nbinsy"), ("histnorm", "histnorm")):
        if opts.get(key) is not None:
            trace[field] = opts[key]
    return plot_request([trace], win, env, opts)


def _dimension(i, column, label, opts):
    low, high = float(np.nanmin(column)), float(np.nanmax(column))
    pad = (high - low) * 0.05 if high > low else 0.5
    dim = {
        "values": column.tolist(),
        "label": str(label),
        "range": (opts.get("ranges") or {}).get(i, [low - pad, high + pad]),
    }
    constraints = opts.get("constraintranges") or {}
    tickvals = opts.get("tickvals") or {}
    ticktext = opts.get("ticktext") or {}
    if i in constraints:
        dim["constraintrange"] = constraints[i]
    if i in tickvals:
        dim["tickvals"] = tickvals[i]
    if i in ticktext:
        if i not in tickvals or len(ticktext[i]) != len(tickvals[i]):
            expected = f"as many labels as opts['tickvals'][{i}]"
            raise bad_value(f"opts['ticktext'][{i}]", expected, repr(ticktext[i]))
        dim["ticktext"] = ticktext[i]
    return dim


def parallel_coordinates(X, Y=None, win=None, env=None, opts=None):
    """Return the request drawing each row of the NxM array X as a line across M axes.

    Y (N values) colours the lines. opts: dimensions (M axis names), colormap (default
    "Electric"), reversescale, ranges / constraintranges / tickvals / ticktext ({axis
    index: list}), max_experiments (keep the rows with the highest Y), title.
    """
    X = require_ndim(np.asarray(require_numeric(to_array(X, "X"), "X"), dtype=float), "X", (2,))
    n, m = X.shape
    if n < 1 or m < 2:
        raise bad_value("X", "at least 1 row and 2 columns", f"shape {X.shape}")
    if Y is not None:
        Y = np.squeeze(np.asarray(require_numeric(to_array(Y, "Y"), "Y"), dtype=float))
        if Y.ndim != 1 or len(Y) != n:
            raise bad_value("Y", f"{n} values (one per row of X)", f"shape {Y.shape}")
    opts = prepare_opts(opts)
    keep = opts.get("max_experiments")
    if keep is not None:
        if Y is None:
            raise bad_value("Y", "colour values when opts['max_experiments'] is set", "None")
        if n > keep:
            top = np.argsort(Y)[::-1][:keep]
            X, Y = X[top], Y[top]
    labels = opts.get("dimensions")
    if labels is None:
        labels = [f"Dim {i + 1}" for i in range(m)]
    if not isinstance(labels, list | tuple):
        raise bad_type("opts['dimensions']", f"a list of {m} names", labels)
    if len(labels) != m:
        raise bad_value("opts['dimensions']", f"{m} names (one per column)", len(labels))
    line = None
    if Y is not None:
        line = {
            "color": Y.tolist(),
            "colorscale": opts.get("colormap", "Electric"),
            "showscale": True,
            "cmin": float(np.nanmin(Y)),
            "cmax": float(np.nanmax(Y)),
        }
        if opts.get("reversescale"):
            line["reversescale"] = True
    title = opts.get("title")
    trace = {
        "type": "parcoords",
        "dimensions": [_dimension(i, X[:, i], labels[i], opts) for i in range(m)],
        "line": line,
        "labelfont": {"size": 13},
        "tickfont": {"size": 11},
        "rangefont": {"size": 11},
    }
    if title:
        trace["domain"] = {"y": [0, 0.85]}
    layout = layout_from_opts(opts)
    layout.setdefault("paper_bgcolor", "white")
    layout.setdefault("plot_bgcolor", "white")
    if title:
        layout["title"] = {"text": str(title), "x": 0.5, "xanchor": "center"}
    opts.setdefault("width", max(600, m * 140 + (100 if line else 0)))
    opts.setdefault("height", 450)
    return plot_request([scrub(trace)], win, env, opts, layout=scrub(layout))
