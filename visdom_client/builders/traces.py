"""Scatter-family builders: scatter, line, stem, quiver (all become scatter traces)."""

import numpy as np

from ..errors import bad_value
from .arrays import nan_to_none, require_ndim, require_numeric, to_array
from .common import Request, layout_from_opts, prepare_opts, scrub

UPDATE_MODES = (None, "append", "replace", "remove")


def remove_trace(win, env, name, opts=None):
    """Return the /update request that deletes trace `name` from window `win`."""
    if win is None:
        raise bad_value("win", "the id of the window to update", "None")
    if name is None:
        raise bad_value("name", "the name of the trace to remove", "None")
    if opts is not None:
        raise bad_value("opts", "None (opts cannot change when removing a trace)", "a dict")
    return Request("update", {"data": [], "name": name, "delete": True, "win": win, "eid": env})


def _color_array(value, argument):
    array = to_array(value, argument)
    require_numeric(array, argument)
    if array.size and ((array < 0).any() or (array > 255).any()):
        raise bad_value(argument, "integer values in [0, 255]", "values outside that range")
    if array.size and (array != np.floor(array)).any():
        raise bad_value(argument, "integer values in [0, 255]", "non-integer values")
    return array.astype(np.uint8)


def _marker_colors(value, points, labels, n_labels):
    """Return {label: [css colour per point]} from opts.markercolor."""
    mc = _color_array(value, "opts['markercolor']")
    n_points = len(points)
    good_rows = mc.shape[0] in (n_labels, n_points) if mc.ndim else False
    good_cols = mc.ndim == 1 or (mc.ndim == 2 and mc.shape[1] == 3)
    if not (good_rows and good_cols):
        raise bad_value(
            "opts['markercolor']",
            f"shape ({n_points},), ({n_points}, 3), ({n_labels},) or ({n_labels}, 3)",
            f"shape {mc.shape}",
        )
    if mc.ndim == 1:
        colors = [f"rgba(0, 0, 255, {v / 255.0})" for v in mc]
    else:
        colors = ["#{:02x}{:02x}{:02x}".format(*row) for row in mc]
    if mc.shape[0] != n_points:
        colors = [colors[int(lab) - 1] for lab in labels]
    per_label = {}
    for lab, color in zip(labels, colors, strict=True):
        per_label.setdefault(int(lab), []).append(color)
    return per_label


def _per_trace(value, argument, n_labels, convert):
    array = to_array(value, argument)
    if array.ndim == 0 or array.shape[0] != n_labels:
        raise bad_value(argument, f"one entry per trace ({n_labels})", f"shape {array.shape}")
    return convert(array)


def _scatter_defaults(opts):
    default_mode = "markers" if opts.get("textlabels") is None else "markers+text"
    opts.setdefault("mode", default_mode)
    opts.setdefault("markersymbol", "dot")
    opts.setdefault("markersize", 10)
    opts.setdefault("markerborderwidth", 0.5)


def _labels(Y, n_points, name):
    if Y is None:
        return np.ones(n_points, dtype=int), [1], 1
    Y = np.ravel(require_numeric(to_array(Y, "Y"), "Y"))
    if Y.shape[0] != n_points:
        raise bad_value("Y", f"{n_points} labels (one per row of X)", f"{Y.shape[0]}")
    if not np.equal(np.mod(Y, 1), 0).all() or Y.min() < 1:
        raise bad_value("Y", "integer labels >= 1", f"values {np.unique(Y)[:5].tolist()}")
    unique = [int(v) for v in np.unique(Y.astype(int))]
    if len(unique) > 1 and name is not None:
        raise bad_value("name", "None when Y has several labels", repr(name))
    return Y, unique, int(Y.max())


def scatter(X, Y=None, win=None, env=None, opts=None, update=None, name=None, first_append=False):
    """Return the request drawing (or updating) a 2-D/3-D scatter plot.

    first_append: send the full layout with an append, for a window this client has not
    drawn before (the server creates the window from an append when it is missing).
    """
    if update not in UPDATE_MODES:
        raise bad_value("update", "one of None, 'append', 'replace', 'remove'", repr(update))
    if update == "remove":
        return remove_trace(win, env, name, opts)
    X = require_numeric(to_array(X, "X"), "X")
    if update is not None:
        if win is None:
            raise bad_value("win", "the id of the window to update", "None")
        if name is not None and X.ndim == 1:
            Yv = to_array(Y, "Y")
            if Yv.ndim != 1 or Yv.shape[0] != X.shape[0]:
                raise bad_value("Y", f"a 1-D array of length {X.shape[0]}", f"shape {Yv.shape}")
            X, Y = np.column_stack((X, Yv)), None
    require_ndim(X, "X", (2,))
    if X.shape[1] not in (2, 3):
        raise bad_value("X", "an Nx2 or Nx3 array", f"shape {X.shape}")
    Y, labels, n_labels = _labels(Y, X.shape[0], name)
    opts = prepare_opts(opts)
    _scatter_defaults(opts)
    mc = opts.pop("markercolor", None)
    mc = None if mc is None else _marker_colors(mc, X, Y, n_labels)
    lc = opts.pop("linecolor", None)
    if lc is not None:
        lc = _per_trace(lc, "opts['linecolor']", n_labels, _line_colors)
    dash = opts.pop("dash", None)
    if dash is not None:
        dash = _per_trace(dash, "opts['dash']", n_labels, lambda a: [str(v) for v in a])
    text = opts.get("textlabels")
    if text is not None:
        text = np.ravel(text)
        if len(text) != X.shape[0]:
            raise bad_value("opts['textlabels']", f"{X.shape[0]} labels", f"{len(text)}")
    legend = opts.get("legend")
    if legend is not None:
        if not isinstance(legend, (list, tuple)) or len(legend) < n_labels:
            raise bad_value("opts['legend']", f"a list of at least {n_labels} names", legend)
    data = _traces(X, Y, labels, opts, name, text, mc, lc, dash)
    is3d = X.shape[1] == 3
    body = {"data": data, "win": win, "eid": env}
    if update is None or (update == "append" and first_append):
        body["layout"] = layout_from_opts(opts, is3d)
    else:
        body["layout"] = {}
    body["opts"] = opts
    if update is None:
        return Request("events", body)
    body["name"] = name
    body["append"] = update == "append"
    return Request("update", body)


def _line_colors(array):
    colors = _color_array(array, "opts['linecolor']")
    if colors.ndim != 2 or colors.shape[1] != 3:
        raise bad_value("opts['linecolor']", "a Kx3 array of RGB rows", f"shape {colors.shape}")
    return ["#{:02x}{:02x}{:02x}".format(*row) for row in colors]


def _traces(X, Y, labels, opts, name, text, mc, lc, dash):
    is3d = X.shape[1] == 3
    trace_type = "scatter3d" if is3d else ("scattergl" if opts.get("webgl", False) else "scatter")
    trace_opts = opts.get("traceopts", {"plotly": {}})["plotly"]
    legend = opts.get("legend") if "legend" in opts else None
    traces = []
    for k in labels:
        mask = Y == k
        if legend is not None:
            trace_name = legend[k - 1]
        elif len(labels) == 1 and name is not None:
            trace_name = name
        else:
            trace_name = str(k)
        trace = {
            "x": nan_to_none(X[mask, 0].tolist()),
            "y": nan_to_none(X[mask, 1].tolist()),
            "name": trace_name,
            "type": trace_type,
            "mode": opts.get("mode"),
            "text": text[mask].tolist() if text is not None else None,
            "textposition": "right",
            "line": {
                "dash": dash[k - 1] if dash is not None else None,
                "color": lc[k - 1] if lc is not None else None,
            },
            "marker": {
                "size": opts.get("markersize"),
                "symbol": opts.get("markersymbol"),
                "color": mc[k] if mc is not None else None,
                "line": {"color": "#000000", "width": opts.get("markerborderwidth")},
            },
        }
        if opts.get("fillarea"):
            trace["fill"] = "tonexty"
        if is3d:
            trace["z"] = X[mask, 2].tolist()
        if trace_name in trace_opts:
            trace.update(trace_opts[trace_name])
        traces.append(scrub(trace))
    return traces
