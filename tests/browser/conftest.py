"""Browser fixtures: one headless Chromium per session, one server per module, a page per test.

The browser tests skip only when Chromium is missing and VISDOM_REQUIRE_BROWSER is not "1"
(CI sets it, so there a missing Chromium fails the run). The helpers live in tests/support
(`UI` and the env-file builders in support/ui.py, `poll` in support/waiting.py); they are
importable from here too.
"""

import queue

import pytest
import socketio

from tests.support.server import ServerProcess
from tests.support.ui import (  # noqa: F401 - importable from here, as the tests do
    UI,
    VIEWPORT,
    png_data_url,
    stored_window,
    text_window,
)
from tests.support.waiting import poll  # noqa: F401


def start_server(*args, base_url="", envs=None):
    """Start a `python -m app` server with a fresh env path (the caller stops it with
    stop_server). `envs` maps env ids to env-file contents written before the start."""
    return ServerProcess(None, args, base_url=base_url, envs=envs).start()


def launch(srv):
    """Start a (stopped) server on its port and env path."""
    return srv.start()


def stop_server(srv):
    """Stop a server from start_server and remove its temporary folder."""
    srv.close()


@pytest.fixture(scope="module")
def server():
    """One server for all the tests of a module (tests use their own env names)."""
    srv = start_server()
    yield srv
    stop_server(srv)


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
