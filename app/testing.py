"""Run the server as a child process: for the test suite, the benchmarks and scripts.

`ServerProcess(env_path).start()` starts `python -m app` on a free port with a temporary
env path and waits until /healthz answers; `stop(kill=True)` kills the whole process
group (the gunicorn master and its worker at once), as a crash would.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Debian's Chromium, driven by Playwright. Without the networking flags it stalls on a
# machine with no internet access; as root it needs --no-sandbox.
CHROMIUM = os.environ.get("VISDOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port():
    """Return a TCP port that is free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
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
        """Stop (or kill) the server and start it again on the same port and env path."""
        self.stop(kill=kill)
        return self.start()
