"""Start a server as a child process: the one starter of the suite, the benchmarks and scripts.

`ServerProcess(env_path).start()` starts `python -m app` on a free port and waits until it
answers; `stop(kill=True)` kills the whole process group (the gunicorn master and its worker
at once), as a crash would; `close()` also removes the temporary folder it made. Options cover
every way the suite starts a server: extra CLI `args`, `env` variables, `base_url`, env files
written before the start (`envs`), another `command` (gunicorn, flask, the installed `visdom`
script, upstream's server), `cwd`, a clean `environ`, and HTTPS (`scheme`, `verify`).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests

# The repository root: tests, bench/ and scripts/ run from (and put on sys.path) this folder.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A cheap password hash for tests (production uses werkzeug's scrypt default).
FAST_HASH = {"VISDOM_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def free_port():
    """Return a TCP port that is free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def write_envs(env_path, envs):
    """Write env files before a start: {eid: {"jsons", "reload"} or the file's raw text}."""
    for eid, content in (envs or {}).items():
        with open(os.path.join(env_path, f"{eid}.json"), "w", encoding="utf-8") as f:
            if isinstance(content, str):
                f.write(content)
            else:
                json.dump(content, f)


class ServerProcess:
    """A server process; `url` is e.g. http://127.0.0.1:PORT plus base_url.

    env_path   the env folder; None makes a temporary one (removed by close())
    args       extra CLI flags for `python -m app` (appended to `command` when given)
    env        extra environment variables, over `environ` (default: this process's)
    base_url   the server's -base_url, part of `url`
    envs       env files written into env_path before the start (see write_envs)
    command    the program to run instead of `python -m app -port P -env_path E ...`; it
               gets the env path as VISDOM_ENV_PATH and must listen on `port`
    port       the port (default: a free one)
    health     the path polled until the server answers (any HTTP answer counts)
    """

    def __init__(
        self,
        env_path=None,
        args=(),
        env=None,
        base_url="",
        *,
        envs=None,
        command=None,
        cwd=ROOT,
        environ=None,
        port=None,
        scheme="http",
        verify=None,
        health="/healthz",
    ):
        self.tmp = None
        if env_path is None:
            self.tmp = tempfile.mkdtemp(prefix="visdom-test-")
            env_path = os.path.join(self.tmp, "envs")
            os.makedirs(env_path)
        self.env_path = str(env_path)
        write_envs(self.env_path, envs)
        self.args = list(args)
        self.extra_env = dict(env or {})
        # The instance folder (secret key, accounts) goes next to the envs, never in the repo.
        self.extra_env.setdefault(
            "VISDOM_INSTANCE_PATH", os.path.join(os.path.dirname(self.env_path), "instance")
        )
        self.base_url = base_url
        self.command = list(command) if command else None
        self.cwd = cwd
        self.environ = environ
        self.port = port or free_port()
        self.scheme = scheme
        self.verify = verify
        self.health = health
        self.proc = None
        self._log = None
        self.log_path = os.path.join(self.env_path, "..", f"server-{self.port}.log")

    @property
    def root(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def url(self):
        return self.root + self.base_url

    def cmd(self):
        """The command line this server runs."""
        if self.command:
            return self.command + self.args
        cmd = [sys.executable, "-m", "app", "-port", str(self.port), "-env_path", self.env_path]
        cmd += ["-logging_level", "WARNING", "-hostname", "127.0.0.1"]
        if self.base_url:
            cmd += ["-base_url", self.base_url]
        return cmd + self.args

    def spawn(self):
        """Start the process (its own process group, output to the log) without waiting."""
        env = dict(os.environ if self.environ is None else self.environ)
        if self.command:
            env["VISDOM_ENV_PATH"] = self.env_path
        env.update(PYTHONUNBUFFERED="1", **self.extra_env)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.cmd(),
            cwd=self.cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout=60):
        """Wait until `health` answers; raise with the log if the process exits or never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                requests.get(self.url + self.health, timeout=5, verify=self.verify)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.output()}")

    def start(self, timeout=60):
        """Start the process and wait until it answers; return self."""
        return self.spawn().wait_ready(timeout)

    def output(self, limit=5000):
        """The last `limit` characters of the server's log (stdout and stderr; None: all)."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        return text[-limit:] if limit else text

    def stop(self, kill=False, signum=None):
        """Stop the server: SIGTERM, or SIGKILL to the process group (kill=True), or
        `signum` to the process group; the env path stays for a restart."""
        if self.proc and self.proc.poll() is None:
            if kill:
                # The whole process group: the gunicorn master and its worker die at once.
                os.killpg(self.proc.pid, signal.SIGKILL)
            elif signum is not None:
                os.killpg(self.proc.pid, signum)
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        self.proc = None

    def restart(self, kill=False):
        """Stop (or kill) the server and start it again on the same port and env path."""
        self.stop(kill=kill)
        return self.start()

    def close(self):
        """Stop the server and remove the temporary folder it made (if it made one)."""
        self.stop()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
