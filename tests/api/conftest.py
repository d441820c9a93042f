"""Fixtures for the HTTP API tests: the in-process app fixtures (tests/support/app_fixtures.py),
and what only these tests use: a snapshot of everything stored, the JSON error checker."""

import json
import os

import pytest

from tests.support.app_fixtures import (  # noqa: F401 - fixtures, shared with tests/socket
    app,
    client,
    no_developer_settings,
    plot,
    post,
    store,
)


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
def snapshot(store, tmp_path):  # noqa: F811 - the imported fixture, requested
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
