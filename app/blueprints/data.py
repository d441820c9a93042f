"""Plot points for browsers: one window's traces over an x-range, decimated to the pane."""

import math

from flask import Blueprint, current_app, request

from ..common import VisdomError
from ..jsonio import strict_bytes
from ..state import escape_eid, get_store
from .common import touch

bp = Blueprint("data", __name__)


def _number(name):
    """Return query argument `name` as a finite float, or None when absent or empty."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise VisdomError(f"'{name}' must be a number, got {raw!r}", name) from None
    if not math.isfinite(value):
        raise VisdomError(f"'{name}' must be a finite number, got {raw!r}", name)
    return value


def _pixels():
    raw = request.args.get("px", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise VisdomError(f"'px' must be a positive whole number of pixels, got {raw!r}", "px")
    return int(raw)


@bp.get("/api/window/<path:eid>/<win>")
def window_range(eid, win):
    """Answer the points of plot `win` in [x0, x1] for a pane `px` pixels wide.

    Every raw point in range when they fit 4 per pixel, else a MinMaxLTTB decimation to
    2 per pixel (docs/socket-protocol.md). Strict JSON: NaN and ±Inf become null.
    """
    eid = escape_eid(eid, field="eid", default=None)
    x0, x1, px = _number("x0"), _number("x1"), _pixels()
    touch(eid)
    answer = get_store().read_range(eid, win, x0, x1, px)
    return current_app.response_class(strict_bytes(answer), mimetype="application/json")
