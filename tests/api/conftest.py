"""Fixtures for the HTTP API tests: an app on temporary paths and a raw-JSON poster."""

import json
import os

import pytest


@pytest.fixture(autouse=True)
def _no_developer_settings(clean_environ):
    """Keep the developer's VISDOM_* variables out of the tests."""


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


def files_under(path):
    """Return {relative path: bytes} for every file under path."""
    found = {}
    for root, _dirs, names in os.walk(path):
        for name in names:
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                found[os.path.relpath(full, path)] = f.read()
    return found


@pytest.fixture
def snapshot(store, tmp_path):
    """Return everything stored: env ids, windows, layouts, views, and every file."""

    def take():
        envs = {}
        for eid in store.env_ids():
            try:
                envs[eid] = store.env_content(eid)
            except ValueError as exc:  # an unreadable env file: its status is the content
                envs[eid] = str(exc)
        return {
            "envs": envs,
            "order": store.env_ids(),
            "views": store.views(),
            "files": files_under(str(tmp_path)),
        }

    return take


def _error_of(response, status=None, field=None):
    """Assert a JSON error response (never a 500) and return its body."""
    assert response.status_code < 500, response.get_data(as_text=True)
    assert 400 <= response.status_code
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)
    body = json.loads(response.get_data(as_text=True))
    assert isinstance(body["error"], str) and body["error"]
    assert body["status"] == response.status_code
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.fixture
def error_of():
    """The JSON error checker: error_of(response, status=None, field=None) -> body."""
    return _error_of


@pytest.fixture
def strict():
    """Parse a 200 answer as strict JSON: strict(response) -> body (a NaN or Infinity
    token fails the test; browsers read these answers)."""

    def parse(response):
        text = response.get_data(as_text=True)
        assert response.status_code == 200, text
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))

    return parse
