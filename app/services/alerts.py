"""Alert rules, explicit alerts and run heartbeats (issue 18: watch a running job)."""

import time

from ..alerts import get_engine
from ..alerts.rules import check_alert, check_rule
from ..auth.access import check_can_edit
from ..common import VisdomError
from ..panes.experiment import TERMINAL
from ..state import get_store

STATUSES = ("running", "finished", "failed")


def create_rule(eid, body):
    """Store a new alert rule of env `eid`; return it (404 for an absent env or window)."""
    check_can_edit()
    store = get_store()
    if not store.has_env(eid):
        raise VisdomError(f"env '{eid}' does not exist", "eid", 404)

    def window_type(win):
        return store.window(eid, win).get("type") if store.window_exists(eid, win) else None

    rule = check_rule(body, eid, window_type)
    rule["created_at"] = time.time()
    store.put_alert_rule(rule)
    get_engine().rules_changed()
    return rule


def list_rules(eid=None):
    """Return the stored rules (of env `eid` when given), oldest first."""
    rules = get_store().alert_rules()
    return [r for r in rules if eid is None or r.get("eid") == eid]


def delete_rule(rule_id):
    """Remove a rule; 404 ("id") if there is none of that id."""
    check_can_edit()
    if not get_store().delete_alert_rule(rule_id):
        raise VisdomError(f"no alert rule '{rule_id}'", "id", 404)
    get_engine().rules_changed()


def history(since=None):
    """Return the fired alerts, oldest first (after `since`, a unix time, when given)."""
    return get_store().alerts(since)


def send_alert(eid, body):
    """Fire an explicit alert (vis.alert); return it, or None when rate-limited."""
    check_can_edit()
    alert = check_alert(body, eid)
    return get_engine().explicit(alert["eid"], alert["title"], alert["text"], alert["level"])


def heartbeat(eid, body):
    """Keep env `eid`'s run alive, or end it; return {"status", "last_seen", "every"}.

    A beat of a run is not an env change (app.state heartbeat: not journaled). The
    first beat of an env without an experiment record makes one (name = env), as does a
    status change to finished/failed (a journaled finish of the record).
    """
    check_can_edit()
    status = body.get("status") or "running"
    if status not in STATUSES:
        raise VisdomError(
            f"'status' must be one of {', '.join(STATUSES)}; got {status!r}", "status"
        )
    beat = {"last_seen": time.time()}
    for key, kind in (("pid", int), ("host", str)):
        value = body.get(key)
        if value is not None:
            if not isinstance(value, kind) or isinstance(value, bool):
                raise VisdomError(
                    f"'{key}' must be {'an integer' if kind is int else 'a string'}", key
                )
            beat[key] = value if kind is int else value[:200]
    store = get_store()
    record = store.experiment(eid)
    if record is None:
        record, _ = store.log_experiment(eid, {"action": "log"})
    if status in TERMINAL and record.get("status") not in TERMINAL:
        record, _ = store.log_experiment(eid, {"action": "finish", "status": status})
    store.heartbeat(eid, beat)
    every = get_engine().run_timeout / 4
    return {
        "eid": eid,
        "status": record.get("status"),
        "last_seen": beat["last_seen"],
        "every": every,
    }
