"""Builders for values on a grid: heatmap, surface and contour."""

import numpy as np

from ..errors import bad_value
from .arrays import nan_to_none, require_ndim, require_numeric, to_array
from .common import Request, layout_from_opts, plot_request, prepare_opts, window_body

HEATMAP_UPDATES = (
    None,
    "replace",
    "remove",
    "appendRow",
    "appendColumn",
    "prependRow",
    "prependColumn",
)


def heatmap(X, win=None, env=None, opts=None, update=None):
    """Return the request drawing (or updating) a heatmap of the NxM array X."""
    if update not in HEATMAP_UPDATES:
        raise bad_value("update", "one of " + ", ".join(map(repr, HEATMAP_UPDATES)), repr(update))
    if update == "remove":
        if win is None:
            raise bad_value("win", "the id of the heatmap to remove", "None")
        return Request("update", {"data": [], "delete": True, "win": win, "eid": env})
    X = require_numeric(require_ndim(to_array(X, "X"), "X", (2,)), "X")
    opts = prepare_opts(opts)
    opts.setdefault("colormap", "Viridis")
    for key, axis in (("columnnames", 1), ("rownames", 0)):
        names = opts.get(key)
        if names is not None and len(names) != X.shape[axis]:
            raise bad_value(f"opts['{key}']", f"{X.shape[axis]} names", f"{len(names)}")
    data = [
        {
            "z": nan_to_none(X.tolist()),
            "x": opts.get("columnnames"),
            "y": opts.get("rownames"),
            "zmin": opts.get("xmin"),
            "zmax": opts.get("xmax"),
            "type": "heatmap",
            "colorscale": opts.get("colormap"),
        }
    ]
    nancolor = opts.get("nancolor")
    if nancolor is not None:
        # NaN cells are transparent: a constant trace underneath shows through them.
        background = {
            "z": np.zeros_like(X).tolist(),
            "x": data[0]["x"],
            "y": data[0]["y"],
            "type": "heatmap",
            "showscale": False,
            "colorscale": [[0, nancolor], [1, nancolor]],
        }
        data.insert(0, background)
    layout = layout_from_opts(opts) if update is None else {}
    body = window_body(data, win, env, opts, layout)
    if update is None:
        return Request("events", body)
    body["append"] = update not in ("replace",)
    body["updateDir"] = update
    return Request("update", body)


def surface(X, kind, win=None, env=None, opts=None):
    """Return the request drawing X as a 3-D surface (kind "surface") or a "contour" plot."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, "X")), "X", (2,)), "X")
    opts = prepare_opts(opts)
    opts["xmin"] = float(opts.get("xmin", np.nanmin(X)))
    opts["xmax"] = float(opts.get("xmax", np.nanmax(X)))
    opts.setdefault("colormap", "Viridis")
    data = [
        {
            "z": X.tolist(),
            "cmin": opts["xmin"],
            "cmax": opts["xmax"],
            "type": kind,
            "colorscale": opts["colormap"],
        }
    ]
    return plot_request(data, win, env, opts, is3d=kind == "surface")
