"""Every way to start the server serves the same app with working websockets:
`python -m app` (gunicorn gthread), `-async_mode eventlet`, `gunicorn wsgi:app`,
and `flask --app wsgi run`."""

import json
import os
import subprocess
import sys

import pytest
import requests
import socketio

from tests.support.server import ROOT, ServerProcess, free_port
from tests.support.waiting import wait_for

PYBIN = os.path.dirname(sys.executable)


def check_server(url, root, transports=("websocket",), eid="smoke"):
    """A window posted over HTTP reaches a Socket.IO client in that env."""
    got = []
    sio = socketio.Client()
    sio.on("window", lambda data: got.append(data))
    sio.connect(root, transports=list(transports), socketio_path="socket.io")
    try:
        assert sio.transport() == transports[0]
        ack = sio.call("join_env", {"eid": eid})
        assert ack["exists"] is False and ack["windows"] == []
        requests.post(url + f"/env/{eid}", data=json.dumps({"eid": eid}), timeout=10)
        assert sio.call("join_env", {"eid": eid})["exists"] is True
        body = {"eid": eid, "win": "W", "data": [{"content": "hi", "type": "text"}]}
        assert requests.post(url + "/events", data=json.dumps(body), timeout=10).text == "W"
        assert wait_for(lambda: got, 5, "the window")[0]["window"]["content"] == "hi"
    finally:
        sio.disconnect()


@pytest.fixture
def run(tmp_path):
    """Start a server command on `port` (its env path under tmp_path); return its URL."""
    started = []

    def start(cmd, env=None, url_port=None):
        srv = ServerProcess(str(tmp_path / "envs"), command=cmd, env=env, port=url_port)
        started.append(srv)
        return srv.start(timeout=30).url

    (tmp_path / "envs").mkdir()
    yield start
    for srv in started:
        srv.stop()


def test_cli_threading(run):
    port = free_port()
    url = run([sys.executable, "-m", "app", "-port", str(port)], url_port=port)
    check_server(url, url)


def test_cli_eventlet(run):
    port = free_port()
    cmd = [sys.executable, "-m", "app", "-port", str(port), "-async_mode", "eventlet"]
    url = run(cmd, url_port=port)
    check_server(url, url)


def test_gunicorn_wsgi_app(run):
    port = free_port()
    cmd = [os.path.join(PYBIN, "gunicorn"), "-b", f"127.0.0.1:{port}", "wsgi:app"]
    url = run(cmd, url_port=port)
    check_server(url, url)


def test_flask_run(run):
    port = free_port()
    cmd = [os.path.join(PYBIN, "flask"), "--app", "wsgi", "run", "-p", str(port)]
    url = run(cmd, url_port=port)
    check_server(url, url, transports=("polling",), eid="smoke_polling")
    check_server(url, url)


def test_cli_help_lists_upstream_flags():
    out = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for flag in (
        "-port",
        "-hostname",
        "-base_url",
        "-env_path",
        "-logging_level",
        "-readonly",
        "-enable_login",
        "-force_new_cookie",
        "-bind_local",
        "-eager_data_loading",
        "-use_frontend_client_polling",
        "-async_mode",
    ):
        assert flag in out


def test_cli_rejects_unknown_logging_level(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "app", "-env_path", str(tmp_path), "-logging_level", "LOUD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode != 0 and "logging_level" in proc.stderr + proc.stdout
