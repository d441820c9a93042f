"""Plot points for browsers: one window's traces over an x-range, decimated to the pane;
the same with x taken from another plot (`by`), or as min/max envelopes (`envelope`)."""

from flask import Blueprint, current_app, request

from ..jsonio import strict_bytes
from ..panes.decimate import MAX_PX
from ..services import curves
from ..state import escape_eid, get_store
from .common import query_number, query_pixels, touch

bp = Blueprint("data", __name__)


@bp.get("/api/window/<path:eid>/<win>")
def window_range(eid, win):
    """Answer the points of plot `win` in [x0, x1] for a pane `px` pixels wide.

    Every raw point in range when they fit 4 per pixel, else a MinMaxLTTB decimation to
    2 per pixel (docs/socket-protocol.md). Strict JSON: NaN and ±Inf become null.
    `by=<win>`: x is that plot's y at the same step; `envelope=1`: per trace and pixel
    the mean, min and max of the raw points.
    """
    eid = escape_eid(eid, field="eid", default=None)
    x0, x1 = query_number("x0"), query_number("x1")
    by = request.args.get("by") or None
    envelope = request.args.get("envelope", "").lower() in ("1", "true", "yes")
    px = query_pixels(MAX_PX if envelope or by else None)
    touch(eid)
    if by is not None or envelope:
        answer = curves.window_view(eid, win, by, envelope, x0, x1, px)
    else:
        answer = get_store().read_range(eid, win, x0, x1, px)
    return current_app.response_class(strict_bytes(answer), mimetype="application/json")
