"""Watching runs: heartbeats, alert rules, fired alerts, and the /alerts page."""

import math

from flask import Blueprint, current_app, jsonify, render_template, request

from ..common import VisdomError, parse_body
from ..services import alerts
from .common import caller_page_data, mutating, request_eid

bp = Blueprint("alerts", __name__)


@bp.post("/api/heartbeat")
@mutating
def heartbeat():
    """Keep a run alive ({"eid", "status"?, "pid"?, "host"?}); answer its status and how
    often to beat again ("every", seconds)."""
    body = parse_body()
    return jsonify(alerts.heartbeat(request_eid(body), body))


@bp.get("/api/alert_rules")
def rule_list():
    """Answer {"rules": [...]} of every env, or of env `eid`."""
    eid = request.args.get("eid")
    if eid is not None:
        eid = request_eid({"eid": eid})
    return jsonify({"rules": alerts.list_rules(eid)})


@bp.post("/api/alert_rules")
@mutating
def rule_create():
    """Create a rule {"eid", "kind", "win"?, "trace"?, "threshold"?, "smoothing"?,
    "minutes"?, "webhook"?}; answer it with its "id" (201)."""
    body = parse_body()
    rule = alerts.create_rule(request_eid(body), body)
    return jsonify(rule), 201


@bp.delete("/api/alert_rules/<rule_id>")
@mutating
def rule_delete(rule_id):
    """Delete a rule; answer {"deleted": id}."""
    alerts.delete_rule(rule_id)
    return jsonify({"deleted": rule_id})


@bp.post("/api/alert_rules/<rule_id>/delete")
@mutating
def rule_delete_post(rule_id):
    """The same as DELETE, for clients that only POST."""
    alerts.delete_rule(rule_id)
    return jsonify({"deleted": rule_id})


@bp.get("/api/alerts")
def alert_list():
    """Answer {"alerts": [...]} fired so far, oldest first (after `since`, unix time)."""
    since = request.args.get("since")
    if since is not None:
        try:
            since = float(since)
        except ValueError:
            raise VisdomError("'since' must be a unix time in seconds", "since") from None
        if not math.isfinite(since):
            raise VisdomError("'since' must be a finite number", "since")
    return jsonify({"alerts": alerts.history(since)})


@bp.post("/api/alerts")
@mutating
def alert_send():
    """Fire an explicit alert {"eid", "title", "text"?, "level"?: info|warn|error};
    answer {"alert": the alert, or null when the rate limit held it back}."""
    body = parse_body()
    return jsonify({"alert": alerts.send_alert(request_eid(body), body)})


@bp.get("/alerts")
def alerts_page():
    """Show the alert rules and what fired (read and changed by js/pages/alerts.js)."""
    config = current_app.config
    page = {
        "base_url": config["BASE_URL"],
        **caller_page_data(),
        "alert_interval": config["ALERT_INTERVAL"],
        "run_timeout": config["RUN_TIMEOUT"],
    }
    return render_template("alerts.html", page=page)
