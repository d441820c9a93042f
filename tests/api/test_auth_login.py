"""Login page, upstream's JSON login, logout, cookies, API tokens, roles and readonly."""

import hashlib
import json

import pytest

TEXT = {"eid": "main", "win": "T", "data": [{"content": "hi", "type": "text"}]}

# A cheap password hash: the default (scrypt) costs ~0.3 s per check.
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def login_app(make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True)
    users = app.extensions["visdom_auth"].users
    users.add("ed", "pw-ed", "editor")
    users.add("vi", "pw-vi", "viewer")
    return app


@pytest.fixture
def users(login_app):
    return login_app.extensions["visdom_auth"].users


def form_login(client, name, password, **extra):
    return client.post("/login", data={"username": name, "password": password, **extra})


def set_cookies(response):
    return response.headers.getlist("Set-Cookie")


def test_login_page_renders_a_form(login_app):
    response = login_app.test_client().get("/login?next=/env/x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="username"' in page and 'type="password"' in page
    assert 'value="/env/x"' in page
    assert "<script>" not in page  # no inline script (CSP)


def test_form_login_opens_the_pages_and_logout_closes_them(login_app):
    client = login_app.test_client()
    response = form_login(client, "ed", "pw-ed", next="/env/probe")
    assert response.status_code == 303
    assert response.headers["Location"] == "/env/probe"
    session_cookie = [c for c in set_cookies(response) if c.startswith("visdom_session=")]
    assert (
        session_cookie and "HttpOnly" in session_cookie[0] and "SameSite=Lax" in session_cookie[0]
    )
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert client.post("/events", data=json.dumps(TEXT)).status_code == 200
    assert client.get("/logout").headers["Location"] == "/login"
    assert client.post("/events", data=json.dumps(TEXT)).status_code == 401


def test_a_copied_session_cookie_is_dead_after_logout(login_app):
    client = login_app.test_client()
    form_login(client, "ed", "pw-ed")
    stolen = client.get_cookie("visdom_session").value
    client.get("/logout")
    thief = login_app.test_client()
    thief.set_cookie("visdom_session", stolen)
    assert thief.post("/env_state", data="{}").status_code == 401


@pytest.mark.parametrize("password", ["wrong", "", "pw-vi"])
def test_bad_form_login_is_refused(login_app, password):
    client = login_app.test_client()
    response = form_login(client, "ed", password)
    assert response.status_code == 401
    assert "invalid username or password" in response.get_data(as_text=True)
    assert client.post("/env_state", data="{}").status_code == 401


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil"]
)
def test_login_never_redirects_off_the_server(login_app, target):
    response = form_login(login_app.test_client(), "ed", "pw-ed", next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_upstream_json_login_sets_a_unique_signed_cookie(login_app):
    first = login_app.test_client()
    response = first.post("/", json={"username": "ed", "password": sha("pw-ed")})
    assert response.status_code == 200
    cookie = [c for c in set_cookies(response) if c.startswith("user_password=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here
    value = first.get_cookie("user_password").value
    assert sha("pw-ed") not in value and "pw-ed" not in value  # no password material
    second = login_app.test_client()
    second.post("/", json={"username": "ed", "password": sha("pw-ed")})
    assert second.get_cookie("user_password").value != value  # one value per login
    assert first.post("/events", data=json.dumps(TEXT)).status_code == 200


def test_upstream_json_login_also_works_on_any_unknown_path(login_app):
    client = login_app.test_client()
    response = client.post("/some/where", json={"username": "ed", "password": sha("pw-ed")})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"username": "ed", "password": sha("nope")},
        {"username": "nobody", "password": sha("pw-ed")},
        {"username": "ed"},
        ["ed", "pw"],
    ],
)
def test_upstream_json_login_failure_is_400(login_app, body, error_of):
    client = login_app.test_client()
    response = client.post("/", json=body)
    error_of(response, 400)
    assert client.get_cookie("user_password") is None


def test_json_login_when_login_is_off_is_a_clear_400(make_app, error_of):
    body = error_of(
        make_app().test_client().post("/", json={"username": "a", "password": "b"}), 400
    )
    assert "not enabled" in body["error"]


def test_forged_or_foreign_login_cookie_is_refused(login_app, make_app, tmp_path):
    client = login_app.test_client()
    client.set_cookie("user_password", "2|1:0|10:1700000000|13:user_password|4:ZWQ=|abc")
    assert client.post("/env_state", data="{}").status_code == 401
    other = make_app(
        **FAST, ENABLE_LOGIN=True, SECRET_KEY="another secret", USERS_FILE=str(tmp_path / "u2.json")
    )
    other.extensions["visdom_auth"].users.add("ed", "pw-ed")
    c2 = other.test_client()
    c2.post("/", json={"username": "ed", "password": sha("pw-ed")})
    client.set_cookie("user_password", c2.get_cookie("user_password").value)
    assert client.post("/env_state", data="{}").status_code == 401


def test_password_change_and_removal_end_existing_logins(login_app, users):
    browser, script = login_app.test_client(), login_app.test_client()
    form_login(browser, "ed", "pw-ed")
    script.post("/", json={"username": "ed", "password": sha("pw-ed")})
    assert browser.post("/env_state", data="{}").status_code == 200
    users.set_password("ed", "new-pw")
    assert browser.post("/env_state", data="{}").status_code == 401
    assert script.post("/env_state", data="{}").status_code == 401
    assert form_login(browser, "ed", "new-pw").status_code == 303
    users.remove("ed")
    assert browser.post("/env_state", data="{}").status_code == 401


def test_logout_revokes_the_upstream_cookie(login_app):
    client = login_app.test_client()
    client.post("/", json={"username": "ed", "password": sha("pw-ed")})
    value = client.get_cookie("user_password").value
    response = client.post("/logout")
    assert any(c.startswith("user_password=;") for c in set_cookies(response))
    replay = login_app.test_client()
    replay.set_cookie("user_password", value)
    assert replay.post("/env_state", data="{}").status_code == 401


def test_api_token_authenticates_and_can_be_revoked(login_app, users):
    token = users.create_token("ed", "laptop")
    client = login_app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post("/events", data=json.dumps(TEXT), headers=auth).status_code == 200
    bad = {"Authorization": "Bearer " + token[:-2] + "xx"}
    assert client.post("/events", data=json.dumps(TEXT), headers=bad).status_code == 401
    (entry,) = users.tokens("ed")
    assert entry["label"] == "laptop" and entry["id"] in token
    users.revoke_token("ed", entry["id"])
    assert client.post("/events", data=json.dumps(TEXT), headers=auth).status_code == 401


MUTATIONS = [
    ("/events", TEXT),
    (
        "/update",
        {"eid": "main", "win": "T", "data": [{"content": "x", "type": "text"}], "append": True},
    ),
    ("/close", {"eid": "main", "win": "T"}),
    ("/save", {"data": ["main"]}),
    ("/fork_env", {"prev_eid": "main", "eid": "copy"}),
    ("/delete_env", {"eid": "main"}),
    ("/win_data", {"eid": "main", "win": "T", "data": "{}"}),
    ("/env/brand_new", {"eid": "brand_new"}),
    ("/api/views", {"views": {}}),
]


@pytest.mark.parametrize("path,body", MUTATIONS, ids=[p for p, _ in MUTATIONS])
def test_viewer_may_read_but_not_change(login_app, path, body, error_of):
    client = login_app.test_client()
    form_login(client, "vi", "pw-vi")
    assert client.post("/env_state", data="{}").status_code == 200
    assert (
        client.post("/win_exists", data=json.dumps({"eid": "main", "win": "T"})).status_code == 200
    )
    assert client.get("/api/env/main").status_code == 200
    error_of(client.post(path, data=json.dumps(body)), 403)


@pytest.mark.parametrize("path,body", MUTATIONS, ids=[p for p, _ in MUTATIONS])
@pytest.mark.parametrize("login", [False, True], ids=["login-off", "login-on"])
def test_readonly_refuses_every_change_for_everyone(make_app, path, body, login, error_of):
    app = make_app(**FAST, READONLY=True, ENABLE_LOGIN=login)
    client = app.test_client()
    if login:
        app.extensions["visdom_auth"].users.add("ed", "pw-ed", "editor")
        form_login(client, "ed", "pw-ed")
    assert client.post("/env_state", data="{}").status_code == 200
    error_of(client.post(path, data=json.dumps(body)), 403)


def test_login_attempts_are_rate_limited_per_address(make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True, LOGIN_RATE_LIMIT=3)
    app.extensions["visdom_auth"].users.add("ed", "pw-ed")
    client = app.test_client()
    for _ in range(3):
        assert form_login(client, "ed", "bad").status_code == 401
    blocked = form_login(client, "ed", "pw-ed")  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert client.post("/", json={"username": "ed", "password": sha("pw-ed")}).status_code == 429
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "ed", "password": "pw-ed"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 303  # another address is not affected


def test_cookies_are_secure_behind_https(make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True, PROXY_FIX=1)
    app.extensions["visdom_auth"].users.add("ed", "pw-ed")
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https"}
    response = client.post("/login", data={"username": "ed", "password": "pw-ed"}, headers=https)
    cookies = set_cookies(response)
    assert cookies and all("Secure" in c for c in cookies)
    json_login = client.post("/", json={"username": "ed", "password": sha("pw-ed")}, headers=https)
    assert "Secure" in [c for c in set_cookies(json_login) if c.startswith("user_password=")][0]


def test_sub_path_cookies_are_scoped_to_the_prefix(make_app):
    app = make_app(**FAST, ENABLE_LOGIN=True, BASE_URL="/visdom")
    app.extensions["visdom_auth"].users.add("ed", "pw-ed")
    client = app.test_client()
    response = client.post("/visdom", json={"username": "ed", "password": sha("pw-ed")})
    assert response.status_code == 200
    assert "Path=/visdom" in set_cookies(response)[0]
    response = client.post("/visdom/login", data={"username": "ed", "password": "pw-ed"})
    assert response.headers["Location"] == "/visdom/"
    assert any("Path=/visdom" in c for c in set_cookies(response))


def test_page_data_names_the_user_and_role(login_app):
    client = login_app.test_client()
    form_login(client, "vi", "pw-vi")
    page = client.get("/").get_data(as_text=True)
    start = page.index('id="page-data">') + len('id="page-data">')
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["user"] == "vi" and data["role"] == "viewer" and data["readonly"] is True
