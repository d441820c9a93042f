"""Upstream 0.3.0's experiment log (/experiments/log) and our list of every experiment."""

from flask import Blueprint, current_app, jsonify

from ..common import parse_body
from ..services import experiments
from .common import mutating, refuse, request_eid, touch

bp = Blueprint("experiments", __name__)

READONLY = "Experiment logging is disabled while the server is in readonly mode"


@bp.post("/experiments/log")
def log():
    """Log an experiment's params and tags, append metrics, or finish it (delta §3.2.1);
    answer the whole experiment record."""
    if current_app.config.get("READONLY"):
        return refuse(READONLY, 403)
    return _log()


@mutating
def _log():
    body = parse_body()
    eid = request_eid(body)
    touch(eid)
    return jsonify(experiments.log_experiment(eid, body))


@bp.get("/api/experiments")
def experiment_list():
    """Answer {"experiments": [{"eid", "experiment"}, ...]} for every env with one."""
    return jsonify({"experiments": experiments.list_experiments()})
