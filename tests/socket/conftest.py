"""Fixtures for the Socket.IO tests: the in-process app fixtures (app, client, store, post,
plot from tests/support/app_fixtures.py) and Socket.IO test clients on that app."""

import pytest

from app.extensions import socketio
from tests.support.app_fixtures import app, client, plot, post, store  # noqa: F401 - fixtures


@pytest.fixture
def sockets(app, client):  # noqa: F811 - the imported fixtures, requested
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
