"""Builder for raw plotly figures (plotly Figure objects or plain dicts)."""

import json

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
    result = json.loads(text)
    if not isinstance(result, dict) or "data" not in result:
        raise bad_type("figure", "a plotly Figure or a dict with data and layout", figure)
    result.setdefault("layout", {})
    return result


def plotlyplot(figure, win=None, env=None):
    """Return the request drawing a plotly figure as it is (no layout normalisation)."""
    fig = figure_dict(figure)
    opts = {}
    title = fig["layout"].get("title")
    if isinstance(title, dict) and "text" in title:
        opts["title"] = title["text"]
    elif title is not None and not isinstance(title, dict):
        opts["title"] = title
    body = {"data": fig["data"], "layout": fig["layout"], "win": win, "eid": env, "opts": opts}
    return Request("events", body)
