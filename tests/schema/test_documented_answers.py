"""The answers of the runs, compare-aggregate and alert endpoints on real data (which the
fuzzing against an empty server seldom reaches) match their documented 200/201 schemas."""

import json
import time

import jsonschema

from app.api_spec import build_spec


def _check(spec, path, method, status, response):
    assert response.status_code == status, (path, response.get_data(as_text=True))
    op = spec["paths"][path][method]
    content = op["responses"][str(status)]["content"]
    if "application/json" not in content:
        assert response.mimetype in content
        return
    schema = content["application/json"]["schema"]
    root = {"components": spec["components"], "allOf": [schema]}
    jsonschema.Draft202012Validator(root).validate(response.get_json())


def _plot(client, eid, ys):
    body = {
        "eid": eid,
        "win": "loss",
        "data": [{"x": list(range(len(ys))), "y": ys, "type": "scatter", "name": "train"}],
        "opts": {"title": "loss"},
    }
    assert client.post("/events", json=body).status_code == 200


def test_new_endpoints_answer_their_documented_schemas(make_app):
    spec = build_spec()
    client = make_app(ALERT_INTERVAL=1).test_client()
    eids = ["r_lr1_seed0", "r_lr1_seed1", "r_lr2_seed0", "r_lr2_seed1"]
    for i, eid in enumerate(eids):
        _plot(client, eid, [1.0 + i, 0.5 * i, float(i)])
        lr = 0.1 if "lr1" in eid else 0.2
        log = {"eid": eid, "params": {"lr": lr}, "tags": {"kind": "demo"}}
        assert client.post("/experiments/log", json=log).status_code == 200
        for step in (1, 2):
            body = {"eid": eid, "action": "metrics", "metrics": {"acc": i + step}, "step": step}
            assert client.post("/experiments/log", json=body).status_code == 200

    beat = client.post("/api/heartbeat", json={"eid": eids[0], "pid": 7, "host": "h"})
    _check(spec, "/api/heartbeat", "post", 200, beat)
    done = client.post("/api/heartbeat", json={"eid": eids[1], "status": "finished"})
    _check(spec, "/api/heartbeat", "post", 200, done)

    rules = [
        {"eid": eids[0], "kind": "above", "win": "loss", "threshold": 5, "smoothing": 0.5},
        {"eid": eids[0], "kind": "stalled", "win": "loss", "minutes": 1},
        {"eid": eids[0], "kind": "run", "webhook": None},
        {"eid": eids[0], "kind": "nan", "trace": "train"},
    ]
    made = []
    for rule in rules:
        response = client.post("/api/alert_rules", json=rule)
        _check(spec, "/api/alert_rules", "post", 201, response)
        made.append(response.get_json()["id"])
    _check(spec, "/api/alert_rules", "get", 200, client.get("/api/alert_rules"))
    _check(spec, "/api/alert_rules", "get", 200, client.get(f"/api/alert_rules?eid={eids[0]}"))

    # Fire the value rules (an append above the threshold, a NaN) and an explicit alert.
    update = {"eid": eids[0], "win": "loss", "append": True, "name": "train"}
    client.post("/update", json={**update, "data": [{"x": [3], "y": [50.0]}]})
    client.post(
        "/update",
        data=json.dumps({**update, "data": [{"x": [4], "y": [float("nan")]}]}),
    )
    sent = client.post("/api/alerts", json={"eid": eids[0], "title": "t", "level": "warn"})
    _check(spec, "/api/alerts", "post", 200, sent)
    assert sent.get_json()["alert"] is not None
    again = client.post("/api/alerts", json={"eid": eids[0], "title": "t"})
    _check(spec, "/api/alerts", "post", 200, again)
    deadline = time.time() + 5
    while len(client.get("/api/alerts").get_json()["alerts"]) < 2 and time.time() < deadline:
        time.sleep(0.05)
    listed = client.get("/api/alerts")
    _check(spec, "/api/alerts", "get", 200, listed)
    assert any(alert["rule"] for alert in listed.get_json()["alerts"])  # a rule fired too
    _check(spec, "/api/alerts", "get", 200, client.get("/api/alerts?since=0"))

    _check(
        spec,
        "/api/alert_rules/{rule_id}",
        "delete",
        200,
        client.delete(f"/api/alert_rules/{made[0]}"),
    )
    _check(
        spec,
        "/api/alert_rules/{rule_id}/delete",
        "post",
        200,
        client.post(f"/api/alert_rules/{made[1]}/delete"),
    )

    rows = client.get("/api/runs")
    _check(spec, "/api/runs", "get", 200, rows)
    token = rows.get_json()["token"]
    _check(spec, "/api/runs", "get", 200, client.get(f"/api/runs?since={token}"))
    _check(spec, "/api/runs", "get", 200, client.get("/api/runs?since=x.1"))
    _check(spec, "/api/runs/at_step", "get", 200, client.get("/api/runs/at_step?metric=acc&step=2"))
    groups = client.get("/api/runs/groups?group=param:lr&agg=max")
    _check(spec, "/api/runs/groups", "get", 200, groups)
    for method in ("welch", "bootstrap"):
        query = f"group=param:lr&a=0.1&b=0.2&metric=acc&method={method}"
        _check(spec, "/api/runs/diff", "get", 200, client.get(f"/api/runs/diff?{query}"))

    joined = "+".join(eids)
    for query in ("title=loss", "title=loss&group=param:lr&band=ci95&stat=median&x=walltime"):
        answer = client.get(f"/api/compare/{joined}/aggregate?{query}")
        _check(spec, "/api/compare/{eids}/aggregate", "get", 200, answer)

    _check(spec, "/alerts", "get", 200, client.get("/alerts"))
