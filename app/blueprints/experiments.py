"""Upstream 0.3.0's experiment log (/experiments/log) and our list of every experiment."""

from flask import Blueprint, jsonify

from ..common import parse_body
from ..services import experiments
from .common import mutating, request_eid, touch

bp = Blueprint("experiments", __name__)


@bp.post("/experiments/log")
@mutating(readonly="Experiment logging is disabled while the server is in readonly mode")
def log():
    """Log an experiment's params and tags, append metrics, or finish it (delta §3.2.1);
    answer the whole experiment record."""
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    return jsonify(experiments.log_experiment(eid, body))


@bp.get("/api/experiments")
def experiment_list():
    """Answer {"experiments": [{"eid", "experiment"}, ...]} for every env with one."""
    return jsonify({"experiments": experiments.list_experiments()})
