"""Random and garbled requests to every HTTP route of the url_map: never a 5xx, the server
stays healthy, and a restart reloads every env it listed with the same windows."""

import re
from urllib.parse import unquote

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from . import strategies as fz
from .helpers import (
    budget,
    check_healthy,
    check_response,
    check_restart_keeps,
    close_everything,
    describe,
    register_api_endpoints,
)

NO_SHRINK = [Phase.explicit, Phase.generate]
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
VARIABLE = re.compile(r"<(?:([a-z]+):)?([a-z_]+)>")
SKIPPED = {"vis_socket.vis_socket"}  # a websocket: fuzzed through its polling twin below


def doors(app):
    """Every (rule, method) the app serves: a new route is fuzzed without being listed."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule, method))
    return found


@st.composite
def request_for(draw, rule, method):
    """A path for the rule (variables filled with junk or known env ids) and a body."""

    def fill(match):
        return draw(fz.path_value(match.group(2)))

    path = VARIABLE.sub(fill, rule.rule)
    valid = fz.HTTP_BODIES.get(rule.endpoint, st.just({}))
    if rule.endpoint == "auth.login" and method == "POST":
        form = draw(
            st.fixed_dictionaries(
                {"username": st.sampled_from(["ed", "x"]), "password": st.text(max_size=6)}
            )
        )
        return path, form, None
    body = draw(fz.http_body(valid)) if method != "GET" or draw(st.booleans()) else b""
    return path, body, draw(fz.CONTENT_TYPES)


def matched_endpoint(app, path, method):
    """The endpoint the path really reaches (junk in a URL variable may match no rule)."""
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(unquote(path), method=method)[0]
    except HTTPException:
        return None


def seed(client, headers=None):
    """Windows of every kind for the valid-looking requests to hit."""
    for eid in fz.EIDS:
        for win, body in SEEDS.items():
            response = client.post("/events", json=dict(body, eid=eid, win=win), headers=headers)
            assert response.status_code == 200, response.get_data()


IMAGE = {"src": "data:,", "caption": "c"}
SEEDS = {
    "L": {
        "data": [{"x": [0, 1], "y": [1, 2], "name": "a", "type": "scatter"}],
        "opts": {"title": "loss"},
    },
    "S": {"data": [{"x": [0], "y": [1], "name": "b", "type": "scattergl"}], "layout": {}},
    "H": {"data": [{"z": [[1, 2], [3, 4]], "type": "heatmap"}], "layout": {}},
    "T": {"data": [{"content": "hello", "type": "text"}]},
    "I": {"data": [{"content": IMAGE, "type": "image"}]},
    "IH": {"data": [{"content": IMAGE, "type": "image_history"}]},
    "P": {
        "data": [{"content": [{"type": "number", "name": "n", "value": 1}], "type": "properties"}]
    },
    "N": {"data": [{"content": {"nodes": [], "edges": []}, "type": "network"}]},
    "E": {"data": [{"content": {"data": [{"position": [0, 1]}]}, "type": "embeddings"}]},
}


def fuzz_every_door(app, client, data, headers, failures, rounds=1):
    """Send one drawn request to every door of the app; collect the answers that fail."""
    for rule, method in doors(app):
        if rule.endpoint in SKIPPED:
            continue
        for _ in range(rounds):
            path, body, content_type = data.draw(request_for(rule, method), label=rule.endpoint)
            send_headers = dict(headers or {})
            if headers and data.draw(st.integers(0, 9), label="anonymous") == 0:
                send_headers = {}
            kwargs = {"headers": send_headers}
            if isinstance(body, dict):
                kwargs["data"] = body
            else:
                kwargs.update(data=body, content_type=content_type)
            endpoint = matched_endpoint(app, path, method)
            with client.open(path, method=method, **kwargs) as response:
                try:
                    check_response(response, endpoint, describe(method, path, body))
                except AssertionError as exc:
                    failures.append(str(exc))


def test_the_door_list_covers_the_api(make_app):
    app = make_app()
    endpoints = {rule.endpoint for rule, _ in doors(app)}
    assert set(fz.HTTP_BODIES) - {"auth.upstream_login"} <= endpoints
    assert len(endpoints) >= 25
    # Every POST endpoint but sign-in/out has valid-looking bodies to mutate.
    posts = {rule.endpoint for rule, method in doors(app) if method == "POST"}
    assert posts - set(fz.HTTP_BODIES) <= {"auth.login", "auth.logout"}, posts


@pytest.mark.parametrize("login", [False, True], ids=["open", "login"])
def test_junk_to_every_route_never_breaks_the_server(make_app, restart, login):
    settings_ = dict(FAST, ENABLE_LOGIN=True) if login else {}
    app = make_app(**settings_)
    register_api_endpoints(app)
    headers = None
    if login:
        users = app.extensions["visdom_auth"].users
        users.add("ed", "pw-ed", "editor")
        headers = {"Authorization": "Bearer " + users.create_token("ed", "fuzz")}
    client = app.test_client()
    seed(client, headers)

    # The app lives across examples (junk after junk), so a failure depends on what came
    # before it: failures are collected with their request rather than shrunk.
    failures = []

    @settings(max_examples=budget(15 if login else 60), phases=NO_SHRINK)
    @given(st.data())
    def fuzz(data):
        fuzz_every_door(app, client, data, headers, failures)

    fuzz()
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:20])
    before = check_healthy(client, headers)
    app = restart(app)
    client = app.test_client()
    check_restart_keeps(before, client, headers)
    check_healthy(client, headers, tag="after")
    close_everything(client, headers)
