"""The compare aggregate: the plots that share a title across envs, one curve per group."""

from flask import Blueprint, current_app, request

from ..jsonio import strict_bytes
from ..panes.aggregate import DEFAULT_PX
from ..panes.decimate import MAX_PX
from ..services import curves
from .common import query_pixels
from .envs import compare_ids

bp = Blueprint("compare", __name__)


@bp.get("/api/compare/<path:eids>/aggregate")
def aggregate(eids):
    """Answer the groups' mean or median with a band, per x grid point, of plot `title`
    across the envs (a+b+c), computed on the full stored data (docs/socket-protocol.md)."""
    args = request.args
    answer = curves.aggregate_curves(
        compare_ids(eids),
        args.get("title", ""),
        group=args.get("group") or None,
        stat=args.get("stat") or "mean",
        band=args.get("band") or "std",
        px=query_pixels(MAX_PX) or DEFAULT_PX,
        x_kind=args.get("x") or "step",
        trace=args.get("trace") or None,
    )
    return current_app.response_class(strict_bytes(answer), mimetype="application/json")
