"""Fixtures every folder may use: in-process apps on temporary paths, live server processes
(server_factory, live_server, login_server) and one headless Chromium per session.

The helpers behind them live in tests/support (see its __init__); the names tests imported
from here before it existed (ROOT, LiveServer, free_port, login_env, FAST_HASH) still work.
"""

import os
import tempfile

import pytest

from tests.support.chromium import launch_chromium, require_chromium
from tests.support.server import FAST_HASH, ROOT, ServerProcess, free_port, login_env

LiveServer = ServerProcess
__all__ = ["FAST_HASH", "ROOT", "LiveServer", "free_port", "login_env"]

# The suite's own switches (never app settings): clean_environ leaves them in place.
SUITE_VARIABLES = (
    "VISDOM_UPSTREAM_PYTHON",
    "VISDOM_UPSTREAM3_PYTHON",
    "VISDOM_REQUIRE_UPSTREAM3",
    "VISDOM_REQUIRE_BROWSER",
    "VISDOM_REQUIRE_REDIS",
    "VISDOM_CHROMIUM",
    "VISDOM_FUZZ",
)


@pytest.fixture
def clean_environ(monkeypatch):
    """Keep the developer's VISDOM_* settings out of a test (the suite's own switches stay)."""
    for name in list(os.environ):
        if name.startswith("VISDOM_") and name not in SUITE_VARIABLES:
            monkeypatch.delenv(name)


@pytest.fixture
def env_path(tmp_path):
    path = tmp_path / "envs"
    path.mkdir()
    return str(path)


@pytest.fixture
def make_app(tmp_path, env_path, clean_environ):
    """Build in-process apps on temporary paths; their stores are closed at teardown."""
    from app import create_app

    apps = []

    def make(**settings):
        config = {
            "TESTING": True,
            "ENV_PATH": env_path,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            # No autosave tick during a test: files change only when a test says so.
            "SAVE_INTERVAL": 3600,
        }
        config.update(settings)
        app = create_app(config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["visdom_store"].close()


@pytest.fixture
def login_server(server_factory, tmp_path):
    """A live server with login on and the account alice/s3cret."""
    return server_factory("-enable_login", env=login_env(tmp_path))


@pytest.fixture
def env_dir():
    with tempfile.TemporaryDirectory(prefix="visdom-test-") as d:
        path = os.path.join(d, "envs")
        os.makedirs(path)
        yield path


@pytest.fixture
def server_factory(env_dir):
    """Start servers with extra CLI args: server_factory("-readonly", env={...})."""
    started = []

    def start(*args, env=None, base_url="", env_path=None):
        srv = ServerProcess(env_path or env_dir, args, env=env, base_url=base_url)
        started.append(srv)
        return srv.start()

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def live_server(server_factory):
    return server_factory()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for the whole session (browser, cluster, wheel tests)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()
