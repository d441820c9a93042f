"""The in-process app fixtures of the HTTP API, Socket.IO and fuzz tests.

Not a plugin: a folder's conftest imports the fixtures it wants (tests/api, tests/socket
take app, client, store, post and plot; tests/api and tests/fuzz take the autouse
no_developer_settings), so they stay out of the folders that do not.
"""

import json

import pytest


@pytest.fixture(autouse=True)
def no_developer_settings(clean_environ):
    """Keep the developer's VISDOM_* variables out of the tests (autouse where imported)."""


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["visdom_store"]


@pytest.fixture
def post(client):
    """POST a body as raw text with no JSON content type, like the upstream client."""

    def send(path, body=None, **kwargs):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        return client.post(path, data=data, **kwargs)

    return send


@pytest.fixture
def plot(post):
    """Create a line plot window; return its id."""

    def make(win="L", eid="main", names=("a",), title="loss"):
        traces = [
            {"x": [0, 1], "y": [1, 2], "name": n, "type": "scatter", "mode": "lines"} for n in names
        ]
        body = {
            "eid": eid,
            "win": win,
            "data": traces,
            "layout": {"title": title},
            "opts": {"title": title},
        }
        response = post("/events", body)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True)

    return make
