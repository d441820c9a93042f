"""Client-test helpers: one server per module, window lookups, a browser stand-in."""

import pytest
import requests
import socketio

from tests.support.server import ServerProcess
from tests.support.waiting import wait_for  # noqa: F401 - importable from here, as tests do


@pytest.fixture(scope="module")
def shared_server():
    """A real server shared by the tests of one module (each test uses its own env)."""
    server = ServerProcess().start()
    yield server
    server.close()


@pytest.fixture
def eid(request):
    """A fresh env name per test."""
    return "c_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_")[:60]


def env_windows(server, eid):
    """Return {win id: window} as the server stores it, every point (POST /win_data;
    /api/env is what browsers get: big plots decimated)."""
    response = requests.post(f"{server.url}/win_data", json={"eid": eid, "win": None}, timeout=10)
    if response.status_code == 404:
        return {}
    response.raise_for_status()
    return response.json()


class Browser:
    """A Socket.IO client acting as the browser: joins an env, sends browser events."""

    def __init__(self, server, eid, auth=None):
        self.eid = eid
        self.sio = socketio.Client()
        path = f"{server.base_url}/socket.io".strip("/")
        self.sio.connect(server.root, socketio_path=path, auth=auth)
        self.sio.call("join_env", {"eid": eid})

    def send(self, target, event_type, **fields):
        payload = {"eid": self.eid, "target": target, "event_type": event_type, **fields}
        return self.sio.call("browser_event", payload, timeout=10)

    def close_window(self, win):
        return self.sio.call("close_window", {"eid": self.eid, "win": win}, timeout=10)

    def close(self):
        self.sio.disconnect()


@pytest.fixture
def browser_factory():
    opened = []

    def make(server, eid, auth=None):
        b = Browser(server, eid, auth)
        opened.append(b)
        return b

    yield make
    for b in opened:
        b.close()


@pytest.fixture
def vis(shared_server, eid):
    """Our client on the module's shared server, drawing into the test's own env."""
    from visdom_client import Visdom

    client = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid)
    yield client
    client.shutdown()
