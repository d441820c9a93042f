"""The OpenAPI document: every route is in it, it is valid OpenAPI 3.1, the server serves
it (to anyone), its version is the server's, and docs/api.md is its current rendering."""

import re
import subprocess
import sys

import pytest
from openapi_spec_validator import validate

from app.api_spec import METHODS, build_spec
from app.version import __version__

# Routes the document leaves out, each with its reason.
EXCLUDED = {
    "static": "static files (CSS, JS, images) under /static/, not an API",
    "vis_socket.vis_socket": "a websocket (the upstream client's event channel); "
    "OpenAPI describes request/response, docs/socket-protocol.md describes its frames",
}
# The catch-all POST /<path> is upstream's login on any unknown path: documented once, as POST /.
EXCLUDED_RULES = {"/<path:_path>": "an alias of POST / (upstream's login on any unknown path)"}
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def _spec_path(rule, base):
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule[len(base) :] or "/")


def _routes(app):
    base = app.config["BASE_URL"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXCLUDED or rule.rule[len(base) :] in EXCLUDED_RULES:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield _spec_path(rule.rule, base), method.lower(), rule.endpoint


@pytest.mark.parametrize("base", ["", "/visdom"])
def test_every_route_is_in_the_spec_and_nothing_else(make_app, base):
    app = make_app(BASE_URL=base)
    spec = build_spec(base)
    routes = set(_routes(app))
    assert len(routes) >= 35
    missing = [
        (path, method, endpoint)
        for path, method, endpoint in routes
        if spec["paths"].get(path, {}).get(method, {}).get("x-endpoint") != endpoint
    ]
    assert not missing, f"routes missing from app/api_spec: {missing}"
    documented = {
        (path, method, op["x-endpoint"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }
    assert documented == routes, f"operations with no route: {documented - routes}"
    # The exclusions are real routes (a renamed endpoint must not leave a stale reason).
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(EXCLUDED) <= endpoints


@pytest.mark.parametrize("login", [False, True])
@pytest.mark.parametrize("base", ["", "/visdom"])
def test_the_document_is_valid_openapi_3_1(base, login):
    spec = build_spec(base, login)
    validate(spec)  # raises on any violation of the OpenAPI 3.1 schema
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": base or "/"}]
    ids = [item[m]["operationId"] for item in spec["paths"].values() for m in METHODS if m in item]
    assert len(ids) == len(set(ids)) >= 35


def test_an_invalid_document_is_caught():
    spec = build_spec()
    spec["paths"]["/events"]["post"]["responses"] = {"200": {"content": {}}}  # no description
    with pytest.raises(Exception, match="description"):
        validate(spec)


@pytest.mark.parametrize("base", ["", "/visdom"])
def test_the_server_serves_it_with_its_version(make_app, base):
    response = make_app(BASE_URL=base).test_client().get(base + "/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    served = response.get_json()
    assert served == build_spec(base)
    assert served["info"]["version"] == __version__
    assert "securitySchemes" not in served["components"]  # login off: nothing asked


def test_with_login_on_it_is_public_and_names_the_login(make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True, BASE_URL="/v")
    client = app.test_client()
    response = client.get("/v/api/openapi.json")  # anonymous
    assert response.status_code == 200
    spec = response.get_json()
    assert spec == build_spec("/v", login=True)
    assert set(spec["components"]["securitySchemes"]) == {"session", "loginCookie", "token"}
    assert spec["components"]["securitySchemes"]["loginCookie"]["name"] == "user_password"
    events = spec["paths"]["/events"]["post"]
    assert "401" in events["responses"] and "security" not in events  # the global one
    assert spec["paths"]["/health"]["get"]["security"] == []
    # The rest of /api is still behind the gate.
    assert client.get("/v/api/views").status_code == 401


def test_operations_answer_their_documented_refusal_shape(make_app):
    """A refusal documented as Error really is one (spot check through the test client)."""
    client = make_app().test_client()
    response = client.post("/events", data='{"eid": "main", "data": [5]}')
    body = response.get_json()
    assert response.status_code == 400
    assert set(body) == {"error", "status", "field"} and body["field"] == "data"


def test_docs_api_md_is_current():
    result = subprocess.run(
        [sys.executable, "scripts/openapi_md.py", "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_check_fails_on_a_stale_page(tmp_path):
    page = tmp_path / "api.md"
    page.write_text("# HTTP API reference\n\nstale\n", encoding="utf-8")
    cmd = [sys.executable, "scripts/openapi_md.py", "--check", "--output", str(page)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 1 and "out of date" in result.stderr
    subprocess.run(cmd[:2] + ["--output", str(page)], check=True)
    text = page.read_text(encoding="utf-8")
    assert "### `POST /events`" in text and "### `GET /api/openapi.json`" in text
    assert subprocess.run(cmd, capture_output=True).returncode == 0


def _example(path):
    return re.sub(r"\{(\w+)\}", lambda m: "w" if m.group(1) == "win" else "main", path)


def test_wrong_methods_answer_405_never_5xx(make_app):
    """Every documented path, with every method it does not take: 405 naming the allowed
    ones, except POST, which any unknown path takes as upstream's login (400 here)."""
    client = make_app().test_client()
    spec = build_spec()
    tried = 0
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                continue
            response = client.open(_example(path), method=method.upper(), data="{}")
            tried += 1
            assert response.status_code < 500, (method, path, response.status_code)
            body = response.get_json()
            assert body["error"] and body["status"] == response.status_code
            if method == "post":
                assert response.status_code in (400, 405), (path, response.status_code)
            else:
                assert response.status_code == 405, (method, path, response.status_code)
                assert response.headers["Allow"]
    assert tried > 100
