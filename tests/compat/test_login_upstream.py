"""The upstream visdom 0.2.4 client's username=/password= login against our -enable_login server,
and upstream's start-up flows: VISDOM_USE_ENV_CREDENTIALS, the accounts file, the prompt."""

import hashlib
import json
import os
import pty
import select
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import requests
import socketio

from tests.support.server import FAST_HASH, ROOT, free_port, login_env
from tests.support.upstream import PRELUDE, Upstream, upstream_python


def test_upstream_client_logs_in_and_plots(login_server):
    result = Upstream(login_server).run(
        """
        vis = connect(username="alice", password="s3cret")
        out["text"] = vis.text("hello", win="T")
        out["line"] = vis.line(X=np.arange(3), Y=np.arange(3), win="L")
        out["exists"] = vis.win_exists("T")
        out["envs"] = sorted(vis.get_env_list())
        """,
        env="logged_in",
    )
    assert result == {"text": "T", "line": "L", "exists": True, "envs": ["logged_in", "main"]}


def test_upstream_client_with_a_wrong_password_is_refused(login_server):
    result = Upstream(login_server).run(
        """
        try:
            vis = connect(username="alice", password="wrong")
            out["error"] = None
        except RuntimeError as exc:
            out["error"] = str(exc)
        """
    )
    assert result["error"] == "Authentication failed"


def test_upstream_client_without_credentials_changes_nothing(login_server):
    Upstream(login_server).run(
        """
        vis = connect(raise_exceptions=False)
        vis.text("sneaky", win="S", env="intruder")
        """
    )
    password = hashlib.sha256(b"s3cret").hexdigest()
    session = requests.Session()
    session.post(login_server.url, json={"username": "alice", "password": password}, timeout=10)
    envs = session.post(login_server.url + "/env_state", data="{}", timeout=10).json()
    assert "intruder" not in envs


LISTENER = """
vis = connect(username="alice", password="s3cret", use_incoming_socket=True,
              use_polling=POLLING)
vis.text("pad", win="T")
got = []
vis.register_event_handler(lambda event: got.append(event), "T")
print("READY", flush=True)
deadline = time.time() + 15
while time.time() < deadline and not got:
    time.sleep(0.05)
out["events"] = got
"""


@pytest.mark.parametrize("polling", [False, True], ids=["websocket", "polling"])
def test_upstream_callbacks_work_with_login(login_server, polling):
    code = PRELUDE + textwrap.dedent(LISTENER).replace("POLLING", str(polling)) + "\ndone()\n"
    env = f"cb_login_{int(polling)}"
    proc = subprocess.Popen(
        [upstream_python(), "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, VISDOM_TEST_PORT=str(login_server.port), VISDOM_TEST_ENV=env),
    )
    lines, ready = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            ready.set() if line.startswith("READY") else None

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(30), proc.stderr.read() if proc.poll() is not None else "no READY"
        password = hashlib.sha256(b"s3cret").hexdigest()
        cookie = requests.post(
            login_server.url, json={"username": "alice", "password": password}, timeout=10
        ).cookies["user_password"]
        browser = socketio.Client(reconnection=False)
        browser.connect(login_server.url, headers={"Cookie": f"user_password={cookie}"})
        try:
            event = {
                "eid": env,
                "target": "T",
                "event_type": "KeyPress",
                "key": "a",
                "key_code": 65,
            }
            for _ in range(20):  # the polling client may need a moment to open its channel
                assert browser.call("browser_event", event, timeout=10) == {"ok": True}
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        finally:
            browser.disconnect()
        proc.wait(timeout=60)
        reader.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    result = [ln for ln in lines if ln.startswith("RESULT=")]
    assert result, stderr[-2000:]
    events = json.loads(result[-1][len("RESULT=") :])["events"]
    assert events and events[0]["event_type"] == "KeyPress" and events[0]["key"] == "a"
    assert events[0]["pane_data"]["content"] == "pad"


def _run_server(args, env, stdin=subprocess.DEVNULL, timeout=30):
    cmd = [sys.executable, "-m", "app", "-port", str(free_port()), "-hostname", "127.0.0.1"]
    return subprocess.run(
        cmd + args,
        cwd=ROOT,
        env=dict(os.environ, **env),
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("missing", ["VISDOM_USERNAME", "VISDOM_PASSWORD"])
def test_env_credentials_with_a_missing_variable_exit_1(tmp_path, missing):
    env = login_env(tmp_path)
    env[missing] = ""
    proc = _run_server(["-enable_login", "-env_path", str(tmp_path / "envs")], env)
    assert proc.returncode == 1
    assert "VISDOM_USERNAME" in proc.stderr


def test_no_accounts_and_no_terminal_exit_1_with_advice(tmp_path):
    env = {"VISDOM_INSTANCE_PATH": str(tmp_path / "instance")}
    proc = _run_server(["-enable_login", "-env_path", str(tmp_path / "envs")], env)
    assert proc.returncode == 1
    assert "users add" in proc.stderr


def test_accounts_file_needs_no_prompt(server_factory, tmp_path):
    env = {"VISDOM_INSTANCE_PATH": str(tmp_path / "instance"), **FAST_HASH}
    added = subprocess.run(
        [sys.executable, "-m", "app", "users", "add", "bob", "--password-stdin"],
        input="pw-bob\n",
        cwd=ROOT,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    srv = server_factory("-enable_login", env=env)
    result = Upstream(srv).run(
        'vis = connect(username="bob", password="pw-bob")\nout["t"] = vis.text("x", win="B")'
    )
    assert result == {"t": "B"}


def test_terminal_prompt_asks_for_the_login(tmp_path):
    """Upstream's prompt: user name with input(), password with getpass, on a terminal."""
    port = free_port()
    env = dict(os.environ, VISDOM_INSTANCE_PATH=str(tmp_path / "instance"), **FAST_HASH)
    env.pop("VISDOM_USE_ENV_CREDENTIALS", None)
    cmd = [
        sys.executable,
        "-m",
        "app",
        "-port",
        str(port),
        "-hostname",
        "127.0.0.1",
        "-env_path",
        str(tmp_path / "envs"),
        "-enable_login",
        "-logging_level",
        "WARNING",
    ]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the server, with the pty as its terminal
        os.chdir(ROOT)
        os.execve(sys.executable, cmd, env)
    output = b""

    def expect(text, timeout=30):
        nonlocal output
        deadline = time.monotonic() + timeout
        while text.encode() not in output and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    output += os.read(fd, 4096)
                except OSError:
                    break
        assert text.encode() in output, output.decode(errors="replace")

    try:
        expect("username:")
        os.write(fd, b"carol\n")
        expect("password:")
        os.write(fd, b"pw-carol\n")
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(url + "/healthz", timeout=1)
                break
            except requests.RequestException:  # refused, or a worker still booting
                time.sleep(0.2)
        assert b"pw-carol" not in output  # getpass does not echo
        password = hashlib.sha256(b"pw-carol").hexdigest()
        good = requests.post(url, json={"username": "carol", "password": password}, timeout=10)
        assert good.status_code == 200
        bad = requests.post(url, json={"username": "carol", "password": "x" * 64}, timeout=10)
        assert bad.status_code == 400
    finally:
        os.kill(pid, 15)
        os.waitpid(pid, 0)
        os.close(fd)
