"""The runs table's JSON: rows changed since a token, values at a step, groups, differences."""

from flask import Blueprint, current_app, request

from ..common import VisdomError
from ..jsonio import strict_bytes
from ..services import runs
from ..state import escape_eid, get_store
from .common import query_number

bp = Blueprint("runsapi", __name__)


def _index():
    """Return the app's RunsIndex (made on first use; dict.setdefault keeps it one)."""
    return current_app.extensions.setdefault("visdom_runs", runs.RunsIndex())


def _json(answer):
    return current_app.response_class(strict_bytes(answer), mimetype="application/json")


def _runs():
    """Return the runs the request names (repeated `eid=`), or every run."""
    eids = [escape_eid(e, field="eid", default=None) for e in request.args.getlist("eid")]
    return _index().summaries(get_store(), eids or None)


@bp.get("/api/runs")
def run_rows():
    """Answer {"token", "rows", "removed"}: every run, or with `since` the rows changed
    and the runs removed since that token ("reset": true when it had to give all)."""
    store = get_store()
    answer = _index().since(store, request.args.get("since") or None)
    timeout = current_app.config["RUN_TIMEOUT"]
    return _json(runs.with_liveness_rows(answer, _index(), store.liveness(), timeout))


@bp.get("/api/runs/at_step")
def run_values_at_step():
    """Answer each run's value of `metric` at `step` (or at the last step before it)."""
    step = query_number("step")
    if step is None:
        raise VisdomError("'step' is required", "step")
    return _json(runs.at_step(_runs(), request.args.get("metric", ""), step))


@bp.get("/api/runs/groups")
def run_groups():
    """Answer per group (`group`) the count and the mean ± 95 % CI of each metric."""
    args = request.args
    metrics = [m for m in args.get("metrics", "").split(",") if m]
    return _json(runs.groups(_runs(), args.get("group") or None, metrics, args.get("agg")))


@bp.get("/api/runs/diff")
def run_diff():
    """Answer the difference of two groups' means of a metric with its 95 % interval."""
    args = request.args
    answer = runs.diff(
        _runs(),
        args.get("group") or None,
        args.get("a", ""),
        args.get("b", ""),
        args.get("metric", ""),
        args.get("agg"),
        args.get("method"),
    )
    return _json(answer)
