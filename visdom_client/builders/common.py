"""Shared pieces of every builder: the request type, opts checks and the plot layout."""

import logging
import numbers
from typing import NamedTuple

from ..errors import bad_type, bad_value, describe

logger = logging.getLogger("visdom_client")


class Request(NamedTuple):
    """One HTTP request to make: the endpoint (e.g. "events") and its JSON body.

    merge_key: set on one-point appends; equal keys mean the points may share a request.
    """

    endpoint: str
    body: dict
    merge_key: object = None


def is_number(value):
    """Return True for real numbers (bool excluded)."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def prepare_opts(opts, argument="opts"):
    """Return a validated copy of opts: None title dropped, numeric title made a string."""
    if opts is None:
        return {}
    if not isinstance(opts, dict):
        raise bad_type(argument, "a dict or None", opts)
    opts = dict(opts)
    title = opts.get("title")
    if "title" in opts and title is None:
        del opts["title"]
    elif is_number(title):
        opts["title"] = str(title)
    check_opts(opts)
    return opts


def _check_string(opts, key):
    value = opts.get(key)
    if value and not isinstance(value, str):
        raise bad_type(f"opts['{key}']", "a string", value)


def _check_range(opts, key, low, high, low_inclusive=True):
    value = opts.get(key)
    if not value:
        return
    if not is_number(value):
        raise bad_type(f"opts['{key}']", "a number", value)
    above = value >= low if low_inclusive else value > low
    if not above or (high is not None and value > high):
        bound = "[" if low_inclusive else "("
        raise bad_value(f"opts['{key}']", f"a number in {bound}{low}, {high or 'inf'}]", value)


def _check_markersize(value):
    """A positive number, or (0.3.0) a list/array of positive per-point or per-label sizes."""
    if value is None:
        return
    if hasattr(value, "__len__") and not isinstance(value, str):
        try:
            positive = all(is_number(v) and v > 0 for v in list(value))
        except TypeError:
            positive = False
        if not positive:
            raise bad_value("opts['markersize']", "positive sizes", describe(value))
        return
    if not is_number(value):
        raise bad_type("opts['markersize']", "a number or a list of numbers", value)
    if value <= 0:
        raise bad_value("opts['markersize']", "a number in (0, inf]", value)


def check_opts(opts):
    """Validate the generic opts the way the upstream client does, with clear errors."""
    for key in ("title", "color", "colormap", "mode", "markersymbol"):
        _check_string(opts, key)
    _check_markersize(opts.get("markersize"))
    _check_range(opts, "markerborderwidth", 0, None)
    _check_range(opts, "jpgquality", 0, 100, low_inclusive=False)
    _check_range(opts, "opacity", 0, 1)
    _check_range(opts, "fps", 0, None, low_inclusive=False)
    for key in ("columnnames", "rownames"):
        value = opts.get(key)
        if value and not isinstance(value, list):
            raise bad_type(f"opts['{key}']", "a list", value)


def scrub(value):
    """Drop None values from (nested) dicts; lists and other values are kept as they are."""
    if not isinstance(value, dict):
        return value
    return {k: scrub(v) for k, v in value.items() if v is not None}


_AXIS_FIELDS = ("type", "label", "tickmin", "tickmax", "tickvals", "ticklabels", "tick", "tickfont")


def _axis(opts, axis, is3d):
    # 0.3.0 tests every option with `is not None`, so tickmin=0 or xtick=False count.
    if all(opts.get(axis + f) is None for f in _AXIS_FIELDS):
        return None
    low, high, step = (opts.get(axis + k) for k in ("tickmin", "tickmax", "tickstep"))
    has_range = low is not None and high is not None
    result = {
        "type": opts.get(axis + "type"),
        "title": opts.get(axis + "label"),
        "range": [low, high] if has_range else None,
        "tickvals": opts.get(axis + "tickvals"),
        "ticktext": opts.get(axis + "ticklabels"),
    }
    if is3d:
        result["nticks"] = (high - low) / step if has_range and step is not None else None
    else:
        result["dtick"] = step
        result["showticklabels"] = opts.get(axis + "tick")
    result["tickfont"] = opts.get(axis + "tickfont")
    if not is3d:
        result["automargin"] = opts.get("tight_layout", False) or None
    return result


def layout_from_opts(opts, is3d=False):
    """Build the plotly layout for a plot window from its opts (opts.tight_layout: no margins)."""
    tight = opts.get("tight_layout", False)
    layout = {
        "showlegend": opts.get("showlegend", "legend" in opts),
        "title": opts.get("title"),
        "margin": {
            "l": opts.get("marginleft", 0 if (is3d or tight) else 60),
            "r": opts.get("marginright", 0 if tight else 60),
            "t": opts.get("margintop", 20 if is3d else (30 if tight else 60)),
            "b": opts.get("marginbottom", 0 if (is3d or tight) else 60),
        },
    }
    if is3d:
        layout["scene"] = {a + "axis": _axis(opts, a, True) for a in "xyz"}
    else:
        layout["xaxis"] = _axis(opts, "x", False)
        layout["yaxis"] = _axis(opts, "y", False)
    if opts.get("stacked"):
        layout["barmode"] = "stack"
    extra = (opts.get("layoutopts") or {}).get("plotly")
    if extra:
        layout.update(extra)
    return scrub(layout)


def window_body(data, win, env, opts, layout=None):
    """Return the standard body {data, win, eid, [layout], opts} of a window request."""
    body = {"data": data, "win": win, "eid": env}
    if layout is not None:
        body["layout"] = layout
    body["opts"] = opts
    return body


def plot_request(data, win, env, opts, is3d=False, layout=None):
    """Return the /events request that creates a plot window (layout: from opts if None)."""
    layout = layout_from_opts(opts, is3d) if layout is None else layout
    return Request("events", window_body(data, win, env, opts, layout))
