"""Alerts end to end: a real server process, our client, and a local webhook receiver."""

import json
import math
import time

import pytest
import requests

from tests.client.hooks import Receiver
from tests.support.waiting import wait_for
from visdom_client import ServerError, Visdom


@pytest.fixture(scope="module")
def hooks():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def alert_server(server_factory, hooks):
    return server_factory(
        "-alert_webhook",
        hooks.url("/hook"),
        env={"VISDOM_ALERT_WEBHOOK": f"{hooks.url('/hook')} {hooks.url('/hook2')}"},
    )


def client(server, env):
    return Visdom(port=server.port, server="http://127.0.0.1", env=env, use_incoming_socket=False)


def nan_body(eid, win, token="NaN", x=5):
    # What the upstream 0.2.4 client sends for a NaN: a bare NaN token in the JSON.
    head = {"eid": eid, "win": win, "name": "loss", "append": True, "layout": {}}
    trace = f'{{"x": [{x}], "y": [{token}], "name": "loss", "type": "scatter", "mode": "lines"}}'
    return json.dumps(head)[:-1] + f', "data": [{trace}]}}'


def test_a_nan_append_reaches_the_webhook_once_per_interval(alert_server, hooks):
    eid = "nan ü " + "x" * 150  # unicode and a long env name
    vis = client(alert_server, eid)
    vis.line(X=[0, 1, 2], Y=[1.0, 0.5, 0.25], win="L", opts={"title": "loss"}, name="loss")
    time.sleep(0.3)
    assert hooks.received(eid=eid) == []  # finite values fire nothing
    sent = time.monotonic()
    vis.line(X=[3], Y=[math.nan], win="L", update="append", name="loss")  # ours: null
    got = hooks.wait(eid=eid, timeout=2.0)
    assert got, f"no webhook within 2 s\n{alert_server.output()}"
    arrived, body = got[0]
    assert arrived - sent < 2.0
    assert body["win"] == "L" and body["trace"] == "loss" and body["step"] == 3
    assert body["value"] == "NaN" and body["rule"]["kind"] == "nan"
    assert body["url"].endswith("/window/" + requests.utils.quote(eid, safe="") + "/L")
    assert body["level"] == "error" and eid in body["text"]
    # the same alert went to the other webhook (env var), exactly once (flag + env merged)
    assert len(hooks.wait("/hook2", eid=eid)) == 1
    # a flood: NaN tokens (upstream), Infinity, fully masked appends; still one alert
    for n in range(200):
        token = ("NaN", "Infinity", "-Infinity")[n % 3]
        r = requests.post(
            f"{alert_server.url}/update", data=nan_body(eid, "L", token, 10 + n), timeout=10
        )
        assert r.status_code == 200, r.text
    time.sleep(1.0)
    assert len(hooks.received(eid=eid)) == 1
    history = requests.get(f"{alert_server.url}/api/alerts", timeout=10).json()["alerts"]
    assert len([a for a in history if a["eid"] == eid]) == 1


def test_a_fully_masked_upstream_append_is_seen(alert_server, hooks):
    eid = "masked"
    requests.post(
        f"{alert_server.url}/events",
        json={
            "eid": eid,
            "win": "M",
            "data": [{"x": [0], "y": [1.0], "name": "a", "type": "scatter"}],
        },
        timeout=10,
    )
    r = requests.post(
        f"{alert_server.url}/update", data=nan_body(eid, "M", "-Infinity"), timeout=10
    )
    assert r.status_code == 200
    ((_, body),) = hooks.wait(eid=eid, timeout=2.0)
    assert body["value"] == "-Infinity" and body["step"] == 5


def test_threshold_after_smoothing(alert_server, hooks):
    eid = "smooth"
    vis = client(alert_server, eid)
    vis.line(X=[0], Y=[1.0], win="S", name="loss")
    made = vis.alert_rule(win="S", kind="above", threshold=5.0, smoothing=0.8)
    assert made["kind"] == "above" and made["smoothing"] == 0.8
    time.sleep(1.2)  # every process reloads its rules within a second
    # The moving average starts at the rule: 20 calm points, one spike, calm again.
    for step, value in enumerate([1.0] * 20 + [20.0, 1.0, 1.0], start=1):
        vis.line(X=[step], Y=[value], win="S", update="append", name="loss")
    time.sleep(0.8)
    assert hooks.received(eid=eid) == []  # the raw spike crossed, the smoothed curve did not
    for step in range(24, 40):
        vis.line(X=[step], Y=[20.0], win="S", update="append", name="loss")
    ((_, body),) = hooks.wait(eid=eid, timeout=2.0)
    assert body["rule"]["id"] == made["id"] and body["value"] > 5.0
    assert 24 <= body["step"] <= 39 and body["trace"] == "loss"
    assert "above 5" in body["rule"]["description"]


def test_stalled_rule_with_a_short_interval(alert_server, hooks):
    eid = "stall"
    vis = client(alert_server, eid)
    vis.line(X=[0, 1], Y=[1.0, 2.0], win="P", name="acc")
    made = vis.alert_rule(win="P", kind="stalled", minutes=0.02)  # 1.2 s
    ((_, body),) = hooks.wait(eid=eid, timeout=6.0)
    assert body["rule"]["id"] == made["id"] and body["win"] == "P"
    assert body["value"] >= 1.2 and "no new point" in body["text"]
    time.sleep(2.0)
    assert len(hooks.received(eid=eid)) == 1  # once per stall, not once per sweep


def test_explicit_alert_and_bad_rules(alert_server, hooks):
    eid = "explicit"
    vis = client(alert_server, eid)
    answer = vis.alert("epoch 3", "accuracy 0.93", level="warn")
    assert answer["alert"]["level"] == "warn"
    ((_, body),) = hooks.wait(eid=eid, timeout=2.0)
    assert body["title"] == "epoch 3" and body["text"] == "accuracy 0.93"
    with pytest.raises(ServerError, match="win"):
        vis.alert_rule(win="nope", kind="above", threshold=1)
    vis.text("hello", win="T")
    with pytest.raises(ServerError, match="never fire"):
        vis.alert_rule(win="T", kind="nan")


def test_a_hanging_or_failing_webhook_never_delays_appends(server_factory, hooks):
    server = server_factory(
        "-alert_webhook",
        hooks.url("/hang"),
        "-alert_webhook",
        hooks.url("/fail"),
        "-alert_interval",
        "0.05",
    )
    eid = "slowhook"
    vis = client(server, eid)
    vis.line(X=[0], Y=[1.0], win="L", name="loss")
    session = requests.Session()
    times = []
    for n in range(150):  # each a NaN: an alert every 50 ms, every one to both hooks
        started = time.perf_counter()
        r = session.post(f"{server.url}/update", data=nan_body(eid, "L", "NaN", n + 1))
        times.append(time.perf_counter() - started)
        assert r.status_code == 200
    hit_hang = [p for _, p in hooks.hits if p == "/hang"]
    hit_fail = [p for _, p in hooks.hits if p == "/fail"]
    assert hit_hang and hit_fail  # the hooks were being called meanwhile
    times.sort()
    # generous bounds for a shared 2-core machine; bench/alerts.py measures precisely
    assert times[len(times) // 2] < 0.05, times[len(times) // 2]
    assert times[-1] < 1.0, times[-1]
    assert requests.get(f"{server.url}/api/alerts", timeout=10).json()["alerts"]  # fired and kept
    assert "Traceback" not in server.output()


def test_alert_history_names_everything(alert_server, hooks):
    vis = client(alert_server, "history")
    vis.line(X=[0], Y=[1.0], win="H", name="loss")
    vis.line(X=[1], Y=[math.inf], win="H", update="append", name="loss")
    vis.alert("done", level="error")
    assert hooks.wait(eid="history", timeout=3.0)

    # The explicit alert is stored at once; the ±Inf one when the rule worker has run.
    def both():
        got = requests.get(f"{alert_server.url}/api/alerts", timeout=10).json()["alerts"]
        mine = [a for a in got if a["eid"] == "history"]
        return mine if len(mine) >= 2 else None

    alerts = wait_for(both, timeout=5.0, what="both alerts in the history")
    assert len(alerts) == 2
    for alert in alerts:
        assert {"eid", "win", "trace", "step", "value", "rule", "url", "title", "time"} <= set(
            alert
        )
        json.dumps(alert, allow_nan=False)  # strict JSON for browsers
