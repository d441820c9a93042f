"""GET /api/window/<eid>/<win>: a plot's points over an x-range, decimated for a browser;
and the decimated windows that reach browsers (join ack, /api/env, live `window`)."""

import json
import math

import pytest

from app.extensions import socketio
from app.panes.decimate import SHOWN, TOTAL

N = 200_000


@pytest.fixture
def big(post):
    """Create window "big": a sorted line of N points with a spike, and a small trace."""

    def make(win="big", eid="main", n=N):
        y = [math.sin(i / 500) for i in range(n)]
        y[n // 3] = 99.0
        y[10] = float("nan")
        body = {
            "eid": eid,
            "win": win,
            "data": [
                {"type": "scatter", "mode": "lines", "x": list(range(n)), "y": y, "name": "a"},
                {"type": "scatter", "mode": "lines", "x": [0, n], "y": [0, 1], "name": "b"},
            ],
            "layout": {},
            "opts": {"title": "big"},
        }
        assert post("/events", body).status_code == 200
        return y

    return make


def get_range(client, query, eid="main", win="big"):
    response = client.get(f"/api/window/{eid}/{win}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    text = response.get_data(as_text=True)
    assert "NaN" not in text and "Infinity" not in text  # strict JSON for browsers
    return json.loads(text)


def test_a_narrow_range_answers_every_raw_point(client, big):
    y = big()
    answer = get_range(client, "x0=1000&x1=1200&px=400")
    first = answer["traces"][0]
    assert first["index"] == 0 and first["total"] == N and first["raw"] is True
    assert first["columns"]["x"] == list(range(999, 1202))
    assert first["columns"]["y"] == y[999:1202]
    assert answer["seq"] >= 1 and answer["contentID"]
    # the two-point trace: both points (its neighbours of the range) are there
    assert answer["traces"][1]["columns"]["x"] == [0, N]


def test_a_wide_range_is_decimated_to_the_pane_and_keeps_the_spike(client, big):
    big()
    answer = get_range(client, "x0=0&x1=200000&px=300")
    first = answer["traces"][0]
    assert answer["budget"] == 600
    assert first["shown"] == len(first["columns"]["x"]) and 594 <= first["shown"] <= 600
    assert first["raw"] is False and 99.0 in first["columns"]["y"]
    assert None in first["columns"]["y"]  # the NaN gap, as null
    # no range at all: the overview
    overview = get_range(client, "px=500")["traces"][0]
    assert 994 <= overview["shown"] <= 1000 and overview["columns"]["x"][-1] == N - 1


def test_appended_points_are_in_the_next_read(client, big, post):
    big()
    body = {"eid": "main", "win": "big", "append": True, "name": "a"}
    body["data"] = [{"x": [N, N + 1], "y": [-50.0, 0.0]}]
    assert post("/update", body).status_code == 200
    answer = get_range(client, f"x0={N - 5}&x1={N + 5}&px=400")["traces"][0]
    assert answer["total"] == N + 2 and answer["columns"]["x"][-2:] == [N, N + 1]
    assert -50.0 in get_range(client, "px=200")["traces"][0]["columns"]["y"]


def test_unsorted_traces_are_not_resent(client, post):
    xs = [(i * 7919) % 5000 for i in range(5000)]
    body = {"eid": "main", "win": "cloud", "opts": {}, "layout": {}}
    body["data"] = [{"type": "scatter", "mode": "markers", "x": xs, "y": xs}]
    assert post("/events", body).status_code == 200
    answer = get_range(client, "x0=1&x1=2&px=100", win="cloud")
    assert answer["traces"] == [{"index": 0, "total": 5000, "whole": True}]


@pytest.mark.parametrize(
    ("query", "field"),
    [("x0=abc", "x0"), ("x1=nan", "x1"), ("x0=inf", "x0"), ("px=-3", "px"), ("px=1.5", "px")],
)
def test_bad_queries_name_the_field(client, big, error_of, query, field):
    big(n=100)
    error_of(client.get(f"/api/window/main/big?{query}"), 400, field)


def test_missing_windows_and_non_plots_are_404(client, big, post, error_of):
    big(n=100)
    error_of(client.get("/api/window/main/nope"), 404, "win")
    error_of(client.get("/api/window/nowhere/big"), 404, "eid")
    text = {"eid": "main", "win": "t", "data": [{"type": "text", "content": "hi"}]}
    assert post("/events", text).status_code == 200
    error_of(client.get("/api/window/main/t"), 404, "win")


def test_the_range_read_needs_a_login(make_app):
    app = make_app(ENABLE_LOGIN=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    response = app.test_client().get("/api/window/main/big?px=100")
    assert response.status_code == 401


def test_browser_reads_are_decimated_and_python_reads_are_not(client, big, post, store):
    big()
    window = client.get("/api/env/main").get_json()["windows"][0]
    first, second = window["content"]["data"]
    assert first[TOTAL] == N and first[SHOWN] == len(first["x"]) and 1194 <= len(first["x"]) <= 1200
    assert 99.0 in first["y"] and TOTAL not in second
    # Python clients and the store keep every point
    full = json.loads(post("/win_data", {"eid": "main"}).get_data(as_text=True))
    assert len(full["big"]["content"]["data"][0]["x"]) == N
    assert len(store.window("main", "big")["content"]["data"][0]["x"]) == N


def test_join_ack_and_live_windows_are_decimated(app, client, big, post):
    big(eid="a")
    big(eid="b")
    sio = socketio.test_client(app, flask_test_client=client)
    ack = sio.emit("join_env", {"eid": "a"}, callback=True)
    assert 1194 <= ack["windows"][0]["content"]["data"][0][SHOWN] <= 1200
    big(eid="a")  # replaces the window: a live `window` message
    sent = [m["args"][0] for m in sio.get_received() if m["name"] == "window"]
    assert sent and sent[-1]["window"]["content"]["data"][0][TOTAL] == N
    assert 1194 <= len(sent[-1]["window"]["content"]["data"][0]["x"]) <= 1200
    # a huge append travels decimated, marked with its raw count
    n = 50_000
    body = {"eid": "a", "win": "big", "append": True, "name": "a"}
    body["data"] = [{"x": list(range(N, N + n)), "y": [1.0] * n}]
    assert post("/update", body).status_code == 200
    updates = [m["args"][0] for m in sio.get_received() if m["name"] == "window_update"]
    assert updates[-1]["traces"][0][TOTAL] == n and len(updates[-1]["traces"][0]["x"]) <= 2400
    # the compare view too
    ack = sio.emit("join_env", {"eids": ["a", "b"]}, callback=True)
    merged = ack["windows"][0]["content"]["data"]
    assert [t.get(TOTAL) for t in merged] == [N + n, None, N, None]
    sio.disconnect()
