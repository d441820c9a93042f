"""A team server behind a real nginx at a sub-path (-base_url /visdom) with login on.

The test starts its own nginx with its own configuration in a temporary directory (the
same `location` block docs/deploy.md shows). It skips when nginx is not installed, unless
VISDOM_REQUIRE_BROWSER=1 (CI), where a missing nginx fails the run.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import time

import pytest
import requests
import socketio

from tests.support.server import free_port, login_env
from tests.support.upstream import PRELUDE, upstream_python

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONF = """
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        location /visdom {{
            proxy_pass http://127.0.0.1:{backend};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_buffering off;
            client_max_body_size 256m;
        }}
    }}
}}
"""


@pytest.fixture
def nginx_front(server_factory, tmp_path):
    if not os.path.exists(NGINX):
        if os.environ.get("VISDOM_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required (VISDOM_REQUIRE_BROWSER=1) but is not installed")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    env = login_env(tmp_path, VISDOM_PROXY_FIX="1")
    backend = server_factory("-enable_login", env=env, base_url="/visdom")
    tmp = tempfile.mkdtemp(prefix="visdom-nginx-")
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(CONF.format(tmp=tmp, port=port, backend=backend.port, user=user))
    proc = subprocess.Popen(
        [NGINX, "-p", tmp, "-c", conf, "-e", os.path.join(tmp, "error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(url + "/visdom/healthz", timeout=2)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {proc.stderr.read()!r}") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
        shutil.rmtree(tmp, ignore_errors=True)


def test_pages_and_login_through_nginx(nginx_front):
    front = f"http://127.0.0.1:{nginx_front}"
    page = requests.get(
        front + "/visdom/env/main",
        headers={"Accept": "text/html"},
        allow_redirects=False,
        timeout=10,
    )
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/visdom/login?next=/visdom/env/main")
    session = requests.Session()
    form = {"username": "alice", "password": "s3cret", "next": "/visdom/env/main"}
    same_origin = {"Origin": front}
    login = session.post(
        front + "/visdom/login", data=form, headers=same_origin, allow_redirects=False
    )
    assert login.status_code == 303 and login.headers["Location"] == "/visdom/env/main"
    assert session.get(front + "/visdom/env/main", timeout=10).status_code == 200
    foreign = session.post(
        front + "/visdom/env_state", data="{}", headers={"Origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    assert session.post(front + "/visdom/env_state", data="{}", headers=same_origin).ok


LISTENER = """
vis = visdom.Visdom(port=PORT, server="http://127.0.0.1", base_url="/visdom", env="behind",
                    username="alice", password="s3cret", use_incoming_socket=True)
out["win"] = vis.text("pad", win="T")
got = []
vis.register_event_handler(lambda event: got.append(event), "T")
print("READY", flush=True)
deadline = time.time() + 20
while time.time() < deadline and not got:
    time.sleep(0.05)
out["events"] = got
"""


def test_upstream_client_and_callbacks_through_nginx(nginx_front):
    code = PRELUDE + textwrap.dedent(LISTENER) + "\ndone()\n"
    proc = subprocess.Popen(
        [upstream_python(), "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, VISDOM_TEST_PORT=str(nginx_front)),
    )
    try:
        assert proc.stdout.readline().startswith("READY"), proc.stderr.read()
        front = f"http://127.0.0.1:{nginx_front}"
        password = hashlib.sha256(b"s3cret").hexdigest()
        cookie = requests.post(
            front + "/visdom", json={"username": "alice", "password": password}, timeout=10
        ).cookies["user_password"]
        # Generous timeouts: CI machines are small and the whole suite runs at once.
        browser = socketio.Client(reconnection=False, request_timeout=30)
        browser.connect(
            front,
            socketio_path="visdom/socket.io",
            # websocket-client sends Origin: http://127.0.0.1:<nginx port> by itself, so
            # this also checks the origin rule behind the proxy.
            headers={"Cookie": f"user_password={cookie}"},
            transports=["websocket"],
            wait_timeout=30,
        )
        try:
            event = {"eid": "behind", "target": "T", "event_type": "KeyPress", "key": "z"}
            for _ in range(20):
                assert browser.call("browser_event", event, timeout=10) == {"ok": True}
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        finally:
            browser.disconnect()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    line = [ln for ln in out.splitlines() if ln.startswith("RESULT=")]
    assert line, err[-2000:]
    result = json.loads(line[-1][len("RESULT=") :])
    assert result["win"] == "T"
    assert result["events"] and result["events"][0]["key"] == "z"
