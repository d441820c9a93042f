"""Scatter-family builders: scatter, line, stem, quiver (all become scatter traces)."""

import numpy as np

from ..errors import bad_type, bad_value
from .arrays import nan_to_none, require_ndim, require_numeric, to_array
from .common import Request, layout_from_opts, prepare_opts, scrub

# "insert" is the 0.2.4 idiom for adding a trace by name (upstream's own demo uses it): it
# sends what "replace" sends, and the server adds the trace when no trace has that name.
UPDATE_MODES = (None, "append", "replace", "insert", "remove")
UPDATE_MODES_TEXT = "one of None, 'append', 'replace', 'insert', 'remove'"


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
    good_rows = (mc.shape[0] >= n_labels or mc.shape[0] == n_points) if mc.ndim else False
    good_cols = mc.ndim == 1 or (mc.ndim == 2 and mc.shape[1] == 3)
    if not (good_rows and good_cols):
        raise bad_value(
            "opts['markercolor']",
            f"shape ({n_points},) or ({n_points}, 3), or at least {n_labels} (x 3) palette rows",
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


def _markersizes(value, labels, n_points):
    """Return per-point sizes from a per-point or per-label opts.markersize array, or None."""
    if not isinstance(value, list | tuple | np.ndarray):
        return None
    sizes = np.asarray(value, dtype=float)
    if sizes.ndim != 1:
        raise bad_value("opts['markersize']", "a number or a 1-D array", f"shape {sizes.shape}")
    if sizes.shape[0] == n_points:
        return sizes
    largest = int(labels.max()) if len(labels) else 0
    if sizes.shape[0] < largest:
        raise bad_value(
            "opts['markersize']",
            f"{n_points} sizes (per point) or at least {largest} (per label)",
            f"{sizes.shape[0]}",
        )
    return sizes[labels - 1]


def normalise_labels(Y, n_points):
    """Return (labels 1..K per point, original label values or None) like upstream 0.3.0.

    Integer labels >= 1 are kept; any other labels (strings, floats, 0) are mapped to 1..K
    in sorted order, and the trace names become the original values.
    """
    values = np.ravel(to_array(Y, "Y"))
    if values.shape[0] != n_points:
        raise bad_value("Y", f"{n_points} labels (one per row of X)", f"{values.shape[0]}")
    numeric = np.issubdtype(values.dtype, np.number)
    if numeric and not np.isfinite(values).all():
        raise bad_value("Y", "finite labels", "NaN or infinite labels")
    if numeric and n_points and np.equal(np.mod(values, 1), 0).all() and values.min() >= 1:
        return values.astype(int), None
    try:
        label_values = np.unique(values)
    except TypeError as exc:
        raise bad_type("Y", "labels of one comparable type", values) from exc
    return (np.searchsorted(label_values, values) + 1).astype(int), label_values


def _labels(Y, n_points, name):
    if Y is None:
        return np.ones(n_points, dtype=int), [1], 1, None
    Y, label_values = normalise_labels(Y, n_points)
    unique = [int(v) for v in np.unique(Y)]
    if len(unique) > 1 and name is not None:
        raise bad_value("name", "None when Y has several labels", repr(name))
    n_labels = len(label_values) if label_values is not None else int(Y.max())
    return Y, unique, n_labels, label_values


def scatter(X, Y=None, win=None, env=None, opts=None, update=None, name=None, first_append=False):
    """Return the request drawing (or updating) a 2-D/3-D scatter plot.

    first_append: send the full layout with an append, for a window this client has not
    drawn before (the server creates the window from an append when it is missing).
    opts.store_history: draw into a plot_history window (see history_request).
    """
    if update not in UPDATE_MODES:
        raise bad_value("update", UPDATE_MODES_TEXT, repr(update))
    if opts is not None and isinstance(opts, dict) and opts.get("store_history") and update:
        raise bad_value("update", "None with opts['store_history'] (it adds frames)", update)
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
    if X.shape[1] not in (2, 3) or X.shape[0] == 0:
        raise bad_value("X", "an Nx2 or Nx3 array with N >= 1", f"shape {X.shape}")
    Y, labels, n_labels, label_values = _labels(Y, X.shape[0], name)
    opts = prepare_opts(opts)
    _scatter_defaults(opts)
    mc = opts.pop("markercolor", None)
    mc = None if mc is None else _marker_colors(mc, X, Y, n_labels)
    sizes = _markersizes(opts.get("markersize"), Y, X.shape[0])
    if sizes is not None:
        del opts["markersize"]
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
    styles = {"text": text, "mc": mc, "sizes": sizes, "lc": lc, "dash": dash}
    data = _traces(X, Y, labels, label_values, opts, name, styles)
    is3d = X.shape[1] == 3
    if opts.get("store_history"):
        return history_request(data, layout_from_opts(opts, is3d), win, env, opts)
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


def history_request(data, layout, win, env, opts):
    """Return the /events request creating a plot_history window with one frame.

    Send the same body to /update to add a frame to an existing window.
    """
    content = {"data": data, "layout": layout, "caption": opts.get("caption")}
    frame = {"type": "plot_history", "content": content}
    return Request("events", {"data": [frame], "win": win, "eid": env, "opts": opts})


def _line_colors(array):
    colors = _color_array(array, "opts['linecolor']")
    if colors.ndim != 2 or colors.shape[1] != 3:
        raise bad_value("opts['linecolor']", "a Kx3 array of RGB rows", f"shape {colors.shape}")
    return ["#{:02x}{:02x}{:02x}".format(*row) for row in colors]


def _trace_name(k, labels, label_values, legend, name):
    if legend is not None:
        return legend[k - 1]
    if len(labels) == 1 and name is not None:
        return name
    return str(label_values[k - 1]) if label_values is not None else str(k)


def _traces(X, Y, labels, label_values, opts, name, styles):
    is3d = X.shape[1] == 3
    trace_type = "scatter3d" if is3d else ("scattergl" if opts.get("webgl", False) else "scatter")
    trace_opts = opts.get("traceopts", {"plotly": {}})["plotly"]
    legend = opts.get("legend") if "legend" in opts else None
    text, mc, sizes, lc, dash = (styles[k] for k in ("text", "mc", "sizes", "lc", "dash"))
    traces = []
    for k in labels:
        mask = Y == k
        trace_name = _trace_name(k, labels, label_values, legend, name)
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
                "size": sizes[mask].tolist() if sizes is not None else opts.get("markersize"),
                "symbol": opts.get("markersymbol"),
                "color": mc[k] if mc is not None else None,
                "line": {"color": "#000000", "width": opts.get("markerborderwidth")},
            },
        }
        if opts.get("fillarea"):
            trace["fill"] = "tonexty"
        if is3d:
            trace["z"] = nan_to_none(X[mask, 2].tolist())
        if trace_name in trace_opts:
            trace.update(trace_opts[trace_name])
        traces.append(scrub(trace))
    return traces
