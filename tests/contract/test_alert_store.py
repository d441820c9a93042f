"""Alert rules, fired alerts, rate-limit claims and run heartbeats, on every backend."""

import threading
import time

import pytest


def rule(rule_id, created):
    return {
        "id": rule_id,
        "eid": "e ü",
        "win": "L",
        "kind": "above",
        "threshold": 1.5,
        "created_at": created,
    }


@pytest.mark.parametrize("clean", [True, False], ids=["restart", "crash"])
def test_rules_alerts_and_beats_survive_a_restart(backend, clean):
    store = backend.open_store()
    store.put_alert_rule(rule("r1", 1.0))
    store.put_alert_rule(rule("r2", 2.0))
    store.put_alert_rule(dict(rule("r1", 1.0), threshold=3.0))  # replaces r1
    assert store.delete_alert_rule("r2") is True
    assert store.delete_alert_rule("nope") is False
    for n in range(3):
        store.add_alert({"time": 100.0 + n, "title": f"t{n}", "value": None})
    store.heartbeat("e ü", {"last_seen": 123.5, "pid": 42, "host": "h"})
    published_before = list(store.published)
    if clean:
        store.flush(force=True)
    else:
        store.flush()  # the autosave tick that writes beats (the embedded store's promise)
        backend.crash(store)
    again = backend.open_store()
    assert again.alert_rules() == [dict(rule("r1", 1.0), threshold=3.0)]
    assert [a["title"] for a in again.alerts()] == ["t0", "t1", "t2"]
    assert [a["title"] for a in again.alerts(since=100.5)] == ["t1", "t2"]
    assert again.liveness() == {"e ü": {"last_seen": 123.5, "pid": 42, "host": "h"}}
    # none of this is an env change: nothing numbered, nothing published
    assert published_before == []


def test_alert_history_keeps_the_last(backend):
    store = backend.open_store()
    for n in range(30):
        store.add_alert({"time": float(n), "n": n}, keep=10)
    got = [a["n"] for a in store.alerts()]
    assert got[-10:] == list(range(20, 30)) and len(got) <= 30


def test_claim_is_once_per_interval_across_threads(backend):
    store = backend.open_store()
    other = backend.open_store() if backend.shared else store
    wins = []

    def claim(s):
        for _ in range(20):
            wins.append(s.claim_alert("rule-x:e", 0.5))

    threads = [threading.Thread(target=claim, args=(s,)) for s in (store, other, store)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1
    assert store.claim_alert("rule-y:e", 0.5) is True  # another key is independent
    time.sleep(0.6)
    assert other.claim_alert("rule-x:e", 0.5) is True  # the interval has passed
