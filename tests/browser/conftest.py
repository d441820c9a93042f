"""Browser fixtures: one headless Chromium per session, one server per module, a page per test.

The browser tests skip only when Chromium is missing and VISDOM_REQUIRE_BROWSER is not "1"
(CI sets it, so there a missing Chromium fails the run).
"""

import base64
import io
import json
import os
import queue
import shutil
import tempfile
import time

import pytest
import requests
import socketio
from playwright.sync_api import Error as PlaywrightError

from ..conftest import ROOT, LiveServer

ARTIFACTS = os.path.join(ROOT, "tests", "browser", "artifacts")
VIEWPORT = {"width": 1400, "height": 900}


def start_server(*args, base_url="", envs=None):
    """Start a `python -m app` server with a fresh env path (the caller stops it).

    `envs` maps env ids to env-file contents ({"jsons", "reload"}) written before start.
    """
    tmp = tempfile.mkdtemp(prefix="visdom-browser-")
    env_path = os.path.join(tmp, "envs")
    os.makedirs(env_path)
    for eid, content in (envs or {}).items():
        with open(os.path.join(env_path, f"{eid}.json"), "w", encoding="utf-8") as f:
            json.dump(content, f)
    srv = LiveServer(env_path, args, base_url=base_url)
    srv.tmp = tmp
    return launch(srv)


def launch(srv):
    """Start a (stopped) server on its port and env path."""
    return srv.start()


def poll(predicate, timeout=10.0, what="a condition"):
    """Call predicate() until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def stop_server(srv):
    srv.stop()
    shutil.rmtree(srv.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    """One server for all the tests of a module (tests use their own env names)."""
    srv = start_server()
    yield srv
    stop_server(srv)


class UI:
    """A page on the env UI plus helpers to drive the server like a training script."""

    def __init__(self, page, server):
        self.page = page
        self.server = server
        self.dialogs = []
        self.errors = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # ---- the server, as a training script sees it -----------------------------------
    def post(self, endpoint, body):
        """POST a JSON text body like the visdom client (no JSON content type)."""
        resp = requests.post(f"{self.server.url}/{endpoint}", data=json.dumps(body), timeout=10)
        assert resp.status_code == 200, f"/{endpoint} -> {resp.status_code}: {resp.text}"
        return resp.text

    def line(self, eid, win, xs, ys, title=None, name="a"):
        title = title if title is not None else win
        return self.post(
            "events",
            {
                "eid": eid,
                "win": win,
                "opts": {"title": title},
                "layout": {"title": title, "showlegend": True},
                "data": [{"x": xs, "y": ys, "name": name, "type": "scatter", "mode": "lines"}],
            },
        )

    def text(self, eid, win, content, title=None):
        opts = {"title": title} if title is not None else {}
        data = [{"content": content, "type": "text"}]
        return self.post("events", {"eid": eid, "win": win, "opts": opts, "data": data})

    # ---- the page ---------------------------------------------------------------------
    def wait(self, js, arg=None, timeout=10.0):
        """Poll a JS expression (or function of `arg`) until it is truthy; return its value.

        page.wait_for_function compiles its predicate with eval, which the page's
        Content-Security-Policy (no 'unsafe-eval') forbids; page.evaluate is not affected.
        """

        # A TypeError (an element not drawn yet: windows are drawn as they come near the
        # screen) counts as "not yet".
        def attempt():
            try:
                return self.page.evaluate(js, arg)
            except PlaywrightError as exc:
                if "TypeError" not in str(exc):
                    raise
                return None

        return poll(attempt, timeout, f"{js} ({arg!r})")

    def open(self, path="/"):
        """Load a page and wait until the env's windows have been shown (or it is missing)."""
        self.page.goto(self.server.url + path)
        self.wait("document.body.dataset.loaded || document.body.dataset.missing", timeout=15)
        return self.page

    def module(self, module, body, arg=None):
        """Import static/js/<module> (e.g. "workspace/seq.js") in the page; run `body` with it as `m`.

        The page's entry module is static/js/pages/<page>.js: `module` is resolved from js/.
        """
        src = (
            "async (arg) => {"
            " const entry = document.querySelector('script[type=module]').src;"
            f" const m = await import(new URL('../{module}', entry));"
            f" {body} }}"
        )
        return self.page.evaluate(src, arg)

    def wait_loaded(self, eids):
        self.wait("(want) => document.body.dataset.loaded === want", eids, timeout=15)

    def pane(self, win):
        return self.page.locator(f'.grid-stack-item[data-win="{win}"]')

    def shot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"))


@pytest.fixture(scope="module")
def browser_context(browser):
    """One context per module: pages share its HTTP cache (plotly.js is parsed once)."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def ui(browser_context, server, request):
    """A fresh page on the module's server."""
    page = browser_context.new_page()
    page.set_default_timeout(10000)
    helper = UI(page, server)
    yield helper
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        helper.shot(request.node.name)
    page.close()
    assert not helper.errors, f"JavaScript errors on the page: {helper.errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so fixtures can see a failed test."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


class Subscriber:
    """A python-socketio client subscribed to an env's callback events."""

    def __init__(self, server, eid):
        self.events = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self.events.put)
        path = (server.base_url + "/socket.io").lstrip("/")
        self.sio.connect(server.root, socketio_path=path, transports=["websocket"], wait_timeout=10)
        ack = self.sio.call("subscribe_events", {"eid": eid}, timeout=10)
        assert not (isinstance(ack, dict) and ack.get("error")), ack

    def next(self, event_type, timeout=10):
        """Return the next event of `event_type` (other events are skipped)."""
        while True:
            ev = self.events.get(timeout=timeout)
            if ev.get("event_type") == event_type:
                return ev

    def close(self):
        self.sio.disconnect()


@pytest.fixture
def subscribe(server):
    subs = []

    def make(eid, srv=None):
        sub = Subscriber(srv or server, eid)
        subs.append(sub)
        return sub

    yield make
    for sub in subs:
        sub.close()


def stored_window(win, wtype, content, title="", i=0):
    """A stored window (upstream §3), for env files written before a server starts."""
    return {
        "command": "window",
        "id": win,
        "title": title,
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": f"c-{win}",
        "type": wtype,
        "content": content,
        "i": i,
    }


def text_window(win, content, title="", i=0):
    """A stored text window."""
    return stored_window(win, "text", content, title, i)


def png_data_url(width, height, color=(200, 30, 30)):
    """A data: URL of a solid PNG of the given size."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
