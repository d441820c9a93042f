"""Fixtures for the Socket.IO tests: an app on temporary paths and socket test clients."""

import json

import pytest

from app.extensions import socketio


@pytest.fixture
def app(make_app):
    return make_app()


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
