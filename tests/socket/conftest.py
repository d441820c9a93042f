"""Fixtures for the Socket.IO tests: an app on temporary paths and socket test clients."""

import json
import os

import pytest

from app import create_app
from app.extensions import socketio


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch):
    for name in list(os.environ):
        if name.startswith("VISDOM_"):
            monkeypatch.delenv(name)


@pytest.fixture
def env_path(tmp_path):
    path = tmp_path / "envs"
    path.mkdir()
    return str(path)


@pytest.fixture
def app(tmp_path, env_path):
    app = create_app(
        {
            "TESTING": True,
            "ENV_PATH": env_path,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SAVE_INTERVAL": 3600,
        }
    )
    yield app
    app.extensions["visdom_store"].close()


@pytest.fixture
def store(app):
    return app.extensions["visdom_store"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def post(client):
    """POST raw JSON text (no JSON content type) through the shared HTTP client."""

    def send(path, body):
        return client.post(path, data=json.dumps(body))

    return send


@pytest.fixture
def sockets(app, client):
    """Open Socket.IO test clients; each shares the HTTP client's cookies."""
    opened = []

    def connect(flask_client=None):
        sio = socketio.test_client(app, flask_test_client=flask_client or client)
        assert sio.is_connected()
        opened.append(sio)
        return sio

    yield connect
    for sio in opened:
        if sio.is_connected():
            sio.disconnect()


@pytest.fixture
def plot(post):
    def make(win="L", eid="main", name="a"):
        body = {
            "eid": eid,
            "win": win,
            "data": [{"x": [0, 1], "y": [1, 2], "name": name, "type": "scatter"}],
            "layout": {"title": "loss"},
            "opts": {"title": "loss"},
        }
        response = post("/events", body)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return make
