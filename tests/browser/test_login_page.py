"""The login page in Chromium: redirect, bad password, sign in, log out, and a viewer."""

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest
import requests

from tests.support.server import ROOT, ServerProcess, login_env
from tests.support.ui import VIEWPORT
from tests.support.waiting import wait_for


@pytest.fixture(scope="module")
def login_server():
    tmp = tempfile.mkdtemp(prefix="visdom-login-")
    env = login_env(pathlib.Path(tmp), password="alice-pw")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "users",
            "add",
            "vic",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input="vic-pw\n",
        cwd=ROOT,
        env=dict(os.environ, **env),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    env_path = os.path.join(tmp, "envs")
    os.makedirs(env_path)
    srv = ServerProcess(env_path, ["-enable_login"], env=env).start()
    yield srv
    srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10000)
    page.console_lines = []
    page.on("console", lambda msg: page.console_lines.append(msg.text))
    page.page_errors = []
    page.on("pageerror", lambda err: page.page_errors.append(str(err)))
    yield page
    context.close()


def editor_session(srv):
    session = requests.Session()
    password = hashlib.sha256(b"alice-pw").hexdigest()
    response = session.post(srv.url, json={"username": "alice", "password": password}, timeout=10)
    assert response.status_code == 200
    return session


def wait_js(page, js, timeout=15.0):
    return wait_for(lambda: page.evaluate(js), timeout, js)


def sign_in(page, srv, name, password, path="/"):
    page.goto(srv.url + path)
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("#login-submit")


def no_csp_violations(page):
    bad = [line for line in page.console_lines if "Content Security Policy" in line]
    assert not bad, bad


def test_sign_in_lands_on_the_asked_page_and_logout_ends_it(page, login_server):
    editor_session(login_server).post(
        login_server.url + "/events",
        data=json.dumps(
            {"eid": "login_env", "win": "T", "data": [{"content": "hi", "type": "text"}]}
        ),
        timeout=10,
    )
    page.goto(login_server.url + "/env/login_env")
    assert "/login?next=/env/login_env" in page.url
    page.fill("#username", "alice")
    page.fill("#password", "wrong")
    page.click("#login-submit")
    assert page.text_content("#login-error") == "invalid username or password"
    page.fill("#password", "alice-pw")
    page.click("#login-submit")
    page.wait_for_url(login_server.url + "/env/login_env")
    wait_js(page, "document.body.dataset.loaded")
    assert page.locator('.grid-stack-item[data-win="T"]').is_visible()
    assert "alice" in page.text_content(".topbar")
    no_csp_violations(page)
    page.click("a.logout")
    page.wait_for_url(login_server.url + "/login")
    page.goto(login_server.url + "/env/login_env")
    assert "/login" in page.url  # the session is gone
    assert not page.page_errors, page.page_errors


def test_viewer_cannot_close_windows(page, login_server):
    editor = editor_session(login_server)
    text = {"eid": "viewer_env", "win": "V", "data": [{"content": "keep me", "type": "text"}]}
    assert editor.post(login_server.url + "/events", data=json.dumps(text), timeout=10).ok
    sign_in(page, login_server, "vic", "vic-pw", "/env/viewer_env")
    page.wait_for_url(login_server.url + "/env/viewer_env")
    wait_js(page, "document.body.dataset.loaded")
    pane = page.locator('.grid-stack-item[data-win="V"]')
    assert pane.is_visible()
    close = pane.locator('[data-action="close"]')
    assert close.count() == 0 or not close.is_visible()
    # Even a hand-made request from the viewer's page is refused by the server.
    status = page.evaluate(
        """async () => (await fetch('/close', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({eid: 'viewer_env', win: 'V'})})).status"""
    )
    assert status == 403
    exists = editor.post(
        login_server.url + "/win_exists", data=json.dumps({"eid": "viewer_env", "win": "V"})
    )
    assert exists.text == "true"
    no_csp_violations(page)


def test_login_page_has_no_csp_violations(page, login_server):
    response = page.goto(login_server.url + "/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("#username").is_visible()
    no_csp_violations(page)
