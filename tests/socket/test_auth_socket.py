"""Socket.IO with login: who may connect, and who may change things over the socket."""

import hashlib
import json

import pytest

from app.extensions import socketio

FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
TEXT = {"eid": "main", "win": "T", "data": [{"content": "hi", "type": "text"}]}


@pytest.fixture
def make_user_app(make_app):
    """make_app with a fast password hash and, with login on, the accounts ed (editor) and
    vi (viewer)."""

    def make(**settings):
        app = make_app(**{**FAST, **settings})
        if app.config["ENABLE_LOGIN"]:
            users = app.extensions["visdom_auth"].users
            users.add("ed", "pw-ed", "editor")
            users.add("vi", "pw-vi", "viewer")
        return app

    return make


def connect(app, user=None, **kwargs):
    """Return (http client, socket client); sign in through the login page if `user`."""
    client = app.test_client()
    if user:
        response = client.post("/login", data={"username": user, "password": f"pw-{user[:2]}"})
        assert response.status_code == 303
    client.post("/events", data=json.dumps(TEXT))  # a window to act on (editors only)
    return client, socketio.test_client(app, flask_test_client=client, **kwargs)


def test_anonymous_socket_is_refused_when_login_is_on(make_user_app):
    _, sock = connect(make_user_app(ENABLE_LOGIN=True))
    assert not sock.is_connected()


def test_anonymous_socket_is_accepted_when_login_is_off(make_user_app):
    _, sock = connect(make_user_app())
    assert sock.is_connected()
    assert sock.emit("close_window", {"eid": "main", "win": "T"}, callback=True) == {"ok": True}


def test_signed_in_editor_may_join_and_close(make_user_app):
    _, sock = connect(make_user_app(ENABLE_LOGIN=True), "ed")
    assert sock.is_connected()
    joined = sock.emit("join_env", {"eid": "main"}, callback=True)
    assert [w["id"] for w in joined["windows"]] == ["T"]
    assert sock.emit("close_window", {"eid": "main", "win": "T"}, callback=True) == {"ok": True}


def test_viewer_may_join_and_subscribe_but_not_change(make_user_app):
    app = make_user_app(ENABLE_LOGIN=True)
    editor, _ = connect(app, "ed")  # creates window T
    _, sock = connect(app, "vi")
    assert sock.is_connected()
    assert sock.emit("join_env", {"eid": "main"}, callback=True)["windows"]
    assert sock.emit("subscribe_events", {"eid": "main"}, callback=True)["ok"] is True
    refused = [
        ("close_window", {"eid": "main", "win": "T"}),
        ("browser_event", {"eid": "main", "target": "T", "event_type": "KeyPress", "key": "a"}),
        ("layout_item_update", {"eid": "main", "win": "T", "layout": {"x": 0, "y": 0}}),
        ("pop_embeddings_pane", {"eid": "main", "win": "T"}),
    ]
    for event, payload in refused:
        ack = sock.emit(event, payload, callback=True)
        assert ack.get("status") == 403, (event, ack)
    assert app.extensions["visdom_store"].window_exists("main", "T")


def test_api_token_in_the_connect_auth_lasts_for_the_connection(make_user_app):
    app = make_user_app(ENABLE_LOGIN=True)
    token = app.extensions["visdom_auth"].users.create_token("ed")
    editor, _ = connect(app, "ed")
    sock = socketio.test_client(app, auth={"token": token})
    assert sock.is_connected()
    # Later events of this connection still know the user (the token was sent only once).
    assert sock.emit("close_window", {"eid": "main", "win": "T"}, callback=True) == {"ok": True}
    bad = socketio.test_client(app, auth={"token": token + "x"})
    assert not bad.is_connected()
    viewer_token = app.extensions["visdom_auth"].users.create_token("vi")
    viewer = socketio.test_client(app, auth={"token": viewer_token})
    assert viewer.is_connected()
    ack = viewer.emit("close_window", {"eid": "main", "win": "T"}, callback=True)
    assert ack.get("status") == 403


def test_upstream_login_cookie_opens_the_socket(make_user_app):
    app = make_user_app(ENABLE_LOGIN=True)
    client = app.test_client()
    password = hashlib.sha256(b"pw-ed").hexdigest()
    assert client.post("/", json={"username": "ed", "password": password}).status_code == 200
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()


def test_readonly_refuses_socket_changes_for_editors(make_user_app):
    app = make_user_app(ENABLE_LOGIN=True, READONLY=True)
    _, sock = connect(app, "ed")
    assert sock.is_connected()
    for event, payload in [
        ("close_window", {"eid": "main", "win": "T"}),
        ("browser_event", {"eid": "main", "target": "T", "event_type": "KeyPress", "key": "a"}),
    ]:
        assert sock.emit(event, payload, callback=True).get("status") == 403


def test_readonly_refuses_socket_changes_with_login_off(make_user_app):
    _, sock = connect(make_user_app(READONLY=True))
    ack = sock.emit("close_window", {"eid": "main", "win": "T"}, callback=True)
    assert ack.get("status") == 403
