"""-ssl_certfile / -ssl_keyfile (and VISDOM_SSL_*): HTTPS served directly, with a
self-signed certificate made at test time by the openssl command."""

import json
import shutil
import subprocess
import sys

import pytest
import requests
import socketio

from tests.support.server import ServerProcess, free_port

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


def launch(tmp_path, args, env=None, cert=None):
    """A `python -m app` server with exactly these flags (not started); HTTPS if `cert`."""
    port = free_port()
    command = [sys.executable, "-m", "app", "-port", str(port)]
    (tmp_path / "envs").mkdir(exist_ok=True)
    return ServerProcess(
        str(tmp_path / "envs"), args, env=env, command=command, port=port,
        scheme="https" if cert else "http", verify=cert, health="/health",
    )  # fmt: skip


@pytest.mark.parametrize("how", ["flags", "environment"])
def test_https_is_served_with_the_given_certificate(tmp_path, certificate, how):
    cert, key = certificate
    if how == "flags":
        srv = launch(tmp_path, ["-ssl_certfile", cert, "-ssl_keyfile", key], cert=cert)
    else:
        env = {"VISDOM_SSL_CERTFILE": cert, "VISDOM_SSL_KEYFILE": key}
        srv = launch(tmp_path, [], env, cert=cert)
    url, port = srv.url, srv.port
    try:
        srv.start(timeout=30)
        assert requests.get(url + "/health", verify=cert, timeout=3).json() == {"status": "ok"}
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
        assert "https://" in srv.output(limit=None)
    finally:
        srv.stop()


@pytest.mark.parametrize(
    "args, message",
    [
        (["-ssl_certfile", "CERT"], "-ssl_certfile and -ssl_keyfile must be provided together"),
        (["-ssl_certfile", "CERT", "-ssl_keyfile", "/nonexistent.pem"], "no such file"),
    ],
)
def test_unusable_ssl_settings_stop_the_start_with_a_message(tmp_path, certificate, args, message):
    args = [certificate[0] if a == "CERT" else a for a in args]
    srv = launch(tmp_path, args).spawn()
    assert srv.proc.wait(timeout=30) != 0
    srv.stop()
    assert message in srv.output(limit=None)
