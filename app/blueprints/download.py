"""A plot window's full stored data as a file: CSV or (strict) JSON, for the UI's
"Download CSV" and "Download JSON" (the drawing may be decimated; this never is)."""

import csv
import io

from flask import Blueprint, current_app, request

from ..common import VisdomError
from ..jsonio import strict_bytes
from ..panes import walltime
from ..state import escape_eid, get_store
from .common import touch

bp = Blueprint("download", __name__)

FORMATS = ("csv", "json")


def _column(values, n):
    if values is None:
        return list(range(n))
    return values.tolist() if hasattr(values, "tolist") else list(values)


def plot_traces(window):
    """Return [{"name", "x", "y", "walltime"}] for every trace of a plot window (every
    point as stored; x defaults to 0, 1, 2, ...; walltime None when not recorded)."""
    content = window.get("content")
    if window.get("type") != "plot" or not isinstance(content, dict):
        raise VisdomError(f"window '{window.get('id')}' is not a plot", "win", 404)
    out = []
    for k, trace in enumerate(content.get("data") or []):
        y = trace.get("y")
        y = _column(y, 0) if y is not None else []
        x = _column(trace.get("x"), len(y))
        stamps = walltime.trace_stamps(window, k)
        wall = walltime.all_times(stamps, len(y)) if stamps else None
        name = trace.get("name")
        out.append({"name": "" if name is None else str(name), "x": x, "y": y, "walltime": wall})
    return out


def _csv(traces):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["trace", "x", "y", "wall_time"])
    for trace in traces:
        wall = trace["walltime"]
        for i, (x, y) in enumerate(zip(trace["x"], trace["y"], strict=False)):
            writer.writerow(
                [trace["name"], _cell(x), _cell(y), "" if wall is None else repr(wall[i])]
            )
    return buf.getvalue()


def _cell(value):
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


@bp.get("/api/window_data/<path:eid>/<win>")
def window_data(eid, win):
    """Answer plot `win`'s full data: `?format=csv` (trace,x,y,wall_time per point) or
    `json` (strict: NaN and ±Inf become null), as a download."""
    eid = escape_eid(eid, field="eid", default=None)
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise VisdomError(f"'format' must be csv or json, got {fmt!r}", "format")
    touch(eid)
    window = get_store().window(eid, win)
    traces = plot_traces(window)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in (window.get("title") or win))
    headers = {"Content-Disposition": f'attachment; filename="{stem or "plot"}.{fmt}"'}
    if fmt == "csv":
        return current_app.response_class(_csv(traces), mimetype="text/csv", headers=headers)
    body = {"eid": eid, "win": str(win), "title": window.get("title"), "traces": traces}
    return current_app.response_class(
        strict_bytes(body), mimetype="application/json", headers=headers
    )
