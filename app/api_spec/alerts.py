"""Watching runs: heartbeats, alert rules and fired alerts (the /alerts page is in ui)."""

from .common import (
    EID_FIELD,
    ENV_ID,
    WRITE,
    json_body,
    json_response,
    operation,
    path_param,
    refusals,
)

TAG = "alerts"
NULLABLE_STR = {"type": ["string", "null"]}
RULE = {
    "type": "object",
    "description": "An alert rule. `kind`: `nan` (a trace gets NaN or ±Inf), `above` / "
    "`below` (`threshold`, with EMA `smoothing`), `stalled` (`minutes` without a new "
    "point), `run` (the env's run crashed or failed).",
    "required": ["id", "eid", "kind"],
    "properties": {
        "id": {"type": "string"},
        "eid": ENV_ID,
        "kind": {"enum": ["nan", "above", "below", "stalled", "run"]},
        "win": NULLABLE_STR,
        "trace": NULLABLE_STR,
        "threshold": {"type": "number"},
        "smoothing": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
        "minutes": {"type": "number", "exclusiveMinimum": 0},
        "webhook": NULLABLE_STR,
        "created_at": {"type": "number"},
    },
}
ALERT = {
    "type": "object",
    "description": "A fired alert (also what the `alert` socket message and a generic "
    "webhook carry). `value`: a number, `NaN` / `Infinity` / `-Infinity`, or a run's "
    "status; `rule`: the rule with its `description`, or null for an explicit alert.",
    "required": ["id", "time", "eid", "level", "title", "text"],
    "properties": {
        "id": {"type": "string"},
        "time": {"type": "number"},
        "eid": ENV_ID,
        "win": NULLABLE_STR,
        "trace": NULLABLE_STR,
        "step": {},
        "value": {},
        "level": {"enum": ["info", "warn", "error"]},
        "title": {"type": "string"},
        "text": {"type": "string"},
        "url": {"type": "string"},
        "rule": {"type": ["object", "null"]},
    },
}
DELETED = json_response(
    "The rule was deleted.",
    {"type": "object", "required": ["deleted"], "properties": {"deleted": {"type": "string"}}},
)
RULE_ID = path_param("rule_id", "The rule's id (`rule_<hex>`).")


def paths():
    """Return the path items of heartbeats, alert rules and alerts."""
    return {
        "/api/heartbeat": {
            "post": operation(
                "alerts.heartbeat",
                TAG,
                "Keep a run alive, or end it",
                description="The first beat of an env without an experiment record creates "
                "one (name = env id); `finished` / `failed` finish the record. A beat to a "
                "finished record changes nothing and answers its status. `every`: seconds "
                "until the next beat should come (RUN_TIMEOUT / 4).",
                requestBody=json_body(
                    {
                        "eid": EID_FIELD,
                        "status": {"enum": ["running", "finished", "failed", None]},
                        "pid": {"type": ["integer", "null"]},
                        "host": {"type": ["string", "null"]},
                    }
                ),
                responses={
                    200: json_response(
                        "The run's status now.",
                        {
                            "type": "object",
                            "required": ["eid", "status", "last_seen", "every"],
                            "properties": {
                                "eid": ENV_ID,
                                "status": {"type": "string"},
                                "last_seen": {"type": "number"},
                                "every": {"type": "number"},
                            },
                        },
                    ),
                    **refusals(*WRITE),
                },
            )
        },
        "/api/alert_rules": {
            "get": operation(
                "alerts.rule_list",
                TAG,
                "The alert rules of every env, or of env `eid`",
                parameters=[
                    {
                        "name": "eid",
                        "in": "query",
                        "description": "Only this env's rules.",
                        "schema": {"type": "string"},
                    }
                ],
                responses={
                    200: json_response(
                        "The rules, oldest first.",
                        {
                            "type": "object",
                            "required": ["rules"],
                            "properties": {"rules": {"type": "array", "items": RULE}},
                        },
                    ),
                    **refusals(400),
                },
            ),
            "post": operation(
                "alerts.rule_create",
                TAG,
                "Create an alert rule",
                description="404 `eid`/`win` for an absent env or window; 400 naming the "
                "field for a bad kind, a threshold that is not a finite number, a value "
                "rule on a window that is not a plot, minutes ≤ 0, smoothing outside "
                "[0, 1), a non-http webhook.",
                requestBody=json_body(
                    {
                        "eid": EID_FIELD,
                        "kind": {"enum": ["nan", "above", "below", "stalled", "run"]},
                        "win": {
                            "type": ["string", "null"],
                            "description": "The window (required but for `nan` and `run`).",
                        },
                        "trace": {
                            "type": ["string", "null"],
                            "description": "Only this trace name (value rules).",
                        },
                        "threshold": {"type": "number", "description": "`above` / `below`."},
                        "smoothing": {
                            "type": ["number", "null"],
                            "description": "`above` / `below`: the debiased EMA weight in "
                            "[0, 1) (default 0).",
                        },
                        "minutes": {"type": "number", "description": "`stalled`: > 0."},
                        "webhook": {
                            "type": ["string", "null"],
                            "description": "An http(s) URL for this rule's alerts too.",
                        },
                    },
                    required=["kind"],
                ),
                responses={
                    201: json_response("The new rule.", RULE),
                    **refusals(*WRITE, 404),
                },
            ),
        },
        "/api/alert_rules/{rule_id}": {
            "parameters": [RULE_ID],
            "delete": operation(
                "alerts.rule_delete",
                TAG,
                "Delete an alert rule",
                responses={200: DELETED, **refusals(403, 404, 503)},
            ),
        },
        "/api/alert_rules/{rule_id}/delete": {
            "parameters": [RULE_ID],
            "post": operation(
                "alerts.rule_delete_post",
                TAG,
                "Delete an alert rule (the same as DELETE, for clients that only POST)",
                responses={200: DELETED, **refusals(403, 404, 413, 503)},
            ),
        },
        "/api/alerts": {
            "get": operation(
                "alerts.alert_list",
                TAG,
                "The alerts fired so far, oldest first (the last 1000 kept)",
                parameters=[
                    {
                        "name": "since",
                        "in": "query",
                        "description": "Only those fired after this unix time (seconds); "
                        "400 `since` unless a finite number.",
                        "schema": {"type": "number"},
                    }
                ],
                responses={
                    200: json_response(
                        "The alerts.",
                        {
                            "type": "object",
                            "required": ["alerts"],
                            "properties": {"alerts": {"type": "array", "items": ALERT}},
                        },
                    ),
                    **refusals(400),
                },
            ),
            "post": operation(
                "alerts.alert_send",
                TAG,
                "Fire an explicit alert (the client's `vis.alert`)",
                description="Shown on every page and sent to the webhooks. `alert` is null "
                "when the same env and title fired less than a minute (or ALERT_INTERVAL, "
                "if shorter) ago.",
                requestBody=json_body(
                    {
                        "eid": EID_FIELD,
                        "title": {"type": "string", "minLength": 1},
                        "text": {"type": ["string", "null"]},
                        "level": {"enum": ["info", "warn", "error", None]},
                    },
                    required=["title"],
                ),
                responses={
                    200: json_response(
                        "The alert, or null.",
                        {
                            "type": "object",
                            "required": ["alert"],
                            "properties": {"alert": {"anyOf": [ALERT, {"type": "null"}]}},
                        },
                    ),
                    **refusals(*WRITE),
                },
            ),
        },
    }
