"""`update_view` (view settings kept with the env) and GET /api/window_data (downloads)."""

import csv
import io
import json
import math

from app.extensions import socketio


def line_window(post, eid="v", win="L", x=(0, 1, 2), y=(1.0, 2.0, 3.0), name="a"):
    body = {
        "eid": eid,
        "win": win,
        "data": [{"x": list(x), "y": list(y), "name": name, "type": "scatter"}],
    }
    assert post("/events", body).status_code == 200


def test_update_view_reaches_every_page_and_is_saved_with_the_env(make_app, env_path):
    app = make_app()
    http = app.test_client()
    http.post("/events", data=json.dumps({"eid": "v", "win": "L", "data": [{"y": [1, 2]}]}))
    one = socketio.test_client(app, flask_test_client=http)
    two = socketio.test_client(app, flask_test_client=http)
    one.emit("join_env", {"eid": "v"}, callback=True)
    ack = two.emit("join_env", {"eid": "v"}, callback=True)
    assert ack["view_settings"] == {"env": {}, "windows": {}}
    two.get_received()
    reply = one.emit(
        "update_view", {"eid": "v", "win": "L", "view": {"log_y": True}}, callback=True
    )
    assert reply == {"ok": True}
    got = [m for m in two.get_received() if m["name"] == "view_settings"]
    assert len(got) == 1
    message = got[0]["args"][0]
    assert message["settings"] == {"env": {}, "windows": {"L": {"log_y": True}}}
    assert message["eid"] == "v" and message["seq"] == ack["seq"] + 1
    bad = one.emit("update_view", {"eid": "v", "win": "L", "view": {"smoothing": 2}}, callback=True)
    assert bad["status"] == 400 and bad["field"] == "view.smoothing"
    one.disconnect()
    two.disconnect()
    app.extensions["visdom_store"].close()
    with open(f"{env_path}/v.json", encoding="utf-8") as f:
        saved = json.load(f)
    assert saved["visdom_view"] == {"env": {}, "windows": {"L": {"log_y": True}}}
    again = make_app()
    sio = socketio.test_client(again)
    ack = sio.emit("join_env", {"eid": "v"}, callback=True)
    assert ack["view_settings"]["windows"] == {"L": {"log_y": True}}
    sio.disconnect()


def test_update_view_is_refused_on_a_readonly_server(make_app):
    app = make_app(READONLY=True)
    sio = socketio.test_client(app)
    reply = sio.emit(
        "update_view", {"eid": "main", "win": None, "view": {"smoothing": 0.5}}, callback=True
    )
    assert reply["status"] == 403
    sio.disconnect()


def test_csv_and_json_hold_every_stored_point(client, post):
    n = 5000
    ys = [math.sin(i / 50) for i in range(n)]
    ys[7] = float("nan")
    line_window(post, x=range(n), y=ys, name="loss")
    resp = post(
        "/update",
        {
            "eid": "v",
            "win": "L",
            "append": True,
            "data": [{"x": [n], "y": [0.25], "type": "scatter"}],
        },
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    stored = json.loads(post("/win_data", {"eid": "v"}).get_data(as_text=True))["L"]
    trace = stored["content"]["data"][0]
    stamps = stored["visdom_wall"][0]

    resp = client.get("/api/window_data/v/L?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["trace", "x", "y", "wall_time"]
    assert len(rows) == n + 2
    assert [int(r[1]) for r in rows[1:]] == trace["x"]
    got = [float(r[2]) if r[2] else None for r in rows[1:]]
    want = trace["y"]
    assert math.isnan(got[7]) and got[:7] == want[:7] and got[8:] == want[8:]
    assert [float(r[3]) for r in rows[1 : n + 1]] == [stamps["t"][0]] * n
    # An append within 0.1 s of the last stamp shares it (walltime.COALESCE).
    assert float(rows[-1][3]) == stamps["t"][-1]

    resp = client.get("/api/window_data/v/L?format=json")
    body = json.loads(resp.get_data(as_text=True))  # strict JSON: NaN is null
    assert "NaN" not in resp.get_data(as_text=True)
    out = body["traces"][0]
    assert out["name"] == "loss" and out["x"] == trace["x"]
    assert out["y"][7] is None and out["y"][8:] == want[8:]
    assert out["walltime"][-1] == stamps["t"][-1]


def test_window_data_refuses_bad_requests(client, post):
    post("/events", {"eid": "v", "win": "T", "data": [{"type": "text", "content": "x"}]})
    line_window(post)
    assert client.get("/api/window_data/v/L?format=xml").get_json()["field"] == "format"
    assert client.get("/api/window_data/v/T?format=csv").status_code == 404
    assert client.get("/api/window_data/v/nope?format=csv").status_code == 404
    assert client.get("/api/window_data/nope/L?format=csv").status_code == 404
