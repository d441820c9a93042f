"""GET /api/runs (rows, changes since a token), /api/runs/at_step, /groups, /diff."""

import math

import numpy as np
import pytest
import scipy.stats


def log(post, eid, **body):
    response = post("/experiments/log", dict(body, eid=eid))
    assert response.status_code == 200, response.get_data(as_text=True)


def run(post, eid, lr, seed, losses, steps=None):
    log(post, eid, action="log", params={"lr": lr, "seed": seed}, tags={"arch": "mlp"})
    for i, loss in enumerate(losses):
        step = i * 10 if steps is None else steps[i]
        log(post, eid, action="metrics", metrics={"loss": loss, "acc": 1 - loss / 10}, step=step)


@pytest.fixture
def lab(post):
    run(post, "lr1_s0", 0.1, 0, [5.0, 3.0, 4.0, 2.5])
    run(post, "lr1_s1", 0.1, 1, [6.0, 2.0, 2.2])
    run(post, "lr1_s2", 0.1, 2, [5.5, 2.8, float("nan"), 2.1])
    run(post, "lr2_s0", 0.2, 0, [4.0, 1.0, 1.5])
    run(post, "lr2_s1", 0.2, 1, [4.5, 1.2, 0.9])
    return post


def test_rows_hold_summaries_params_tags(client, lab, strict):
    body = strict(client.get("/api/runs"))
    rows = {r["eid"]: r for r in body["rows"]}
    assert set(rows) == {"lr1_s0", "lr1_s1", "lr1_s2", "lr2_s0", "lr2_s1"}
    assert body["removed"] == [] and "reset" not in body
    row = rows["lr1_s0"]
    assert row["params"] == {"lr": 0.1, "seed": 0} and row["tags"] == {"arch": "mlp"}
    assert row["status"] == "running" and row["name"] == "lr1_s0"
    assert isinstance(row["created"], float)
    assert row["metrics"]["loss"] == {
        "last": 2.5,
        "min": 2.5,
        "max": 5.0,
        "count": 4,
        "step": 30,
        "best_step_min": 30,
        "best_step_max": 0,
    }
    nan_run = rows["lr1_s2"]["metrics"]["loss"]  # NaN is not counted
    assert nan_run["count"] == 3 and nan_run["last"] == 2.1 and nan_run["step"] == 30


def test_since_returns_only_what_changed_and_what_was_removed(client, lab, post, strict):
    first = strict(client.get("/api/runs"))
    token = first["token"]
    same = strict(client.get(f"/api/runs?since={token}"))
    assert same["rows"] == [] and same["removed"] == [] and same["token"] == token
    # a window append to a run's env changes no row
    post("/events", {"eid": "lr2_s0", "win": "w", "data": [{"x": [1], "y": [1]}]})
    assert strict(client.get(f"/api/runs?since={token}"))["rows"] == []
    log(post, "lr1_s1", action="metrics", metrics={"loss": 1.9}, step=30)
    changed = strict(client.get(f"/api/runs?since={token}"))
    assert [r["eid"] for r in changed["rows"]] == ["lr1_s1"]
    assert changed["rows"][0]["metrics"]["loss"]["last"] == 1.9
    token = changed["token"]
    assert post("/delete_env", {"eid": "lr2_s1"}).status_code == 200
    gone = strict(client.get(f"/api/runs?since={token}"))
    assert gone["rows"] == [] and gone["removed"] == ["lr2_s1"]
    token = gone["token"]
    # made again under the same id: a new run, not a leftover of the old one
    log(post, "lr2_s1", action="metrics", metrics={"loss": 7.0}, step=0)
    again = strict(client.get(f"/api/runs?since={token}"))
    assert [r["eid"] for r in again["rows"]] == ["lr2_s1"] and again["removed"] == []
    assert again["rows"][0]["metrics"]["loss"]["count"] == 1
    assert again["rows"][0]["params"] == {}
    full = strict(client.get("/api/runs"))
    assert len(full["rows"]) == 5


def test_an_unknown_token_gets_every_row_and_reset(client, lab, error_of, strict):
    body = strict(client.get("/api/runs?since=otherprocess.3"))
    assert body["reset"] is True and len(body["rows"]) == 5
    error_of(client.get("/api/runs?since=garbage"), 400, "since")


def test_at_step_takes_the_last_value_at_or_before(client, lab, strict):
    body = strict(client.get("/api/runs/at_step?metric=loss&step=15"))
    assert body["values"]["lr1_s0"] == {"value": 3.0, "step": 10}
    assert body["values"]["lr2_s1"] == {"value": 1.2, "step": 10}
    early = strict(client.get("/api/runs/at_step?metric=loss&step=-1"))
    assert early["values"] == {}
    nan_step = strict(client.get("/api/runs/at_step?metric=loss&step=20&eid=lr1_s2"))
    assert nan_step["values"] == {"lr1_s2": {"value": 2.8, "step": 10}}


def test_groups_give_count_and_ci_of_the_mean(client, lab, strict):
    body = strict(client.get("/api/runs/groups?group=param:lr&metrics=loss"))
    groups = {g["name"]: g for g in body["groups"]}
    assert groups["0.1"]["count"] == 3 and groups["0.2"]["count"] == 2
    last = [2.5, 2.2, 2.1]
    got = groups["0.1"]["metrics"]["loss"]
    lo, hi = scipy.stats.t.interval(0.95, 2, loc=np.mean(last), scale=scipy.stats.sem(last))
    assert got["mean"] == pytest.approx(np.mean(last))
    assert (got["lo"], got["hi"]) == (pytest.approx(lo), pytest.approx(hi))
    best = strict(client.get("/api/runs/groups?group=param:lr&metrics=loss&agg=min"))
    assert best["groups"][1]["metrics"]["loss"]["mean"] == pytest.approx((1.0 + 0.9) / 2)
    regex = strict(client.get("/api/runs/groups?group=re:^(lr\\d)_"))
    assert [g["name"] for g in regex["groups"]] == ["lr1", "lr2"]
    assert set(regex["groups"][0]["metrics"]) == {"loss", "acc"}


@pytest.mark.parametrize("method", ["welch", "bootstrap"])
def test_diff_of_two_groups(client, lab, method, strict):
    url = f"/api/runs/diff?group=param:lr&a=0.1&b=0.2&metric=loss&method={method}"
    body = strict(client.get(url))
    a, b = [2.5, 2.2, 2.1], [1.5, 0.9]
    assert body["a"] == {"name": "0.1", "n": 3, "mean": pytest.approx(np.mean(a))}
    assert body["b"]["n"] == 2 and body["diff"] == pytest.approx(np.mean(a) - np.mean(b))
    assert body["lo"] < body["diff"] < body["hi"] and body["method"] == method
    if method == "welch":
        ci = scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval()
        assert (body["lo"], body["hi"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert strict(client.get(url)) == body  # seeded: the same interval again


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/runs/diff?group=param:lr&a=0.1&b=0.3&metric=loss", "b"),
        ("/api/runs/diff?group=param:seed&a=2&b=1&metric=loss", "a"),
        ("/api/runs/diff?group=param:lr&a=0.1&b=0.2&metric=loss&method=magic", "method"),
        ("/api/runs/diff?group=param:lr&a=0.1&b=0.2&metric=nope", "metric"),
        ("/api/runs/diff?group=param:lr&a=0.1&b=0.2&metric=loss&agg=mean", "agg"),
        ("/api/runs/groups?group=param:nope", "group"),
        ("/api/runs/groups?group=tag:nope", "group"),
        ("/api/runs/groups?group=re:[", "group"),
        ("/api/runs/groups?group=param:lr&metrics=nope", "metrics"),
        ("/api/runs/at_step?metric=loss", "step"),
        ("/api/runs/at_step?metric=loss&step=x", "step"),
        ("/api/runs/at_step?metric=nope&step=1", "metric"),
        ("/api/runs/at_step?metric=loss&step=1&eid=../x", "eid"),
    ],
)
def test_bad_runs_queries_name_the_field(client, lab, error_of, url, field):
    error_of(client.get(url), 400, field)


def test_unicode_long_names_and_odd_values(client, post, strict):
    eid = "実験_" + "x" * 200
    log(post, eid, action="log", params={"lr": "3e-4"}, tags={"note": "ß"})
    log(post, eid, action="metrics", metrics={"loss": float("inf"), "txt": "n/a"}, step=None)
    log(post, eid, action="metrics", metrics={"loss": 1.5, "txt": "n/a"}, step=None)
    row = strict(client.get("/api/runs"))["rows"][0]
    assert row["eid"] == eid and row["params"] == {"lr": "3e-4"}
    assert row["metrics"]["loss"]["count"] == 1 and row["metrics"]["loss"]["step"] == 1
    assert row["metrics"]["txt"]["count"] == 0 and row["metrics"]["txt"]["last"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in row["metrics"]["loss"].values())
