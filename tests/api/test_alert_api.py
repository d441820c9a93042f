"""Alert rules, alerts and heartbeats over the HTTP API (in-process app, real store)."""

import time


def rule(post, **body):
    return post("/api/alert_rules", dict({"eid": "main"}, **body))


def test_rules_are_created_listed_and_deleted(post, plot, client):
    plot("L")
    plot("L", eid="other")
    made = rule(post, kind="above", win="L", threshold=2.5, smoothing=0.5)
    assert made.status_code == 201, made.get_json()
    first = made.get_json()
    assert first["eid"] == "main" and first["kind"] == "above" and first["threshold"] == 2.5
    second = rule(post, eid="other", kind="nan").get_json()
    everything = client.get("/api/alert_rules").get_json()["rules"]
    assert [r["id"] for r in everything] == [first["id"], second["id"]]
    mine = client.get("/api/alert_rules?eid=main").get_json()["rules"]
    assert [r["id"] for r in mine] == [first["id"]]
    assert client.delete(f"/api/alert_rules/{first['id']}").get_json() == {"deleted": first["id"]}
    gone = client.delete(f"/api/alert_rules/{first['id']}")
    assert gone.status_code == 404 and gone.get_json()["field"] == "id"
    assert post(f"/api/alert_rules/{second['id']}/delete").status_code == 200
    assert client.get("/api/alert_rules").get_json()["rules"] == []


def test_rules_survive_a_restart(make_app, env_path):
    app = make_app()
    client = app.test_client()
    client.post("/events", json={"eid": "e ü", "win": "L", "data": [{"x": [1], "y": [1]}]})
    made = client.post(
        "/api/alert_rules", json={"eid": "e ü", "kind": "stalled", "win": "L", "minutes": 3}
    )
    assert made.status_code == 201
    app.extensions["visdom_store"].close()
    again = make_app().test_client()
    assert again.get("/api/alert_rules").get_json()["rules"] == [made.get_json()]


def test_explicit_alert_is_stored_and_rate_limited(post, client):
    first = post(
        "/api/alerts", {"eid": "main", "title": "epoch 3 done", "text": "acc 0.9", "level": "warn"}
    ).get_json()["alert"]
    assert first["title"] == "epoch 3 done" and first["level"] == "warn"
    assert first["url"].endswith("/env/main")
    again = post("/api/alerts", {"eid": "main", "title": "epoch 3 done"}).get_json()
    assert again == {"alert": None}  # same env and title within the minute
    other = post("/api/alerts", {"eid": "main", "title": "another"}).get_json()["alert"]
    history = client.get("/api/alerts").get_json()["alerts"]
    assert [a["id"] for a in history] == [first["id"], other["id"]]
    later = client.get(f"/api/alerts?since={first['time']}").get_json()["alerts"]
    assert [a["id"] for a in later] == [other["id"]]
    bad = client.get("/api/alerts?since=soon")
    assert bad.status_code == 400 and bad.get_json()["field"] == "since"


def test_heartbeats_keep_a_run_alive_and_silence_crashes_it(make_app):
    app = make_app(RUN_TIMEOUT=0.3)
    client = app.test_client()
    beat = client.post("/api/heartbeat", json={"eid": "run1", "pid": 12, "host": "box"})
    assert beat.status_code == 200
    assert beat.get_json()["status"] == "running" and beat.get_json()["every"] == 0.3 / 4
    runs = client.get("/api/experiments").get_json()["experiments"]
    (record,) = [r["experiment"] for r in runs if r["eid"] == "run1"]
    assert record["status"] == "running" and record["pid"] == 12 and record["host"] == "box"
    assert abs(record["last_seen"] - time.time()) < 5
    seq = app.extensions["visdom_store"].env_content("run1")["seq"]
    for _ in range(5):  # beats are not env changes
        client.post("/api/heartbeat", json={"eid": "run1"})
    assert app.extensions["visdom_store"].env_content("run1")["seq"] == seq
    time.sleep(0.5)
    runs = client.get("/api/experiments").get_json()["experiments"]
    assert [r["experiment"]["status"] for r in runs if r["eid"] == "run1"] == ["crashed"]
    client.post("/api/heartbeat", json={"eid": "run1"})  # it was only slow: running again
    runs = client.get("/api/experiments").get_json()["experiments"]
    assert [r["experiment"]["status"] for r in runs if r["eid"] == "run1"] == ["running"]
    end = client.post("/api/heartbeat", json={"eid": "run1", "status": "failed"})
    assert end.get_json()["status"] == "failed"
    time.sleep(0.5)
    runs = client.get("/api/experiments").get_json()["experiments"]
    assert [r["experiment"]["status"] for r in runs if r["eid"] == "run1"] == ["failed"]


def test_liveness_survives_a_restart(make_app):
    app = make_app(RUN_TIMEOUT=3600)
    app.test_client().post("/api/heartbeat", json={"eid": "r", "pid": 5})
    app.extensions["visdom_store"].close()
    runs = make_app(RUN_TIMEOUT=3600).test_client().get("/api/experiments").get_json()
    (record,) = [r["experiment"] for r in runs["experiments"] if r["eid"] == "r"]
    assert record["status"] == "running" and record["pid"] == 5


def test_a_heartbeat_needs_edit_rights(make_app):
    client = make_app(READONLY=True).test_client()
    refused = client.post("/api/heartbeat", json={"eid": "r"})
    assert refused.status_code == 403


def nan_window(client, eid):
    trace = '{"x": [0, 1, 2], "y": [1.0, 2.0, Infinity], "name": "acc", "type": "scatter"}'
    body = f'{{"eid": "{eid}", "win": "P", "data": [{trace}]}}'
    assert client.post("/events", data=body).status_code == 200


def test_a_window_created_with_inf_fires_the_default_rule(make_app):
    client = make_app().test_client()
    nan_window(client, "created")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not client.get("/api/alerts").get_json()["alerts"]:
        time.sleep(0.05)
    (alert,) = client.get("/api/alerts").get_json()["alerts"]
    assert alert["value"] == "Infinity" and alert["step"] == 2 and alert["trace"] == "acc"
    assert alert["rule"]["id"] == "default-nan" and alert["url"].endswith("/window/created/P")


def test_alert_nan_off_fires_nothing(make_app):
    client = make_app(ALERT_NAN=False, PUBLIC_URL="https://vis.example/x/").test_client()
    nan_window(client, "quiet")
    time.sleep(0.5)
    assert client.get("/api/alerts").get_json()["alerts"] == []
    alert = client.post("/api/alerts", json={"eid": "quiet", "title": "t"}).get_json()["alert"]
    assert alert["url"] == "https://vis.example/x/env/quiet"
