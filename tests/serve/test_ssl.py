"""-ssl_certfile / -ssl_keyfile (and VISDOM_SSL_*): HTTPS served directly, with a
self-signed certificate made at test time by the openssl command."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import requests
import socketio

from ..conftest import ROOT, free_port

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command to make a certificate"
)


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def launch(tmp_path, args, env=None):
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "-env_path", str(tmp_path / "envs"), *args],
        cwd=ROOT,
        env=dict(os.environ, **(env or {})),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return proc, log


def wait_https(proc, url, cert, tmp_path):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, (tmp_path / "server.log").read_text()
        try:
            return requests.get(url + "/health", verify=cert, timeout=3)
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("no HTTPS answer: " + (tmp_path / "server.log").read_text())


@pytest.mark.parametrize("how", ["flags", "environment"])
def test_https_is_served_with_the_given_certificate(tmp_path, certificate, how):
    cert, key = certificate
    port = free_port()
    if how == "flags":
        proc, log = launch(
            tmp_path, ["-port", str(port), "-ssl_certfile", cert, "-ssl_keyfile", key]
        )
    else:
        env = {"VISDOM_SSL_CERTFILE": cert, "VISDOM_SSL_KEYFILE": key}
        proc, log = launch(tmp_path, ["-port", str(port)], env)
    url = f"https://127.0.0.1:{port}"
    try:
        assert wait_https(proc, url, cert, tmp_path).json() == {"status": "ok"}
        body = {"eid": "main", "win": "T", "data": [{"type": "text", "content": "tls"}]}
        assert (
            requests.post(url + "/events", data=json.dumps(body), verify=cert, timeout=10).text
            == "T"
        )
        with pytest.raises(requests.RequestException):  # HTTPS only
            requests.get(f"http://127.0.0.1:{port}/health", timeout=3)
        page = socketio.Client(reconnection=False, ssl_verify=False)  # (wss; HTTP checked the cert)
        page.connect(url, transports=["websocket"])
        try:
            ack = page.call("join_env", {"eid": "main"}, timeout=10)
            assert ack["windows"][0]["content"] == "tls"
        finally:
            page.disconnect()
        assert "https://" in (tmp_path / "server.log").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


@pytest.mark.parametrize(
    "args, message",
    [
        (["-ssl_certfile", "CERT"], "-ssl_certfile and -ssl_keyfile must be provided together"),
        (["-ssl_certfile", "CERT", "-ssl_keyfile", "/nonexistent.pem"], "no such file"),
    ],
)
def test_unusable_ssl_settings_stop_the_start_with_a_message(tmp_path, certificate, args, message):
    args = [certificate[0] if a == "CERT" else a for a in args]
    proc, log = launch(tmp_path, ["-port", str(free_port()), *args])
    assert proc.wait(timeout=30) != 0
    log.close()
    assert message in (tmp_path / "server.log").read_text()
