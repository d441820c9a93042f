"""Upstream's window endpoints: /events /update /close /win_exists /win_data /win_hash."""

import hashlib
import json
import math
import re

import pytest

from app.panes.hashing import window_hash


def body_text(response):
    return response.get_data(as_text=True)


def trace(name, x, y):
    return {"x": x, "y": y, "name": name, "type": "scatter", "mode": "lines"}


# -- /events ----------------------------------------------------------------------------


def test_events_answers_the_window_id_as_plain_text(post, store):
    response = post(
        "/events",
        '{"eid": "main", "win": "w1", "data": [{"x": [1], "y": [2], "type": "scatter"}], '
        '"layout": {}, "opts": {"title": "t"}}',
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert body_text(response) == "w1"
    window = store.window("main", "w1")
    assert window["title"] == "t" and window["type"] == "plot"


def test_events_without_content_type_and_with_nan_tokens(client, store):
    raw = (
        b'{"eid": "main", "win": "s", "data": [{"z": [[NaN, Infinity], [-Infinity, 1]], '
        b'"type": "surface"}], "layout": {}, "opts": {}}'
    )
    response = client.post("/events", data=raw, headers={"Content-Type": ""})
    assert body_text(response) == "s"
    z = store.window("main", "s")["content"]["data"][0]["z"]
    assert math.isnan(z[0][0]) and z[0][1] == math.inf and z[1][0] == -math.inf


def test_events_without_win_generates_an_id(post, store):
    response = post("/events", {"data": [{"type": "text", "content": "x"}]})
    win = body_text(response)
    assert re.fullmatch(r"window_[0-9a-f]+", win)
    assert store.window("main", win)["content"] == "x"


def test_events_creates_the_env_and_replacing_keeps_the_index(post, plot, store):
    plot("a", eid="new_env")
    plot("b", eid="new_env")
    plot("a", eid="new_env", title="again")
    assert "new_env" in store.env_ids()
    windows = store.windows("new_env")
    assert windows["a"]["i"] == 0 and windows["b"]["i"] == 1
    assert windows["a"]["title"] == "again"


def test_events_eid_with_slash_is_escaped_like_upstream(plot, store):
    plot("w", eid="group/run")
    assert store.window_exists("group_run", "w")


# -- /update ----------------------------------------------------------------------------


def test_update_append(post, plot, store):
    plot()
    response = post(
        "/update",
        {"eid": "main", "win": "L", "name": "a", "append": True, "data": [trace("a", [2], [3])]},
    )
    assert body_text(response) == "L"
    t = store.window("main", "L")["content"]["data"][0]
    assert t["x"] == [0, 1, 2] and t["y"] == [1, 2, 3]


def test_update_append_of_all_null_x_changes_nothing(post, plot, store):
    # upstream: 500 (math.isnan(None)); the official client sends NaN as null
    plot()
    before = store.window("main", "L")["content"]
    response = post(
        "/update",
        '{"eid": "main", "win": "L", "name": "a", "append": true, '
        '"data": [{"x": [null], "y": [null], "name": "a", "type": "scatter"}]}',
    )
    assert body_text(response) == "L"
    assert store.window("main", "L")["content"] == before


def test_update_replace_and_remove(post, plot, store):
    plot(names=("a", "b"))
    post(
        "/update",
        {"eid": "main", "win": "L", "name": "b", "append": False, "data": [trace("b", [9], [9])]},
    )
    assert store.window("main", "L")["content"]["data"][1]["x"] == [9]
    response = post("/update", {"eid": "main", "win": "L", "name": "a", "delete": True, "data": []})
    assert body_text(response) == "L"
    assert [t["name"] for t in store.window("main", "L")["content"]["data"]] == ["b"]


def test_update_append_creates_a_missing_window(post, store):
    response = post(
        "/update",
        {"eid": "main", "win": "new", "append": True, "data": [trace("a", [0], [0])], "layout": {}},
    )
    assert body_text(response) == "new"
    assert store.window("main", "new")["type"] == "plot"


def test_update_opts_only(post, plot, store):
    plot()
    post(
        "/update",
        {"eid": "main", "win": "L", "opts": {"title": "T2"}, "layout": {"title": "T2"}},
    )
    window = store.window("main", "L")
    assert window["title"] == "T2"
    assert window["content"]["layout"]["title"] == "T2"


def test_update_text_appends_with_br(post, store):
    post("/events", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "a"}]})
    response = post(
        "/update", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "b"}]}
    )
    assert body_text(response) == "T"
    assert store.window("main", "T")["content"] == "a<br>b"


def test_update_of_a_missing_window_without_append(post, store, snapshot):
    before = snapshot()
    response = post("/update", {"eid": "main", "win": "nope", "data": [trace("a", [0], [0])]})
    assert response.status_code == 404
    assert body_text(response) == "win does not exist"  # upstream's literal text
    assert snapshot() == before


def test_update_refused_by_the_type_gate(post, store, snapshot, error_of):
    post("/events", {"eid": "main", "win": "B", "data": [{"y": [1], "type": "bar"}], "layout": {}})
    before = snapshot()
    response = post(
        "/update", {"eid": "main", "win": "B", "append": True, "data": [{"y": [2], "type": "bar"}]}
    )
    body = error_of(response, 400, "win")
    assert body["error"].endswith("was bar")
    assert snapshot() == before


# -- /close -----------------------------------------------------------------------------


def test_close_one_window_then_all(post, plot, store):
    plot("a")
    plot("b")
    plot("c")
    response = post("/close", {"eid": "main", "win": "a"})
    assert response.status_code == 200 and body_text(response) == ""
    assert set(store.windows("main")) == {"b", "c"}
    post("/close", {"eid": "main", "win": "missing"})  # ignored like upstream
    assert set(store.windows("main")) == {"b", "c"}
    post("/close", {"eid": "main", "win": None})
    assert store.windows("main") == {}


# -- /win_exists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"eid": "main", "win": "L"}, "true"),
        ({"eid": "main", "win": "other"}, "false"),
        ({"eid": "unknown_env", "win": "L"}, "false"),
        ({"eid": "main", "win": ""}, "false"),  # check_connection() ping
        ({"eid": "main", "win": None}, "false"),
    ],
)
def test_win_exists_answers_true_or_false(post, plot, body, expected):
    plot()
    response = post("/win_exists", body)
    assert response.status_code == 200
    assert body_text(response) == expected


# -- /win_data --------------------------------------------------------------------------


def test_win_data_read_one_and_all(post, plot, store):
    plot("a")
    plot("b")
    one = json.loads(body_text(post("/win_data", {"eid": "main", "win": "a"})))
    assert one == store.window("main", "a")
    every = json.loads(body_text(post("/win_data", {"eid": "main", "win": None})))
    assert set(every) == {"a", "b"}
    assert every["b"] == store.window("main", "b")


def test_win_data_write_round_trip(post, plot, store):
    plot("a")
    text = body_text(post("/win_data", {"eid": "main", "win": "a"}))
    window = json.loads(text)
    window["title"] = "edited"
    response = post("/win_data", {"eid": "main", "win": "a", "data": json.dumps(window)})
    assert response.status_code == 200 and body_text(response) == ""
    assert store.window("main", "a")["title"] == "edited"
    # into a new env, and the whole map
    response = post("/win_data", {"eid": "copy", "win": None, "data": json.dumps({"a": window})})
    assert response.status_code == 200
    assert store.windows("copy")["a"]["title"] == "edited"


def test_win_data_read_keeps_nan(post, store):
    post(
        "/events",
        '{"eid": "main", "win": "s", "data": [{"z": [[NaN]], "type": "surface"}], "layout": {}}',
    )
    window = json.loads(body_text(post("/win_data", {"eid": "main", "win": "s"})))
    assert math.isnan(window["content"]["data"][0]["z"][0][0])


# -- /win_hash --------------------------------------------------------------------------


def test_win_hash_is_the_md5_of_the_window(post, plot, store):
    plot()
    digest = body_text(post("/win_hash", {"eid": "main", "win": "L"}))
    assert re.fullmatch(r"[0-9a-f]{32}", digest)
    assert digest == window_hash(store.window("main", "L"))
    post(
        "/update",
        {"eid": "main", "win": "L", "name": "a", "append": True, "data": [trace("a", [5], [5])]},
    )
    assert body_text(post("/win_hash", {"eid": "main", "win": "L"})) != digest


def test_win_hash_of_a_missing_window_is_false(post, plot):
    plot()
    assert body_text(post("/win_hash", {"eid": "main", "win": "nope"})) == "false"
    assert body_text(post("/win_hash", {"eid": "main", "win": None})) == "false"


def test_win_hash_matches_upstream_canonical_form(post, store):
    post(
        "/events",
        {"eid": "main", "win": "T", "data": [{"type": "text", "content": "x"}], "opts": {}},
    )
    window = store.window("main", "T")
    canonical = json.dumps(window, sort_keys=True, separators=(",", ":"))
    expected = hashlib.md5(canonical.encode(), usedforsecurity=False).hexdigest()
    assert body_text(post("/win_hash", {"eid": "main", "win": "T"})) == expected
