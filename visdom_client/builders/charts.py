"""Builders for the static charts: bar, histogram, boxplot, pie, mesh, sunburst, dual axes."""

import numpy as np

from ..errors import bad_value
from .arrays import require_ndim, require_numeric, to_array
from .common import Request, is_number, plot_request, prepare_opts


def _columns(X, argument="X"):
    """Return X squeezed to 2-D (one column per series) after checking it is 1-D or 2-D."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, argument)), argument, (1, 2)), argument)
    return X[:, None] if X.ndim == 1 else X


def _check_names(opts, key, count, what):
    names = opts.get(key)
    if names is not None and len(names) != count:
        raise bad_value(f"opts['{key}']", f"{count} names (one per {what})", f"{len(names)}")


def bar(X, Y=None, win=None, env=None, opts=None):
    """Return the request drawing bars for each column of X (stacked or grouped)."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, "X")), "X", (1, 2)), "X")
    if X.ndim == 1:
        if opts is not None and opts.get("legend") is not None:
            if opts.get("rownames") is not None:
                raise bad_value("opts", "either rownames or legend for a 1-D X", "both")
            X = X[None, :]
        else:
            X = X[:, None]
    if Y is not None:
        Y = require_ndim(np.squeeze(to_array(Y, "Y")), "Y", (1,))
        if len(Y) != len(X):
            raise bad_value("Y", f"{len(X)} x-values (one per row of X)", f"{len(Y)}")
    else:
        Y = np.arange(1, len(X) + 1)
    opts = prepare_opts(opts)
    opts.setdefault("stacked", False)
    _check_names(opts, "rownames", X.shape[0], "row of X")
    _check_names(opts, "legend", X.shape[1], "column of X")
    data = []
    for k in range(X.shape[1]):
        trace = {"y": X[:, k].tolist(), "x": opts.get("rownames", Y.tolist()), "type": "bar"}
        if opts.get("legend"):
            trace["name"] = opts["legend"][k]
        data.append(trace)
    return plot_request(data, win, env, opts)


def histogram(X, win=None, env=None, opts=None):
    """Return the request drawing a histogram of the 1-D data X."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, "X")), "X", (1,)), "X")
    if X.size == 0:
        raise bad_value("X", "at least one value", "an empty array")
    opts = prepare_opts(opts)
    opts.setdefault("numbins", min(30, len(X)))
    low, high = np.nanmin(X), np.nanmax(X)
    counts = np.histogram(X, bins=opts["numbins"], range=(low, high))[0]
    return bar(counts, np.linspace(low, high, opts["numbins"]), win, env, opts)


def boxplot(X, win=None, env=None, opts=None):
    """Return the request drawing one box per column of X."""
    X = _columns(X)
    opts = prepare_opts(opts)
    _check_names(opts, "legend", X.shape[1], "column of X")
    legend = opts.get("legend")
    data = [
        {"y": X[:, k].tolist(), "type": "box", "name": legend[k] if legend else f"column {k}"}
        for k in range(X.shape[1])
    ]
    return plot_request(data, win, env, opts)


def pie(X, win=None, env=None, opts=None):
    """Return the request drawing a pie chart of the non-negative 1-D values X."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, "X")), "X", (1,)), "X")
    if not np.all(np.greater_equal(X, 0)):
        raise bad_value("X", "non-negative values", "negative values")
    opts = prepare_opts(opts)
    data = [{"values": X.tolist(), "labels": opts.get("legend"), "type": "pie"}]
    return plot_request(data, win, env, opts)


def mesh(X, Y=None, win=None, env=None, opts=None):
    """Return the request drawing a mesh of vertices X (Nx2/Nx3) and polygons Y (Mx2/Mx3)."""
    opts = prepare_opts(opts)
    X = require_numeric(require_ndim(to_array(X, "X"), "X", (2,)), "X")
    if X.shape[1] not in (2, 3):
        raise bad_value("X", "an Nx2 or Nx3 array of vertices", f"shape {X.shape}")
    is3d = X.shape[1] == 3
    if Y is not None:
        Y = require_ndim(to_array(Y, "Y"), "Y", (2,))
        if Y.shape[1] != X.shape[1]:
            raise bad_value("Y", f"{X.shape[1]} columns like X", f"shape {Y.shape}")
    data = [
        {
            "x": X[:, 0].tolist(),
            "y": X[:, 1].tolist(),
            "z": X[:, 2].tolist() if is3d else None,
            "i": Y[:, 0].tolist() if Y is not None else None,
            "j": Y[:, 1].tolist() if Y is not None else None,
            "k": Y[:, 2].tolist() if is3d and Y is not None else None,
            "color": opts.get("color"),
            "opacity": opts.get("opacity"),
            "type": "mesh3d" if is3d else "mesh",
        }
    ]
    return plot_request(data, win, env, opts)


def sunburst(labels, parents, values=None, win=None, env=None, opts=None):
    """Return the request drawing a sunburst chart of labels under their parents."""
    opts = prepare_opts(opts)
    labels = to_array(labels, "labels").tolist()
    parents = to_array(parents, "parents").tolist()
    if len(parents) != len(labels):
        raise bad_value("parents", f"{len(labels)} entries like labels", f"{len(parents)}")
    trace = {
        "labels": labels,
        "parents": parents,
        "outsidetextfont": {"size": opts.get("size"), "color": opts.get("font_color")},
        "leaf": {"opacity": opts.get("opacity")},
        "marker": {"line": {"width": opts.get("marker_width")}},
        "type": "sunburst",
    }
    if values is not None:
        values = require_ndim(np.squeeze(to_array(values, "values")), "values", (1,))
        if len(values) != len(labels):
            raise bad_value("values", f"{len(labels)} entries like labels", f"{len(values)}")
        trace["values"] = values.tolist()
    return plot_request([trace], win, env, opts)


def dual_axis_lines(X, Y1, Y2, win=None, env=None, opts=None):
    """Return the request drawing Y1 and Y2 against X with separate left and right axes."""
    arrays = [to_array(v, n) for v, n in ((X, "X"), (Y1, "Y1"), (Y2, "Y2"))]
    for array, argument in zip(arrays[1:], ("Y1", "Y2"), strict=True):
        if array.shape != arrays[0].shape:
            raise bad_value(argument, f"the shape of X {arrays[0].shape}", f"{array.shape}")
    x, y1, y2 = ([float(v) for v in a] for a in arrays)
    opts = {"height": 300, "width": 500} if opts is None else dict(opts)
    first = {"x": x, "y": y1, "name": opts.get("name_y1", "Y1 axis"), "type": "scatter"}
    second = {"x": x, "y": y2, "yaxis": "y2", "name": opts.get("name_y2", "Y2 axis")}
    second["type"] = "scatter"
    layout = {
        "title": opts.get("title", "Example Double Y axis"),
        "yaxis": {
            "title": first["name"],
            "titlefont": {"color": opts.get("color_title_y1", "black")},
            "tickfont": {"color": opts.get("color_tick_y1", "black")},
        },
        "yaxis2": {
            "title": second["name"],
            "titlefont": {"color": opts.get("color_title_y2", "rgb(148, 103, 189)")},
            "tickfont": {"color": opts.get("color_tick_y2", "rgb(148, 103, 189)")},
            "overlaying": "y",
            "side": opts.get("side", "right"),
        },
        "showlegend": opts.get("showlegend", True),
        "margin": {
            "b": opts.get("bottom", 60),
            "r": opts.get("right", 60),
            "t": opts.get("top", 60),
            "l": opts.get("left", 60),
        },
    }
    opts.setdefault("height", 300)
    opts.setdefault("width", 500)
    body = {"win": win, "eid": env, "data": [first, second], "layout": layout, "opts": opts}
    return Request("events", body)


def _flow_indices(value, argument):
    array = np.ravel(
        require_ndim(require_numeric(to_array(value, argument), argument), argument, (0, 1))
    )
    if (array < 0).any() or (array != np.floor(array)).any():
        raise bad_value(argument, "non-negative integer node indices", array.tolist()[:5])
    return array.astype(int)


def sankey(source, target, value, labels=None, win=None, env=None, opts=None):
    """Return the request drawing a Sankey diagram: link i carries value[i] from source[i]
    to target[i] (node indices).

    labels (or opts.labels) name the nodes. opts: pad (15), thickness (20), orientation
    ('h' or 'v'), nodecolor, linkcolor (a colour or one per node/link).
    """
    opts = prepare_opts(opts)
    source, target = _flow_indices(source, "source"), _flow_indices(target, "target")
    values = np.ravel(
        require_ndim(require_numeric(to_array(value, "value"), "value"), "value", (0, 1))
    )
    if not len(source) == len(target) == len(values):
        raise bad_value(
            "target/value", f"{len(source)} entries like source", f"{len(target)}/{len(values)}"
        )
    if (values < 0).any():
        raise bad_value("value", "non-negative link values", "negative values")
    labels = opts.get("labels") if labels is None else labels
    if labels is not None and len(source):
        nodes = max(int(source.max()), int(target.max())) + 1
        if len(labels) < nodes:
            raise bad_value("labels", f"at least {nodes} names (one per node)", len(labels))
    pad, thickness = opts.get("pad", 15), opts.get("thickness", 20)
    orientation = opts.get("orientation", "h")
    if not is_number(pad) or pad < 0:
        raise bad_value("opts['pad']", "a non-negative number", repr(pad))
    if not is_number(thickness) or thickness <= 0:
        raise bad_value("opts['thickness']", "a positive number", repr(thickness))
    if orientation not in ("h", "v"):
        raise bad_value("opts['orientation']", "'h' or 'v'", repr(orientation))
    node = {"pad": pad, "thickness": thickness}
    if labels is not None:
        node["label"] = list(labels)
    if opts.get("nodecolor") is not None:
        node["color"] = opts["nodecolor"]
    link = {"source": source.tolist(), "target": target.tolist(), "value": values.tolist()}
    if opts.get("linkcolor") is not None:
        link["color"] = opts["linkcolor"]
    data = [{"type": "sankey", "orientation": orientation, "node": node, "link": link}]
    return plot_request(data, win, env, opts)


__all__ = ["bar", "histogram", "boxplot", "pie", "mesh", "sunburst", "dual_axis_lines", "sankey"]
