"""Builder for raw plotly figures (plotly Figure objects or plain dicts)."""

import base64
import binascii
import json

import numpy as np

from ..errors import bad_type
from .arrays import json_default
from .common import Request


def figure_dict(figure):
    """Return a plotly figure as plain JSON data {"data": [...], "layout": {...}}."""
    try:
        import plotly.utils

        text = json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)
    except ImportError:
        text = json.dumps(figure, default=json_default)
    except TypeError as exc:
        raise bad_type("figure", "a plotly Figure or a dict with data and layout", figure) from exc
    result = decode_binary_arrays(json.loads(text)) if '"bdata"' in text else json.loads(text)
    if not isinstance(result, dict) or "data" not in result:
        raise bad_type("figure", "a plotly Figure or a dict with data and layout", figure)
    result.setdefault("layout", {})
    return result


def decode_binary_arrays(value):
    """Replace plotly>=6's {"dtype", "bdata"(, "shape")} arrays by plain lists, at any depth."""
    if isinstance(value, list):
        return [decode_binary_arrays(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "dtype" in value and "bdata" in value:
        try:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                shape = value["shape"]
                shape = [int(n) for n in shape.split(",")] if isinstance(shape, str) else shape
                array = array.reshape(shape)
            return array.tolist()
        except (binascii.Error, ValueError, TypeError):
            return value
    return {k: decode_binary_arrays(v) for k, v in value.items()}


def plotlyplot(figure, win=None, env=None):
    """Return the request drawing a plotly figure as it is (no layout normalisation).

    The window takes its title, width and height from the figure's layout.
    """
    fig = figure_dict(figure)
    opts = {}
    title = fig["layout"].get("title")
    if isinstance(title, dict) and "text" in title:
        opts["title"] = title["text"]
    elif title is not None and not isinstance(title, dict):
        opts["title"] = title
    for key in ("width", "height"):
        if key in fig["layout"]:
            opts[key] = fig["layout"][key]
    body = {"data": fig["data"], "layout": fig["layout"], "win": win, "eid": env, "opts": opts}
    return Request("events", body)


def save_figure(figure, filepath, **kwargs):
    """Write a plotly figure to an image file (format from the extension); needs kaleido."""
    try:
        import plotly  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("saving a plotly figure needs plotly: pip install plotly") from exc
    if not hasattr(figure, "write_image"):
        raise bad_type("figure", "a plotly Figure (with write_image)", figure)
    try:
        figure.write_image(filepath, **kwargs)
    except ValueError as exc:
        if "kaleido" in str(exc).lower() or "orca" in str(exc).lower():
            raise RuntimeError("saving a plotly figure needs kaleido: pip install kaleido") from exc
        raise
