"""Shared fixtures: a real server process on a free port with a temporary env path."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A `python -m app` process; `url` is e.g. http://127.0.0.1:PORT (plus base_url)."""

    def __init__(self, env_path, args=(), env=None, base_url=""):
        self.env_path = env_path
        self.args = list(args)
        self.extra_env = dict(env or {})
        # The instance folder (secret key, accounts) goes next to the envs, never in the repo.
        self.extra_env.setdefault(
            "VISDOM_INSTANCE_PATH", os.path.join(os.path.dirname(env_path), "instance")
        )
        self.base_url = base_url
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(env_path, "..", f"server-{self.port}.log")

    @property
    def root(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self):
        return self.root + self.base_url

    def start(self, timeout=60):
        cmd = [sys.executable, "-m", "app", "-port", str(self.port), "-env_path", self.env_path]
        cmd += ["-logging_level", "WARNING", "-hostname", "127.0.0.1"]
        if self.base_url:
            cmd += ["-base_url", self.base_url]
        cmd += self.args
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.extra_env)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                requests.get(self.url + "/healthz", timeout=5)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.output()}")

    def output(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-5000:]
        except OSError:
            return ""

    def stop(self, kill=False):
        if self.proc and self.proc.poll() is None:
            if kill:
                # The whole process group: the gunicorn master and its worker die at once.
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self._log.close()
        self.proc = None

    def restart(self, kill=False):
        self.stop(kill=kill)
        return self.start()


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
