"""Browser safety: cross-origin changes refused, security headers, the secret key, the users CLI."""

import json
import os
import stat
import subprocess
import sys

import pytest

from app.auth.headers import origin_allowed

FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
TEXT = {"eid": "main", "win": "T", "data": [{"content": "hi", "type": "text"}]}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("login", [False, True], ids=["login-off", "login-on"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost:9999"},  # same host, other port: another origin
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
    ids=["other-host", "other-port", "null", "sec-fetch-cross-site"],
)
def test_cross_origin_changes_are_refused(make_app, store, login, headers, error_of):
    app = make_app(**FAST, ENABLE_LOGIN=login)
    client = app.test_client()
    if login:
        app.extensions["visdom_auth"].users.add("ed", "pw-ed")
        client.post("/login", data={"username": "ed", "password": "pw-ed"})
    body = error_of(client.post("/events", data=json.dumps(TEXT), headers=headers), 403)
    assert body["field"] == "Origin"
    assert not app.extensions["visdom_store"].window_exists("main", "T")
    # A cross-origin login (login CSRF) is refused as well.
    assert client.post("/login", data={"username": "ed"}, headers=headers).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Origin": "http://LOCALHOST:80"}],
    ids=["no-origin", "same-origin", "same-origin-default-port"],
)
def test_same_origin_and_scripts_are_allowed(make_app, headers):
    client = make_app().test_client()
    assert client.post("/events", data=json.dumps(TEXT), headers=headers).status_code == 200


def test_cross_origin_reads_stay_allowed_but_websocket_upgrades_do_not(make_app):
    client = make_app().test_client()
    assert client.get("/healthz", headers={"Origin": "http://evil.example"}).status_code == 200
    upgrade = {
        "Origin": "http://evil.example",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    assert client.get("/vis_socket", headers=upgrade).status_code == 403


def test_allowed_origins_setting_admits_listed_origins(make_app):
    app = make_app(ALLOWED_ORIGINS="https://dash.example, https://other.example")
    client = app.test_client()
    ok = client.post("/events", data=json.dumps(TEXT), headers={"Origin": "https://dash.example"})
    assert ok.status_code == 200
    bad = client.post("/events", data=json.dumps(TEXT), headers={"Origin": "https://x.example"})
    assert bad.status_code == 403


@pytest.mark.parametrize(
    "origin,host,expected",
    [
        ("http://a:8097", "a:8097", True),
        ("https://a", "a:443", True),
        ("http://a:8097", "a:8098", False),
        ("http://a.evil", "a", False),
        ("file://", "a", False),
        (None, "a", True),
        ("http://a:1, http://a:1", "a:1", True),
        ("http://a:1, http://b:1", "a:1", False),
    ],
)
def test_origin_rule(origin, host, expected):
    assert origin_allowed(origin, host, {}) is expected


def test_security_headers_and_csp_without_inline_script(make_app):
    client = make_app().test_client()
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    page = response.get_data(as_text=True)
    # Every script tag on the page is external or a JSON data block (never executed).
    for chunk in page.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_secret_key_is_made_once_in_the_instance_folder(make_app, tmp_path):
    first = make_app(ENABLE_LOGIN=True)
    path = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert make_app(ENABLE_LOGIN=True).secret_key == first.secret_key
    rotated = make_app(ENABLE_LOGIN=True, FORCE_NEW_COOKIE=True)
    assert rotated.secret_key != first.secret_key
    assert path.read_text().strip() == rotated.secret_key
    given = make_app(ENABLE_LOGIN=True, FORCE_NEW_COOKIE=True, COOKIE="upstream-cookie-secret")
    assert given.secret_key == "upstream-cookie-secret"


def test_login_off_writes_no_secret(make_app, tmp_path):
    make_app()
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_users_cli_through_flask(make_app, tmp_path):
    app = make_app(**FAST)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "add", "ann", "--role", "viewer", "--password-stdin"], input="s3cret\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "add", "bob", "--password-stdin"], input="s3cret\n")
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "ann\tviewer" in listing and "bob\teditor" in listing
    path = tmp_path / "instance" / "users.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())["users"]
    assert "s3cret" not in path.read_text()
    assert stored["ann"]["password"] != stored["bob"]["password"]  # salted
    duplicate = runner.invoke(args=["users", "add", "ann", "--password-stdin"], input="x\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    token = runner.invoke(args=["users", "token", "add", "bob", "--label", "ci"]).output.strip()
    assert token.startswith("vt_")
    assert "ci" in runner.invoke(args=["users", "token", "list", "bob"]).output
    assert (
        runner.invoke(args=["users", "passwd", "ann", "--password-stdin"], input="n\n").exit_code
        == 0
    )
    assert runner.invoke(args=["users", "role", "ann", "editor"]).exit_code == 0
    assert runner.invoke(args=["users", "remove", "ann"]).exit_code == 0
    assert "ann" not in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "remove", "ann"]).exit_code != 0


def test_users_cli_through_python_m_app(tmp_path):
    env = dict(
        os.environ,
        VISDOM_INSTANCE_PATH=str(tmp_path / "inst"),
        VISDOM_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )
    run = [sys.executable, "-m", "app", "users"]
    added = subprocess.run(
        run + ["add", "cat", "--password-stdin"],
        input="pw\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(
        run + ["list"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0 and "cat\teditor" in listed.stdout
    assert (tmp_path / "inst" / "users.json").exists()
