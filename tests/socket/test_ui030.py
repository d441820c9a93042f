"""The server side of the 0.3.0 UI features (docs/socket-protocol.md): comments, undo,
drawn shapes, save all, SliderMoved, notifications, compare "show all"."""

import json
import os
import threading

import pytest
from simple_websocket import Client as WebSocketClient

from app.extensions import socketio


def received(sio, name=None):
    got = sio.get_received()
    return [m["args"][0] for m in got if name is None or m["name"] == name]


def joined(sockets, eid):
    sio = sockets()
    ack = sio.emit("join_env", {"eid": eid}, callback=True)
    assert "error" not in ack, ack
    sio.get_received()
    return sio


# -- update_comment ---------------------------------------------------------------------


def test_update_comment_sets_comment_and_version_and_pushes_the_window(sockets, plot, store):
    plot("L")
    other = joined(sockets, "main")
    sender = joined(sockets, "main")
    ack = sender.emit(
        "update_comment", {"eid": "main", "win": "L", "comment": "lr too high"}, callback=True
    )
    assert ack == {"ok": True}
    (message,) = received(other, "window")
    assert message["window"]["comment"] == "lr too high" and message["window"]["version"] == 2
    assert message["eid"] == "main" and isinstance(message["seq"], int)
    assert store.window("main", "L")["comment"] == "lr too high"


def test_update_comment_is_replayed_after_a_crash(sockets, plot, env_path):
    plot("L")
    sockets().emit("update_comment", {"eid": "main", "win": "L", "comment": "x"}, callback=True)
    from app.state import Store

    recovered = Store(env_path)  # the app's store never wrote a snapshot
    try:
        got = recovered.window("main", "L")
        assert got["comment"] == "x" and got["version"] == 2
    finally:
        recovered.files.close()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"eid": "main", "win": "nope", "comment": "x"}, "win"),
        ({"eid": "main", "win": "L", "comment": 3}, "comment"),
    ],
)
def test_update_comment_refusals(sockets, plot, payload, field):
    plot("L")
    ack = sockets().emit("update_comment", payload, callback=True)
    assert ack["field"] == field and ack["error"]


# -- undo -------------------------------------------------------------------------------


def test_undo_restores_closed_windows_last_first(sockets, plot, post, store):
    plot("P")
    plot("T")
    browser = joined(sockets, "main")
    browser.emit("close_window", {"eid": "main", "win": "P"}, callback=True)
    assert received(browser, "undo_state") == [{"eid": "main", "count": 1}]
    post("/close", {"eid": "main", "win": "T"})  # HTTP /close feeds the stack too
    assert received(browser, "undo_state") == [{"eid": "main", "count": 2}]
    ack = browser.emit("undo", {"eid": "main"}, callback=True)
    assert ack == {"ok": True, "win": "T"}
    got = received(browser)
    assert [m.get("window", {}).get("id") for m in got if "window" in m] == ["T"]
    assert got[-1] == {"eid": "main", "count": 1}
    assert browser.emit("undo", {"eid": "main"}, callback=True) == {"ok": True, "win": "P"}
    assert set(store.windows("main")) == {"P", "T"}
    restored = store.windows("main")
    assert restored["P"]["i"] > restored["T"]["i"]  # back on top
    nothing = browser.emit("undo", {"eid": "main"}, callback=True)
    assert nothing["status"] == 404 and nothing["error"] == "nothing to undo"


def test_clear_feeds_the_stack_and_join_acks_carry_the_count(sockets, plot, post):
    for win in ("a", "b", "c"):
        plot(win)
    post("/close", {"eid": "main", "win": None})
    ack = sockets().emit("join_env", {"eid": "main"}, callback=True)
    assert ack["undo"] == 3 and ack["windows"] == []


def test_undo_depth_is_a_setting_and_the_stack_survives_a_restart(make_app, env_path):
    app = make_app(UNDO_DEPTH=2)
    http = app.test_client()
    for win in ("a", "b", "c"):
        body = {"eid": "u", "win": win, "data": [{"type": "text", "content": win}]}
        http.post("/events", data=json.dumps(body))
        http.post("/close", data=json.dumps({"eid": "u", "win": win}))
    stack_file = os.path.join(env_path, ".undo", "u.json")
    with open(stack_file, encoding="utf-8") as f:
        assert [w for w, _ in json.load(f)] == ["b", "c"]  # 0.3.0's [[id, window]] format
    app.extensions["visdom_store"].close()
    again = make_app(UNDO_DEPTH=2)
    sio = socketio.test_client(again)
    assert sio.emit("join_env", {"eid": "u"}, callback=True)["undo"] == 2
    assert sio.emit("undo", {"eid": "u"}, callback=True)["win"] == "c"
    assert sio.emit("undo", {"eid": "u"}, callback=True)["win"] == "b"
    assert sio.emit("undo", {"eid": "u"}, callback=True)["status"] == 404
    assert not os.path.exists(stack_file)  # removed once empty
    sio.disconnect()


def test_deleting_an_env_drops_its_undo_stack(sockets, plot, post, env_path):
    plot("L", eid="gone")
    post("/close", {"eid": "gone", "win": "L"})
    assert os.path.exists(os.path.join(env_path, ".undo", "gone.json"))
    post("/delete_env", {"eid": "gone"})
    assert not os.path.exists(os.path.join(env_path, ".undo", "gone.json"))


# -- update_plot_layout ------------------------------------------------------------------


def test_update_plot_layout_keeps_drawn_shapes(sockets, plot, store):
    plot("L")
    browser = joined(sockets, "main")
    shapes = [{"type": "rect", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]
    ack = browser.emit(
        "update_plot_layout",
        {"eid": "main", "win": "L", "layout": {"shapes": shapes}},
        callback=True,
    )
    assert ack == {"ok": True}
    (message,) = received(browser, "window")
    assert message["window"]["content"]["layout"]["shapes"] == shapes
    assert message["window"]["content"]["layout"]["title"] == "loss"  # merged, not replaced
    assert message["window"]["version"] == 2
    assert store.window("main", "L")["content"]["layout"]["shapes"] == shapes


def test_update_plot_layout_goes_into_the_selected_frame_of_a_plot_history(sockets, post, store):
    frame = {"data": [{"x": [0], "y": [1], "type": "scatter"}], "layout": {}}
    post(
        "/events", {"eid": "main", "win": "H", "data": [{"type": "plot_history", "content": frame}]}
    )
    post(
        "/update", {"eid": "main", "win": "H", "data": [{"type": "plot_history", "content": frame}]}
    )
    sockets().emit(
        "update_plot_layout", {"eid": "main", "win": "H", "layout": {"shapes": [1]}}, callback=True
    )
    frames = store.window("main", "H")["content"]
    assert frames[1]["layout"] == {"shapes": [1]} and frames[0]["layout"] == {}


def test_update_plot_layout_refuses_non_plots(sockets, post):
    post("/events", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "x"}]})
    ack = sockets().emit(
        "update_plot_layout", {"eid": "main", "win": "T", "layout": {"shapes": []}}, callback=True
    )
    assert ack["field"] == "win" and ack["status"] == 400
    ack = sockets().emit(
        "update_plot_layout", {"eid": "main", "win": "T", "layout": 3}, callback=True
    )
    assert ack["field"] == "layout"


# -- save_all ------------------------------------------------------------------------------


def test_save_all_writes_every_env(sockets, plot, env_path):
    plot("L", eid="s1")
    plot("L", eid="s2")
    assert not os.path.exists(os.path.join(env_path, "s1.json"))
    ack = sockets().emit("save_all", {}, callback=True)
    assert ack["ok"] is True and {"s1", "s2"} <= set(ack["saved"])
    for eid in ("s1", "s2"):
        with open(os.path.join(env_path, eid + ".json"), encoding="utf-8") as f:
            assert "L" in json.load(f)["jsons"]


def test_save_all_is_refused_on_a_readonly_server(make_app):
    sio = socketio.test_client(make_app(READONLY=True))
    assert sio.emit("save_all", {}, callback=True)["status"] == 403
    sio.disconnect()


# -- SliderMoved and notifications ---------------------------------------------------------


def slider(eid="main"):
    return {"eid": eid, "target": "IH", "event_type": "SliderMoved", "index": 2, "pane_data": False}


def test_slider_moved_reaches_visdom_client_subscribers(sockets, post):
    img = {"src": "data:image/png;base64,AA==", "caption": "c"}
    post(
        "/events", {"eid": "main", "win": "IH", "data": [{"type": "image_history", "content": img}]}
    )
    subscriber = sockets()
    subscriber.emit("subscribe_events", {"eid": "main"}, callback=True)
    subscriber.get_received()
    assert sockets().emit("browser_event", slider(), callback=True) == {"ok": True}
    (event,) = received(subscriber, "event")
    assert event == slider()


def test_slider_moved_reaches_an_upstream_vis_socket_client(live_server):
    """A real /vis_socket websocket (as the upstream client opens it) gets the event."""
    import requests
    import socketio as sio_module

    server = live_server

    session = requests.Session()
    session.post(server.url + "/env/main", data=json.dumps({"eid": "main"}))
    img = {"src": "data:image/png;base64,AA==", "caption": "c"}
    body = {"eid": "main", "win": "IH", "data": [{"type": "image_history", "content": img}]}
    session.post(server.url + "/events", data=json.dumps(body))
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    ws = WebSocketClient.connect(
        server.url.replace("http", "ws") + "/vis_socket", headers={"Cookie": cookie}
    )
    try:
        assert json.loads(ws.receive(timeout=15))["command"] == "alive"

        browser = sio_module.Client()
        browser.connect(server.url, transports=["websocket"])
        assert browser.call("browser_event", slider(), timeout=15) == {"ok": True}
        browser.disconnect()
        event = json.loads(ws.receive(timeout=15))
        assert event["event_type"] == "SliderMoved" and event["index"] == 2
        assert event["target"] == "IH" and event["eid"] == "main"
    finally:
        ws.close()


def test_an_event_for_a_missing_window_sends_a_notification(sockets):
    browser = joined(sockets, "main")
    other = joined(sockets, "main")
    event = {"eid": "main", "target": "gone", "event_type": "Click"}
    ack = browser.emit("browser_event", event, callback=True)
    assert ack["status"] == 404 and ack["field"] == "win"
    (note,) = received(browser, "notification")
    assert note["level"] == "warning" and "gone" in note["message"] and note["eid"] == "main"
    assert received(other, "notification") == []  # only the sender gets the toast


def test_joining_an_unreadable_env_sends_a_notification(make_app, env_path):
    with open(os.path.join(env_path, "broken.json"), "w", encoding="utf-8") as f:
        f.write("{not json")
    sio = socketio.test_client(make_app())
    ack = sio.emit("join_env", {"eid": "broken"}, callback=True)
    assert ack["status"] == 409
    (note,) = received(sio, "notification")
    assert note["level"] == "error" and note["eid"] == "broken"
    sio.disconnect()


# -- compare: show all windows --------------------------------------------------------------


def test_compare_show_all_includes_every_window(sockets, plot, post, client):
    plot("L", eid="a")
    plot("L", eid="b")
    post("/events", {"eid": "b", "win": "T", "data": [{"type": "text", "content": "only b"}]})
    plain = sockets().emit("join_env", {"eids": ["a", "b"]}, callback=True)
    every = sockets().emit("join_env", {"eids": ["a", "b"], "show_all": True}, callback=True)
    plain_ids = {w["id"] for w in plain["windows"]}
    every_ids = {w["id"] for w in every["windows"]}
    assert plain_ids == {"L_compare", "window_compare_legend"}
    assert every_ids == plain_ids | {"a_env_L", "b_env_L", "b_env_T"}
    copies = {w["id"]: w for w in every["windows"]}
    assert copies["b_env_T"]["title"] == "[1] T" and copies["b_env_T"]["content"] == "only b"
    assert copies["a_env_L"]["title"] == "[0] loss"
    over_http = client.post("/compare/a+b", data=json.dumps({"show_all": True})).get_json()
    assert {w["id"] for w in over_http["windows"]} == every_ids
    assert {w["id"] for w in client.post("/compare/a+b", data="{}").get_json()["windows"]} == (
        plain_ids
    )


def test_undo_state_is_not_sent_to_other_envs(sockets, plot, post):
    plot("L", eid="x")
    elsewhere = joined(sockets, "main")
    post("/close", {"eid": "x", "win": "L"})
    assert received(elsewhere, "undo_state") == []
    assert threading.active_count() >= 1
