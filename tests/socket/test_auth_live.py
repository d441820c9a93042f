"""Real sockets against a real server: /vis_socket, Socket.IO, login cookies and origins."""

import hashlib
import json

import pytest
import requests
import socketio
import websocket


def login_cookie(srv):
    password = hashlib.sha256(b"s3cret").hexdigest()
    response = requests.post(srv.url, json={"username": "alice", "password": password}, timeout=10)
    assert response.status_code == 200
    return response.cookies["user_password"]


def ws_url(srv):
    return srv.url.replace("http://", "ws://") + "/vis_socket"


def test_vis_socket_refuses_a_caller_without_the_login_cookie(login_server):
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(ws_url(login_server), timeout=10)
    assert info.value.status_code == 401


def test_vis_socket_accepts_the_login_cookie(login_server):
    cookie = login_cookie(login_server)
    ws = websocket.create_connection(
        ws_url(login_server), header=[f"Cookie: user_password={cookie}"], timeout=10
    )
    try:
        assert json.loads(ws.recv()) == {"command": "alive", "data": "vis_alive"}
    finally:
        ws.close()


def test_vis_socket_refuses_a_foreign_origin_even_with_the_cookie(login_server):
    cookie = login_cookie(login_server)
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(
            ws_url(login_server),
            header=[f"Cookie: user_password={cookie}"],
            origin="http://evil.example",
            timeout=10,
        )
    assert info.value.status_code == 403


def test_vis_socket_polling_needs_login_and_works_with_it(login_server):
    url = login_server.url + "/vis_socket_wrap"
    assert requests.post(url, json={"message_type": "init"}, timeout=10).status_code == 401
    cookies = {"user_password": login_cookie(login_server)}
    opened = requests.post(url, json={"message_type": "init"}, cookies=cookies, timeout=10)
    assert opened.status_code == 200 and opened.json()["success"] is True


def _sio_connect(srv, **kwargs):
    client = socketio.Client(reconnection=False)
    try:
        client.connect(srv.url, transports=["polling"], wait_timeout=10, **kwargs)
    except socketio.exceptions.ConnectionError:
        return None
    return client


def test_socketio_needs_a_login(login_server):
    assert _sio_connect(login_server) is None
    cookie = login_cookie(login_server)
    client = _sio_connect(login_server, headers={"Cookie": f"user_password={cookie}"})
    assert client is not None
    try:
        ack = client.call("join_env", {"eid": "main"}, timeout=10)
        assert ack["eid"] == "main"
    finally:
        client.disconnect()


def test_socketio_refuses_a_foreign_origin(live_server):
    assert _sio_connect(live_server, headers={"Origin": "http://evil.example"}) is None
    client = _sio_connect(live_server, headers={"Origin": live_server.root})
    assert client is not None
    client.disconnect()
