"""Shared fixtures: a real server process on a free port with a temporary env path."""

import os
import tempfile

import pytest

from app.testing import ROOT, ServerProcess, free_port

LiveServer = ServerProcess
__all__ = ["ROOT", "LiveServer", "free_port"]  # imported by the test modules


@pytest.fixture
def clean_environ(monkeypatch):
    """Keep the developer's VISDOM_* settings out of a test (the suite's own switches stay)."""
    for name in list(os.environ):
        if name.startswith("VISDOM_") and name not in (
            "VISDOM_UPSTREAM_PYTHON",
            "VISDOM_REQUIRE_BROWSER",
        ):
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


# A cheap password hash for tests (production uses werkzeug's scrypt default).
FAST_HASH = {"VISDOM_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def login_env(tmp_path, password="s3cret", **extra):
    """Environment for a `-enable_login` server whose only account is alice/`password`."""
    return {
        "VISDOM_INSTANCE_PATH": str(tmp_path / "instance"),
        "VISDOM_USE_ENV_CREDENTIALS": "1",
        "VISDOM_USERNAME": "alice",
        "VISDOM_PASSWORD": password,
        **FAST_HASH,
        **extra,
    }


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
        srv = LiveServer(env_path or env_dir, args, env=env, base_url=base_url)
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
    """Launch Debian's Chromium once for the whole session (browser and cluster tests)."""
    from app.testing import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        if os.environ.get("VISDOM_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"Chromium is required (VISDOM_REQUIRE_BROWSER=1) but {CHROMIUM} is missing"
            )
        pytest.skip(f"Chromium not found at {CHROMIUM} (run `make chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
