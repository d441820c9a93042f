"""/experiments/log (upstream 0.3.0, delta doc §3.2.1) and /api/experiments."""

import json
import os

import pytest

from app.state import Store


def log(post, **body):
    return post("/experiments/log", body)


def test_an_experiment_full_life(post, store):
    first = log(post, action="log", name="run1", params={"lr": 0.1, "bs": 32}, eid="exp")
    assert first.status_code == 200
    record = first.get_json()
    assert record["env_id"] == "exp" and record["name"] == "run1"
    assert record["status"] == "running" and record["finished_at"] is None
    assert record["description"] == "" and isinstance(record["created_at"], float)
    assert record["params"] == [
        {"key": "lr", "value": 0.1, "dtype": "float"},
        {"key": "bs", "value": 32, "dtype": "int"},
    ]
    # params and tags merge by key; description is overwritten
    again = log(post, params={"lr": 0.2, "opt": "adam", "amp": True}, tags={"m": "mlp"}, eid="exp")
    record = again.get_json()
    assert record["params"] == [
        {"key": "lr", "value": 0.2, "dtype": "float"},
        {"key": "bs", "value": 32, "dtype": "int"},
        {"key": "opt", "value": "adam", "dtype": "str"},
        {"key": "amp", "value": True, "dtype": "bool"},
    ]
    assert record["tags"] == [{"key": "m", "value": "mlp"}] and record["name"] == "run1"
    for step in (1, 2):
        metrics = log(
            post, action="metrics", metrics={"loss": 1 / step, "acc": 0.5}, step=step, eid="exp"
        )
        assert metrics.status_code == 200
    record = metrics.get_json()
    assert [(m["key"], m["value"], m["step"]) for m in record["metrics"]] == [
        ("loss", 1.0, 1),
        ("acc", 0.5, 1),
        ("loss", 0.5, 2),
        ("acc", 0.5, 2),
    ]
    assert all(isinstance(m["timestamp"], float) for m in record["metrics"])
    done = log(post, action="finish", status="failed", eid="exp").get_json()
    assert done["status"] == "failed" and done["finished_at"] >= done["created_at"]
    assert len(done["metrics"]) == 4
    # the experiment is a terminal one now: every write is a 409
    for body in ({"action": "finish"}, {"action": "metrics", "metrics": {"a": 1}}, {}):
        refused = log(post, eid="exp", **body)
        assert refused.status_code == 409, body
        assert "terminal experiment" in refused.get_json()["error"]
    listed = post("/env_state", {}).get_json()
    assert "exp" in listed


def test_metrics_first_creates_the_experiment_named_after_the_env(post):
    record = log(post, action="metrics", metrics={"loss": 2.0}, eid="m1").get_json()
    assert record["name"] == "m1" and record["metrics"][0]["step"] is None
    assert log(post, action="finish", eid="m1").get_json()["status"] == "finished"


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"action": "nope"}, 400, "unknown action 'nope'"),
        ({"params": [1]}, 400, "'params' must be an object"),
        ({"tags": "x"}, 400, "'tags' must be an object"),
        ({"action": "metrics"}, 400, "'metrics' must be a non-empty object"),
        ({"action": "metrics", "metrics": {}}, 400, "'metrics' must be a non-empty object"),
        ({"action": "metrics", "metrics": [1]}, 400, "'metrics' must be a non-empty object"),
        (
            {"action": "finish", "status": "running"},
            400,
            "finish status must be 'finished' or 'failed', got 'running'",
        ),
        ({"action": "finish"}, 404, "no experiment logged for env 'x_nolog'"),
    ],
)
def test_refusals_name_the_problem_and_create_nothing(post, store, error_of, body, status, message):
    response = log(post, eid="x_nolog", **body)
    assert error_of(response, status)["error"] == message
    assert "x_nolog" not in store.env_ids()


def test_readonly_refuses_with_upstreams_body(make_app):
    client = make_app(READONLY=True).test_client()
    response = client.post("/experiments/log", data=json.dumps({"name": "a"}))
    assert response.status_code == 403
    body = response.get_json()
    assert body["success"] is False
    assert body["error"] == "Experiment logging is disabled while the server is in readonly mode"


def test_the_experiment_is_saved_in_the_env_file_and_survives_a_crash(make_app, env_path):
    client = make_app().test_client()
    client.post("/experiments/log", data=json.dumps({"name": "r", "params": {"k": 1}, "eid": "c"}))
    client.post(
        "/experiments/log",
        data=json.dumps({"action": "metrics", "metrics": {"l": 3}, "step": 7, "eid": "c"}),
    )
    # a crash: no snapshot was written, the journal has both changes
    assert not os.path.exists(os.path.join(env_path, "c.json"))
    recovered = Store(env_path)
    try:
        (found,) = recovered.experiments()
        assert found["eid"] == "c"
        assert found["experiment"]["params"] == [{"key": "k", "value": 1, "dtype": "int"}]
        assert found["experiment"]["metrics"][0]["step"] == 7
        recovered.save(["c"])
        with open(os.path.join(env_path, "c.json"), encoding="utf-8") as f:
            saved = json.load(f)
        assert saved["experiment"]["name"] == "r"  # 0.3.0's top-level key
        assert set(saved) >= {"jsons", "reload", "experiment"}
    finally:
        recovered.close()


def test_api_experiments_answers_env_and_record(client, post, plot):
    plot("L", eid="no_exp")
    log(post, name="a", eid="ea")
    log(post, action="metrics", metrics={"x": 1}, eid="eb")
    body = client.get("/api/experiments").get_json()
    by_env = {item["eid"]: item["experiment"] for item in body["experiments"]}
    assert set(by_env) == {"ea", "eb"}
    assert by_env["ea"]["name"] == "a" and by_env["eb"]["metrics"][0]["key"] == "x"


def test_experiment_changes_are_published_in_env_order(app, post):
    published = []
    store = app.extensions["visdom_store"]
    store.publish = lambda eid, event, payload: published.append((event, payload))
    log(post, name="a", eid="p")
    log(post, action="metrics", metrics={"x": 1}, eid="p")
    assert [e for e, _ in published] == ["experiment", "experiment"]
    assert published[1][1]["metrics"][0]["key"] == "x"
    assert "metrics" not in published[1][1]["experiment"]  # only the new points travel
    assert published[1][1]["seq"] == published[0][1]["seq"] + 1
