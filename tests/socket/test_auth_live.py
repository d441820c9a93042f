"""Real sockets against a real server: /vis_socket, Socket.IO, login cookies and origins."""

import hashlib
import json
import os
import subprocess
import sys
import time

import pytest
import requests
import socketio
import websocket

from tests.support.server import FAST_HASH, ROOT, ServerProcess


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


# -- sessions that end close the user's live connections --------------------------------


def _users_cli(srv, *args, password=None):
    env = dict(os.environ, **srv.extra_env)
    return subprocess.run(
        [sys.executable, "-m", "app", "users", *args],
        input=password,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def _open_both(srv, cookie):
    """A Socket.IO client and a raw /vis_socket channel, both signed in with `cookie`."""
    header = {"Cookie": f"user_password={cookie}"}
    client = _sio_connect(srv, headers=header)
    assert client is not None
    ws = websocket.create_connection(ws_url(srv), header=[f"Cookie: user_password={cookie}"])
    assert json.loads(ws.recv())["command"] == "alive"
    ws.raw_socket = ws.sock  # websocket-client drops (without closing) it when the peer closes
    return client, ws


def _close(*clients):
    for client in clients:
        if isinstance(client, websocket.WebSocket):
            try:
                client.close()
            except (websocket.WebSocketException, OSError):
                pass  # the server closed it already
            client.raw_socket.close()
            continue
        client.disconnect()
        if client.eio.http is not None:  # its HTTP session outlives a server-side disconnect
            client.eio.http.close()


def _closed_within(client, ws, seconds=5.0):
    deadline = time.monotonic() + seconds
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    ws.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        while True:
            if ws.recv() in ("", None):
                break
    except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
        pass
    return not client.connected and not ws.connected


def test_logout_closes_the_users_open_sockets(login_server):
    cookie = login_cookie(login_server)
    client, ws = _open_both(login_server, cookie)
    other = _sio_connect(
        login_server, headers={"Cookie": f"user_password={login_cookie(login_server)}"}
    )
    try:
        response = requests.post(
            login_server.url + "/logout", cookies={"user_password": cookie}, timeout=10
        )
        assert response.status_code < 400
        assert _closed_within(client, ws, seconds=2.0)
        assert other.connected  # another login of the same user goes on
    finally:
        _close(ws, client, other)


@pytest.mark.parametrize("change", ["passwd", "remove"])
def test_password_change_or_removal_elsewhere_closes_the_users_sockets(env_dir, tmp_path, change):
    env = {**FAST_HASH, "VISDOM_INSTANCE_PATH": str(tmp_path / "instance")}
    srv = ServerProcess(env_dir, ["-enable_login"], env=env)
    _users_cli(srv, "add", "bob", "--password-stdin", password="first\n")
    srv.start()
    try:
        digest = hashlib.sha256(b"first").hexdigest()
        response = requests.post(srv.url, json={"username": "bob", "password": digest}, timeout=10)
        assert response.status_code == 200
        client, ws = _open_both(srv, response.cookies["user_password"])
        try:
            if change == "passwd":
                _users_cli(srv, "passwd", "bob", "--password-stdin", password="second\n")
            else:
                _users_cli(srv, "remove", "bob")
            assert _closed_within(client, ws, seconds=5.0)
        finally:
            _close(ws, client)
    finally:
        srv.stop()
