"""The Socket.IO namespace (docs/socket-protocol.md): rooms, pushes, events, errors."""

import json

import pytest

from app.state import Store


def received(sio, name=None):
    """Drain a test client; return the payloads (of one event name if given)."""
    got = sio.get_received()
    return [(m["name"], m["args"][0]) for m in got if name is None or m["name"] == name]


def payloads(sio, name):
    return [args for _name, args in received(sio, name)]


def joined(sockets, eid, **kwargs):
    sio = sockets(**kwargs)
    ack = sio.emit("join_env", {"eid": eid}, callback=True)
    assert "error" not in ack, ack
    sio.get_received()
    return sio


# -- join_env ---------------------------------------------------------------------------


def test_join_env_acks_with_windows_and_layouts(sockets, plot, store):
    plot("second")
    plot("first")
    store.set_layout_item("main", "first", {"x": 1, "y": 2, "w": 3, "h": 4})
    ack = sockets().emit("join_env", {"eid": "main"}, callback=True)
    assert ack["eid"] == "main"
    assert [w["id"] for w in ack["windows"]] == ["second", "first"]
    assert ack["windows"][0] == store.window("main", "second")
    assert ack["reload"] == {"first": {"x": 1, "y": 2, "w": 3, "h": 4}}


def test_join_several_envs_acks_with_the_compare_view(sockets, plot, post):
    plot("wa", eid="a")
    plot("wb", eid="b")
    sio = sockets()
    ack = sio.emit("join_env", {"eids": ["a", "b"]}, callback=True)
    assert ack["eids"] == ["a", "b"]
    assert ack["windows"][-1]["id"] == "window_compare_legend"
    sio.get_received()
    # a compare view gets live pushes from every env in it
    plot("new", eid="b")
    assert [p["eid"] for p in payloads(sio, "window")] == ["b"]


def test_join_env_leaves_the_previous_env(sockets, plot):
    plot(eid="a")
    plot(eid="b")
    sio = joined(sockets, "a")
    sio.emit("join_env", {"eid": "b"}, callback=True)
    sio.get_received()
    plot("x", eid="a")
    assert payloads(sio, "window") == []
    plot("y", eid="b")
    assert [p["window"]["id"] for p in payloads(sio, "window")] == ["y"]


def test_leave_env_stops_pushes(sockets, plot):
    sio = joined(sockets, "main")
    assert sio.emit("leave_env", {"eid": "main"}, callback=True) == {"ok": True}
    plot()
    assert payloads(sio, "window") == []


# -- pushes after HTTP requests, room isolation -----------------------------------------


def test_events_push_window_to_the_env_only(sockets, plot, store):
    plot("seed", eid="other")  # both envs exist before anyone listens
    here = joined(sockets, "main")
    there = joined(sockets, "other")
    plot("L")
    got = received(here)
    assert [name for name, _ in got] == ["window"]
    assert got[0][1] == {"eid": "main", "window": store.window("main", "L"), "seq": 1}
    assert received(there) == []


def test_update_append_pushes_only_the_new_points(sockets, plot, post, store):
    plot("seed", eid="other")
    plot("L")
    here = joined(sockets, "main")
    there = joined(sockets, "other")
    response = post(
        "/update",
        {
            "eid": "main",
            "win": "L",
            "name": "a",
            "append": True,
            "data": [{"x": [2, 3], "y": [4, 5], "name": "a", "type": "scatter"}],
        },
    )
    assert response.get_data(as_text=True) == "L"
    got = received(here)
    assert [name for name, _ in got] == ["window_update"]
    delta = got[0][1]
    assert delta["kind"] == "append_traces"
    assert delta["eid"] == "main" and delta["win"] == "L"
    assert delta["traces"] == [{"index": 0, "x": [2, 3], "y": [4, 5]}]
    assert delta["contentID"] == store.window("main", "L")["contentID"]
    assert "content" not in delta  # never the whole window
    assert received(there) == []


def test_update_replace_pushes_the_full_window(sockets, plot, post, store):
    plot("L")
    here = joined(sockets, "main")
    post(
        "/update",
        {"eid": "main", "win": "L", "name": "a", "data": [{"x": [9], "y": [9], "name": "a"}]},
    )
    assert payloads(here, "window") == [
        {"eid": "main", "window": store.window("main", "L"), "seq": 2}
    ]


def test_text_append_pushes_the_text_delta(sockets, post):
    post("/events", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "a"}]})
    here = joined(sockets, "main")
    post("/update", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "b"}]})
    (delta,) = payloads(here, "window_update")
    assert delta["kind"] == "append_text" and delta["text"] == "<br>b"


def test_http_close_pushes_close_to_the_env(sockets, plot, post):
    plot("seed", eid="other")
    plot("L")
    here = joined(sockets, "main")
    there = joined(sockets, "other")
    post("/close", {"eid": "main", "win": "L"})
    assert payloads(here, "close") == [{"eid": "main", "win": "L", "wins": ["L"], "seq": 2}]
    assert received(there) == []


def test_new_env_is_announced_to_every_browser(sockets, plot):
    here = joined(sockets, "main")
    plot(eid="brand_new")
    (announce,) = payloads(here, "env_list")
    assert announce["envs"] == ["main", "brand_new"]


def test_a_bad_http_request_pushes_nothing(sockets, plot, post):
    plot("L")
    here = joined(sockets, "main")
    post("/update", {"eid": "main", "win": "L", "name": "a", "data": [{"x": 1, "y": [1]}]})
    post("/events", {"eid": "main", "win": "M", "data": []})
    assert received(here) == []


# -- close_window -----------------------------------------------------------------------


def test_close_window_tells_browsers_and_subscribers(sockets, plot, store):
    plot("seed", eid="other")
    plot("L")
    window = store.window("main", "L")
    browser = joined(sockets, "main")
    other_browser = joined(sockets, "other")
    subscriber = sockets()
    assert subscriber.emit("subscribe_events", {"eid": "main"}, callback=True)["ok"] is True
    other_subscriber = sockets()
    other_subscriber.emit("subscribe_events", {"eid": "other"}, callback=True)

    assert browser.emit("close_window", {"eid": "main", "win": "L"}, callback=True) == {"ok": True}
    [close] = payloads(browser, "close")
    assert close["win"] == "L" and close["wins"] == ["L"] and isinstance(close["seq"], int)
    (event,) = payloads(subscriber, "event")
    assert event["event_type"] == "close"
    assert event["target"] == "L" and event["eid"] == "main"
    assert event["pane_data"] == window
    assert received(other_browser) == []
    assert received(other_subscriber) == []
    assert not store.window_exists("main", "L")


# -- browser_event ----------------------------------------------------------------------


def test_browser_event_reaches_the_envs_subscribers_with_pane_data(sockets, plot, store):
    post_text = {"eid": "main", "win": "T", "data": [{"type": "text", "content": "x"}]}
    sockets().emit("join_env", {"eid": "main"}, callback=True)
    plot("seed", eid="other")
    browser = sockets()
    subscriber = sockets()
    subscriber.emit("subscribe_events", {"eid": "main"}, callback=True)
    other = sockets()
    other.emit("subscribe_events", {"eid": "other"}, callback=True)
    store.put_window("main", post_text)

    ack = browser.emit(
        "browser_event",
        {"eid": "main", "target": "T", "event_type": "KeyPress", "key": "a", "key_code": 65},
        callback=True,
    )
    assert ack == {"ok": True}
    (event,) = payloads(subscriber, "event")
    assert event["event_type"] == "KeyPress"
    assert event["key"] == "a" and event["key_code"] == 65
    assert event["target"] == "T" and event["eid"] == "main"
    assert event["pane_data"] == store.window("main", "T")
    assert received(other) == []


def test_browser_event_with_pane_data_false_keeps_it_false(sockets, store):
    store.put_window(
        "main", {"win": "E", "data": [{"type": "embeddings", "content": {"data": []}}]}
    )
    subscriber = sockets()
    subscriber.emit("subscribe_events", {"eid": "main"}, callback=True)
    sockets().emit(
        "browser_event",
        {
            "eid": "main",
            "target": "E",
            "event_type": "EntitySelected",
            "entityId": "Entity 1",
            "idx": 1,
            "pane_data": False,
        },
        callback=True,
    )
    (event,) = payloads(subscriber, "event")
    assert event["pane_data"] is False and event["entityId"] == "Entity 1"


def test_unsubscribe_stops_events(sockets, plot):
    plot("L")
    subscriber = sockets()
    subscriber.emit("subscribe_events", {"eid": "main"}, callback=True)
    assert subscriber.emit("unsubscribe_events", {"eid": "main"}, callback=True) == {"ok": True}
    sockets().emit(
        "browser_event", {"eid": "main", "target": "L", "event_type": "Click"}, callback=True
    )
    assert payloads(subscriber, "event") == []


def test_upstream_polling_clients_get_only_their_envs_events(app, sockets, plot):
    """The upstream client's channel (/vis_socket_wrap) gets events of the envs it used."""
    plot("L", eid="main")
    plot("L", eid="other")
    polls = {}
    for eid in ("main", "other"):
        http = app.test_client()  # its own cookie jar, like one training script
        assert http.post(f"/env/{eid}", data=json.dumps({"eid": eid})).status_code == 200
        sid = json.loads(http.post("/vis_socket_wrap", data='{"message_type": "init"}').data)["sid"]
        polls[eid] = (http, sid)

    def drain(eid):
        http, sid = polls[eid]
        body = json.dumps({"message_type": "query", "sid": sid})
        return [
            json.loads(m)
            for m in json.loads(http.post("/vis_socket_wrap", data=body).data)["messages"]
        ]

    for eid in polls:
        assert drain(eid) == [{"command": "alive", "data": "vis_alive"}]
    sockets().emit(
        "browser_event",
        {"eid": "main", "target": "L", "event_type": "KeyPress", "key": "q", "key_code": 81},
        callback=True,
    )
    (event,) = drain("main")
    assert event["target"] == "L" and event["eid"] == "main" and event["key"] == "q"
    assert event["pane_data"]["id"] == "L"
    assert drain("other") == []


# -- layout_item_update -----------------------------------------------------------------


def test_layout_item_update_is_persisted_and_sent_to_other_browsers(sockets, plot, store, env_path):
    plot("L")
    mover = joined(sockets, "main")
    watcher = joined(sockets, "main")
    item = {"x": 5, "y": 6, "w": 30, "h": 24, "moved": False, "static": False}
    ack = mover.emit(
        "layout_item_update", {"eid": "main", "win": "L", "layout": item}, callback=True
    )
    assert ack == {"ok": True}
    [moved] = payloads(watcher, "layout")
    assert moved == {"eid": "main", "win": "L", "layout": item, "seq": moved["seq"]}
    # The mover gets it too (same seq), so its sequence numbers have no gap.
    assert payloads(mover, "layout") == [moved]
    assert store.env_content("main")["reload"] == {"L": item}
    # in the journal at once, in the env file after a save
    assert Store(env_path).env_content("main")["reload"] == {"L": item}
    store.save(["main"])
    with open(f"{env_path}/main.json", encoding="utf-8") as f:
        assert json.load(f)["reload"] == {"L": item}


def test_pop_embeddings_pane_restores_the_previous_points(sockets, store, post):
    points = [{"name": "Entity 0", "idx": 0, "position": [0, 0]}]
    post(
        "/events",
        {"eid": "main", "win": "E", "data": [{"type": "embeddings", "content": {"data": points}}]},
    )
    post(
        "/update",
        {"eid": "main", "win": "E", "data": {"update_type": "RegionSelected", "points": []}},
    )
    browser = joined(sockets, "main")
    ack = browser.emit("pop_embeddings_pane", {"eid": "main", "win": "E"}, callback=True)
    assert ack == {"ok": True}
    (push,) = payloads(browser, "window")
    assert push["window"]["content"]["data"] == points
    assert store.window("main", "E")["content"]["has_previous"] is False


# -- bad payloads -----------------------------------------------------------------------

BAD_PAYLOADS = [
    ("join_env", "main", "payload"),
    ("join_env", {"eid": "../x"}, "eid"),
    ("join_env", {"eid": "..\\x"}, "eid"),
    ("join_env", {"eid": 5}, "eid"),
    ("join_env", {}, "eid"),
    ("join_env", {"eids": []}, "eids"),
    ("join_env", {"eids": "a+b"}, "eids"),
    ("join_env", {"eids": ["main", "../x"]}, "eids"),
    ("leave_env", {"eid": None}, "eid"),
    ("subscribe_events", [1], "payload"),
    ("subscribe_events", {"eid": "../x"}, "eid"),
    ("browser_event", {"eid": "main", "event_type": "KeyPress"}, "target"),
    ("browser_event", {"eid": "main", "target": "L"}, "event_type"),
    ("browser_event", {"eid": "main", "target": "nope", "event_type": "Click"}, "win"),
    ("browser_event", {"eid": "ghost", "target": "L", "event_type": "Click"}, "eid"),
    ("browser_event", {"target": "L", "event_type": "Click"}, "eid"),
    ("close_window", {"eid": "main", "win": None}, "win"),
    ("close_window", {"eid": "main", "win": ["L"]}, "win"),
    ("close_window", {"eid": "ghost", "win": "L"}, "eid"),
    ("layout_item_update", {"eid": "main", "win": "L", "layout": "big"}, "layout"),
    ("layout_item_update", {"eid": "main", "win": 3, "layout": {}}, "win"),
    ("layout_item_update", {"eid": "ghost", "win": "L", "layout": {}}, "eid"),
    ("pop_embeddings_pane", {"eid": "main", "win": "L"}, "win"),
]


@pytest.mark.parametrize(
    "event, payload, field",
    BAD_PAYLOADS,
    ids=[f"{e}-{i}" for i, (e, *_) in enumerate(BAD_PAYLOADS)],
)
def test_bad_payload_gets_an_error_ack_and_the_connection_stays_usable(
    sockets, plot, store, event, payload, field
):
    plot("L")
    before = store.env_content("main")
    envs = store.env_ids()
    sio = sockets()
    ack = sio.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("error"), str), ack
    assert ack["field"] == field
    assert ack["status"] < 500
    assert sio.is_connected()
    assert store.env_content("main") == before
    assert store.env_ids() == envs
    # still usable
    ok = sio.emit("join_env", {"eid": "main"}, callback=True)
    assert [w["id"] for w in ok["windows"]] == ["L"]


def test_all_null_append_pushes_nothing(sockets, plot, post, store):
    plot("L")
    here = joined(sockets, "main")
    body = {
        "eid": "main",
        "win": "L",
        "name": "a",
        "append": True,
        "data": [{"x": [None], "y": [None], "name": "a", "type": "scatter"}],
    }
    assert post("/update", body).get_data(as_text=True) == "L"
    assert received(here) == []
    assert store.window("main", "L")["content"]["data"][0]["x"] == [0, 1]


def test_join_env_of_a_missing_env_gets_its_windows_once_created(sockets, post):
    sio = sockets()
    ack = sio.emit("join_env", {"eid": "later"}, callback=True)
    assert ack == {
        "eid": "later",
        "windows": [],
        "reload": {},
        "exists": False,
        "seq": 0,
        "undo": 0,
    }
    body = {"eid": "later", "win": "T", "data": [{"content": "hi", "type": "text"}]}
    assert post("/events", body).get_data(as_text=True) == "T"
    pushed = [
        args[0]
        for name, args in ((m["name"], m["args"]) for m in sio.get_received())
        if name == "window"
    ]
    assert pushed and pushed[0]["window"]["content"] == "hi"


# -- the WSGI stack -----------------------------------------------------------------------


def test_only_socketio_requests_go_through_its_middleware(app, client):
    """Flask-SocketIO's middleware costs every request it sees (an environ copy, a class
    made per call under gunicorn): app/sockets SocketIOPath hands it Socket.IO's only."""
    from app.sockets import SocketIOPath

    outer = app.wsgi_app
    assert isinstance(outer, SocketIOPath) and outer.path == "/socket.io/"
    seen = []
    middleware = outer.middleware

    def counting(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return middleware(environ, start_response)

    outer.middleware = counting
    try:
        assert client.get("/healthz").status_code == 200
        assert client.post("/env_state", data="{}").status_code == 200
        polled = client.get("/socket.io/?EIO=4&transport=polling")
    finally:
        outer.middleware = middleware
    assert seen == ["/socket.io/"]
    assert polled.status_code == 200 and polled.get_data(as_text=True).startswith("0{")
