"""Alerts and liveness on Redis: two server processes share rules, the rate limit
(one alert per rule per interval across processes) and run heartbeats."""

import json
import time

import requests

from tests.client.hooks import Receiver

from .conftest import wait_for


def nan_update(eid, win, step):
    head = json.dumps({"eid": eid, "win": win, "name": "loss", "append": True})
    return head[:-1] + f', "data": [{{"x": [{step}], "y": [NaN], "name": "loss"}}]}}'


def test_two_processes_share_rules_rate_limit_and_heartbeats(cluster_factory):
    hooks = Receiver()
    try:
        cluster = cluster_factory(
            n=2, args=["-alert_webhook", hooks.url("/hook"), "-run_timeout", "1"]
        )
        a, b = cluster.servers
        eid = "redis alerts ü"
        line = {
            "eid": eid,
            "win": "L",
            "data": [{"x": [0], "y": [1.0], "name": "loss", "type": "scatter", "mode": "lines"}],
        }
        assert requests.post(f"{a.url}/events", json=line, timeout=10).status_code == 200
        # A NaN flood through both processes: one alert in all (SET NX EX on Redis).
        for n in range(60):
            server = (a, b)[n % 2]
            r = requests.post(f"{server.url}/update", data=nan_update(eid, "L", n + 1), timeout=10)
            assert r.status_code == 200, r.text
        assert wait_for(lambda: hooks.received(eid=eid), what="the NaN alert")
        time.sleep(1.0)
        assert len(hooks.received(eid=eid)) == 1
        history_b = requests.get(f"{b.url}/api/alerts", timeout=10).json()["alerts"]
        assert [x["eid"] for x in history_b].count(eid) == 1
        # A rule made through one process fires on appends served by the other.
        made = requests.post(
            f"{a.url}/api/alert_rules",
            json={"eid": eid, "kind": "above", "win": "L", "threshold": 100},
            timeout=10,
        ).json()
        listed = requests.get(f"{b.url}/api/alert_rules", params={"eid": eid}, timeout=10)
        assert [r["id"] for r in listed.json()["rules"]] == [made["id"]]
        time.sleep(1.2)  # each process reloads its rules within a second
        body = {
            "eid": eid,
            "win": "L",
            "name": "loss",
            "append": True,
            "data": [{"x": [100], "y": [500.0], "name": "loss"}],
        }
        assert requests.post(f"{b.url}/update", json=body, timeout=10).status_code == 200
        fired = wait_for(
            lambda: [
                x
                for _, x in hooks.received(eid=eid)
                if (x.get("rule") or {}).get("id") == made["id"]
            ],
            what="the threshold alert",
        )
        assert fired[0]["value"] == 500.0
        # Heartbeats sent to one process are seen by the other, and so is a crash.
        beat = requests.post(
            f"{a.url}/api/heartbeat", json={"eid": "redis run", "pid": 99}, timeout=10
        )
        assert beat.status_code == 200

        def status():
            runs = requests.get(f"{b.url}/api/experiments", timeout=10).json()["experiments"]
            return [r["experiment"] for r in runs if r["eid"] == "redis run"]

        (record,) = status()
        assert record["status"] == "running" and record["pid"] == 99
        assert wait_for(lambda: status()[0]["status"] == "crashed", what="crashed")
    finally:
        hooks.close()
