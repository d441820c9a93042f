"""Every door checked: with login on, every route but the allow-list refuses an anonymous caller."""

import re

import pytest

from app.auth.gate import PUBLIC_ENDPOINTS

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# A cheap password hash: the default (scrypt) costs ~0.3 s per check.
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def _example_path(rule):
    """Fill the rule's variables with plausible values ("main" for env ids)."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "main", rule.rule)


def _doors(app):
    """Every (path, method, endpoint) the url_map serves, except the public allow-list."""
    doors = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint not in PUBLIC_ENDPOINTS:
                doors.append((_example_path(rule), method, rule.endpoint))
    return doors


@pytest.fixture(params=["", "/visdom"], ids=["root", "sub-path"])
def login_app(request, make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True, BASE_URL=request.param)
    app.extensions["visdom_auth"].users.add("ed", "pw-ed", "editor")
    return app


def test_every_route_refuses_an_anonymous_caller(login_app):
    client = login_app.test_client()
    doors = _doors(login_app)
    endpoints = {endpoint for _, _, endpoint in doors}
    # The enumeration really covers the API, the pages and the upstream socket routes.
    assert {"plotting.events", "envs.delete_env", "pages.index", "vis_socket.vis_socket"} <= (
        endpoints
    )
    assert len(doors) >= 20
    for path, method, endpoint in doors:
        response = client.open(path, method=method, data="{}")
        assert response.status_code in (401, 403), (method, path, endpoint, response.status_code)
        assert response.get_json()["error"], (method, path)


def test_websocket_upgrade_to_vis_socket_is_refused_anonymously(login_app):
    base = login_app.config["BASE_URL"]
    response = login_app.test_client().get(
        base + "/vis_socket",
        headers={"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"},
    )
    assert response.status_code == 401


def test_browser_pages_redirect_to_the_login_page(login_app):
    base = login_app.config["BASE_URL"]
    client = login_app.test_client()
    accept = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for path in (base + "/", base + "/env/main", base + "/compare/a+b", base + "/no/such/page"):
        response = client.get(path, headers=accept)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith(base + "/login?next=" + base + "/")
    # A script asking for anything (Accept: */*) gets a 401, not a page.
    assert client.get(base + "/", headers={"Accept": "*/*"}).status_code == 401


def test_unknown_get_paths_are_refused_too(login_app):
    base = login_app.config["BASE_URL"]
    response = login_app.test_client().get(base + "/whatever/else")
    assert response.status_code == 401


def test_public_doors_stay_open(login_app):
    base = login_app.config["BASE_URL"]
    client = login_app.test_client()
    assert client.get(base + "/healthz").status_code == 200
    assert client.get(base + "/login").status_code == 200
    with client.get(base + "/static/css/login.css") as response:
        assert response.status_code == 200
    assert client.get(base + "/logout").status_code == 302


def test_every_route_opens_for_a_signed_in_editor(login_app):
    base = login_app.config["BASE_URL"]
    client = login_app.test_client()
    response = client.post(base + "/login", data={"username": "ed", "password": "pw-ed"})
    assert response.status_code == 303
    for path, method, endpoint in _doors(login_app):
        if endpoint == "vis_socket.vis_socket":
            continue  # a websocket route; tested with a real socket in tests/socket
        with client.open(path, method=method, data="{}") as response:
            assert response.status_code not in (401, 403), (method, path, response.status_code)


def test_login_off_leaves_every_route_open(make_app):
    client = make_app().test_client()
    assert (
        client.post(
            "/events",
            data='{"eid": "main", "win": "T", "data": [{"content": "x", "type": "text"}]}',
        ).status_code
        == 200
    )
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/login").status_code == 302  # nothing to sign in to
