"""GET /api/compare/<a+b>/aggregate, /api/window/...?by= and ?envelope=: answers and errors."""

import math
import urllib.parse

import numpy as np
import pytest


def line(post, eid, x, y, title="loss", win="L", name="a", append=False):
    body = {
        "eid": eid,
        "win": win,
        "data": [{"x": list(x), "y": list(y), "name": name, "type": "scatter", "mode": "lines"}],
        "layout": {"title": title},
        "opts": {"title": title},
    }
    if append:
        body = dict(body, name=name, append=True)
        return post("/update", body)
    response = post("/events", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def experiment(post, eid, **params):
    response = post("/experiments/log", {"eid": eid, "action": "log", "params": params})
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.fixture
def seeds(post):
    """Two lr groups of seeds with different step grids; one run holds NaN."""
    line(post, "cifar_lr1_seed0", range(0, 101, 10), [1.0] * 11)
    line(post, "cifar_lr1_seed1", range(0, 101, 25), [3.0] * 5)
    line(post, "cifar_lr2_seed0", range(0, 51, 5), [float("nan")] + [10.0] * 10)
    experiment(post, "cifar_lr1_seed0", lr=0.1, seed=0)
    experiment(post, "cifar_lr1_seed1", lr=0.1, seed=1)
    experiment(post, "cifar_lr2_seed0", lr=0.2, seed=0)
    return ["cifar_lr1_seed0", "cifar_lr1_seed1", "cifar_lr2_seed0"]


def agg_url(eids, **query):
    qs = urllib.parse.urlencode(query)
    return f"/api/compare/{'+'.join(eids)}/aggregate?{qs}"


def test_groups_by_param_with_aligned_steps(client, seeds, strict):
    body = strict(client.get(agg_url(seeds, title="loss", group="param:lr")))
    assert body["title"] == "loss" and body["stat"] == "mean" and body["band"] == "std"
    groups = {g["name"]: g for g in body["groups"]}
    assert set(groups) == {"0.1", "0.2"}
    lr1 = groups["0.1"]
    assert lr1["envs"] == ["cifar_lr1_seed0", "cifar_lr1_seed1"]
    # the group's grid is the union of its runs' steps: 0..100 by 10 and by 25
    assert lr1["x"] == [
        0.0,
        10.0,
        20.0,
        25.0,
        30.0,
        40.0,
        50.0,
        60.0,
        70.0,
        75.0,
        80.0,
        90.0,
        100.0,
    ]
    assert all(n == 2 for n in lr1["n"])  # both runs span 0..100
    assert lr1["y"] == pytest.approx([2.0] * len(lr1["x"]))
    assert lr1["lo"] == pytest.approx([2.0 - math.sqrt(2)] * len(lr1["x"]))
    lr2 = groups["0.2"]
    assert lr2["x"][0] == 5.0 and lr2["x"][-1] == 50.0  # NaN at step 0 ignored, not extrapolated
    assert lr2["n"] == [1] * len(lr2["x"]) and lr2["lo"] == lr2["y"] == lr2["hi"]
    assert body["missing"] == []
    assert body["traces"] == ["a"]


def test_regex_groups_minmax_median_and_missing(client, seeds, post, strict):
    line(post, "other_run", range(3), [1, 2, 3], title="acc")
    url = agg_url(
        seeds + ["other_run"],
        title="loss",
        group=r"re:^(.*)_seed\d+$",
        band="minmax",
        stat="median",
    )
    body = strict(client.get(url))
    names = [g["name"] for g in body["groups"]]
    assert names == ["cifar_lr1", "cifar_lr2"]
    g = body["groups"][0]
    assert g["lo"][0] == 1.0 and g["hi"][0] == 3.0 and g["y"][0] == 2.0
    assert [m["env"] for m in body["missing"]] == ["other_run"]
    assert "does not match" in body["missing"][0]["reason"]


def test_without_group_all_envs_are_one_group_and_ci95(client, seeds, strict):
    body = strict(client.get(agg_url(seeds[:2], title="loss", band="ci95", px=16)))
    assert [g["name"] for g in body["groups"]] == ["all"]
    g = body["groups"][0]
    assert len(g["x"]) <= 16
    half = 12.706204736174696 * math.sqrt(2) / math.sqrt(2)  # t(0.975, 1) * sem
    assert g["lo"][0] == pytest.approx(2.0 - half) and g["hi"][0] == pytest.approx(2.0 + half)


def test_envs_without_the_title_are_listed_and_none_is_a_404(client, seeds, post, error_of, strict):
    line(post, "acc_only", range(3), [1, 2, 3], title="acc")
    body = strict(client.get(agg_url(seeds[:1] + ["acc_only"], title="loss")))
    assert body["missing"] == [{"env": "acc_only", "reason": "no plot titled 'loss'"}]
    error_of(client.get(agg_url(["acc_only"], title="loss")), 404, "title")


def test_trace_by_name_and_trace_list(client, post, strict):
    for eid in ("t1", "t2"):
        body = {
            "eid": eid,
            "win": "L",
            "data": [
                {"x": [0, 1], "y": [1, 1], "name": "train", "type": "scatter"},
                {"x": [0, 1], "y": [5, 7], "name": "val", "type": "scatter"},
            ],
            "opts": {"title": "loss"},
        }
        assert post("/events", body).status_code == 200
    body = strict(client.get(agg_url(["t1", "t2"], title="loss", trace="val")))
    assert body["traces"] == ["train", "val"]
    assert body["groups"][0]["y"] == [5.0, 7.0]
    default = strict(client.get(agg_url(["t1", "t2"], title="loss")))
    assert default["groups"][0]["y"] == [1.0, 1.0]


def test_x_by_metric_in_the_aggregate(client, post, strict):
    for eid, scale in (("m1", 1), ("m2", 2)):
        line(post, eid, range(5), [float(scale)] * 5, title="loss", win="L")
        line(post, eid, range(5), [100.0 * s for s in range(5)], title="tokens", win="T")
    body = strict(client.get(agg_url(["m1", "m2"], title="loss", x="metric:tokens")))
    assert body["x_kind"] == "metric:tokens"
    assert body["groups"][0]["x"] == [0.0, 100.0, 200.0, 300.0, 400.0]
    assert body["groups"][0]["y"] == [1.5] * 5


def test_window_by_another_metric_joins_on_step(client, post, strict):
    line(post, "main", [0, 1, 2, 3, 4], [5, 4, 3, 2, 1], title="loss", win="L")
    line(post, "main", [1, 2, 4, 9], [10, 20, 40, 90], title="tokens", win="T")
    body = strict(client.get("/api/window/main/L?by=T"))
    assert body["x_by"] == {"win": "T", "title": "tokens"}
    columns = body["traces"][0]["columns"]
    assert columns["x"] == [10.0, 20.0, 40.0]  # steps 0 and 3 have no partner
    assert columns["y"] == [4.0, 3.0, 1.0]
    assert columns["visdom_step"] == [1.0, 2.0, 4.0]
    assert body["seq"] >= 2 and body["win"] == "L"


def test_envelope_keeps_every_spike_inside_the_band(client, post, strict):
    rng = np.random.default_rng(3)
    y = rng.normal(size=20000)
    y[12345] = 50.0
    y[777] = float("nan")
    line(post, "main", range(20000), y.tolist(), title="noisy", win="N")
    body = strict(client.get("/api/window/main/N?envelope=1&px=100"))
    trace = body["traces"][0]
    assert len(trace["x"]) == 100 and sum(trace["n"]) == 19999
    assert max(trace["hi"]) == 50.0
    assert all(
        lo <= m <= hi for lo, m, hi in zip(trace["lo"], trace["mean"], trace["hi"], strict=True)
    )
    ranged = strict(client.get("/api/window/main/N?envelope=1&px=10&x0=100&x1=199"))
    assert sum(ranged["traces"][0]["n"]) == 100


@pytest.mark.parametrize(
    "url, status, field",
    [
        ("/api/compare/a+b/aggregate?title=loss&group=param:nope", 400, "group"),
        ("/api/compare/a+b/aggregate?title=loss&group=re:(", 400, "group"),
        ("/api/compare/a+b/aggregate?title=loss&group=color:red", 400, "group"),
        ("/api/compare/a+b/aggregate?title=loss&stat=mode", 400, "stat"),
        ("/api/compare/a+b/aggregate?title=loss&band=iqr", 400, "band"),
        ("/api/compare/a+b/aggregate?title=loss&px=0", 400, "px"),
        ("/api/compare/a+b/aggregate?title=loss&px=99999", 400, "px"),
        ("/api/compare/a+b/aggregate?title=loss&x=epochs", 400, "x"),
        ("/api/compare/a+b/aggregate?title=loss&x=metric:nothing", 400, "x"),
        ("/api/compare/a+b/aggregate?title=loss&trace=nope", 400, "trace"),
        ("/api/compare/a+b/aggregate?title=nothing", 404, "title"),
        ("/api/compare/a+b/aggregate", 400, "title"),
        ("/api/compare/a+ghost/aggregate?title=loss", 404, "eid"),
        ("/api/window/a/L?by=ghost", 404, "by"),
        ("/api/window/a/L?envelope=1&px=99999", 400, "px"),
    ],
)
def test_bad_queries_name_the_field(client, post, error_of, url, status, field):
    line(post, "a", range(3), [1, 2, 3])
    line(post, "b", range(3), [1, 2, 3])
    experiment(post, "a", lr=1)
    error_of(client.get(url), status, field)


def test_by_drops_nan_partners_and_text_traces_come_whole(client, post, strict):
    line(post, "main", [0, 1, 2], [1, 2, 3], title="loss", win="L")
    line(post, "main", [0, 1, 2], [10, float("nan"), 30], title="tokens", win="T")
    body = {
        "eid": "main",
        "win": "W",
        "data": [{"x": ["a", "b"], "y": [1, 2], "name": "a", "type": "scatter"}],
        "opts": {"title": "words"},
    }
    assert post("/events", body).status_code == 200
    by = strict(client.get("/api/window/main/L?by=T"))
    assert by["traces"][0]["columns"]["x"] == [10.0, 30.0]
    words = strict(client.get("/api/window/main/W?envelope=1"))
    assert words["traces"] == [{"index": 0, "name": "a", "total": 2, "whole": True}]
    both = strict(client.get("/api/window/main/L?by=T&envelope=1&px=50"))
    assert both["traces"][0]["x"] == [10.0, 30.0] and both["traces"][0]["mean"] == [1.0, 3.0]


def test_unicode_and_very_long_env_names(client, post, strict):
    eids = ["実験_λ=0.1_" + "x" * 150 + f"_seed{k}" for k in range(3)]
    for k, eid in enumerate(eids):
        line(post, eid, range(4), [float(k)] * 4)
    url = agg_url(eids, title="loss", group=r"re:^(.*)_seed\d+$", band="sem")
    body = strict(
        client.get(
            "/api/compare/" + urllib.parse.quote("+".join(eids)) + url[url.index("/aggregate") :]
        )
    )
    assert [g["name"] for g in body["groups"]] == [eids[0][: -len("_seed0")]]
    assert body["groups"][0]["y"] == [1.0] * 4 and body["groups"][0]["n"] == [3] * 4


def test_the_aggregate_follows_appends_with_newer_seqs(client, post, strict):
    line(post, "r1", [0, 1], [1.0, 1.0])
    line(post, "r2", [0, 1], [3.0, 3.0])
    before = strict(client.get(agg_url(["r1", "r2"], title="loss")))
    assert before["groups"][0]["x"] == [0, 1]
    assert line(post, "r2", [2, 3], [5.0, 5.0], append=True).status_code == 200
    after = strict(client.get(agg_url(["r1", "r2"], title="loss")))
    assert (
        after["seqs"]["r2"] > before["seqs"]["r2"] and after["seqs"]["r1"] == before["seqs"]["r1"]
    )
    assert after["groups"][0]["x"] == [0, 1, 2, 3]
    assert after["groups"][0]["n"] == [2, 2, 1, 1]  # r1 stops at 1: not extrapolated
    assert after["groups"][0]["y"] == [2.0, 2.0, 5.0, 5.0]


def test_wall_time_and_relative_x(client, post, monkeypatch, strict):
    import time as clock

    now = [1000.0]
    monkeypatch.setattr(clock, "time", lambda: now[0])
    line(post, "w1", [0, 1], [1.0, 1.0])
    now[0] = 1010.0
    line(post, "w1", [2, 3], [3.0, 3.0], append=True)
    now[0] = 5000.0
    line(post, "w2", [0], [5.0])
    wall = strict(client.get(agg_url(["w1", "w2"], title="loss", x="walltime", band="minmax")))
    assert wall["groups"][0]["x"] == [1000.0, 1010.0, 5000.0]
    relative = strict(client.get(agg_url(["w1", "w2"], title="loss", x="relative")))
    assert relative["groups"][0]["x"] == [0.0, 10.0]
    assert relative["groups"][0]["y"] == [3.0, 3.0] and relative["groups"][0]["n"] == [2, 1]


def test_by_keeps_per_point_columns(client, post, strict):
    body = {
        "eid": "main",
        "win": "L",
        "data": [
            {
                "x": [0, 1, 2],
                "y": [3, 2, 1],
                "text": ["a", "b", "c"],
                "marker": {"color": ["red", "green", "blue"]},
                "type": "scatter",
                "name": "a",
            }
        ],
        "opts": {"title": "loss"},
    }
    assert post("/events", body).status_code == 200
    line(post, "main", [1, 2], [100, 200], title="tokens", win="T")
    columns = strict(client.get("/api/window/main/L?by=T"))["traces"][0]["columns"]
    assert columns["x"] == [100.0, 200.0] and columns["text"] == ["b", "c"]
    assert columns["marker.color"] == ["green", "blue"]
