"""Transport: errors carry the response, quiet mode logs once, login, offline log and replay."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

import visdom_client
from visdom_client import AuthenticationError, ConnectionError, ServerError, Visdom

from .conftest import env_windows


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StatusServer:
    """Answer every POST with a fixed status; the constructor's env POST always succeeds."""

    def __init__(self, status):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                code = 200 if self.path.startswith("/env/") else outer.status
                payload = b"boom" if code >= 400 else b""
                self.send_response(code)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.status = status
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def status_server():
    servers = []

    def make(status):
        servers.append(StatusServer(status))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_unreachable_server_raises_connection_error():
    with pytest.raises(ConnectionError) as info:
        Visdom(port=closed_port(), server="http://127.0.0.1")
    assert isinstance(info.value, visdom_client.VisdomError)
    assert isinstance(info.value, OSError)  # the builtin ConnectionError, like upstream


def test_http_error_raises_server_error_with_response(status_server):
    srv = status_server(500)
    vis = Visdom(port=srv.port, server="http://127.0.0.1")
    with pytest.raises(ServerError) as info:
        vis.text("x", win="t")
    assert info.value.status_code == 500
    assert info.value.response.text == "boom"
    assert "/events" in str(info.value)


def test_quiet_mode_returns_false_and_logs_one_warning(live_server, caplog):
    vis = Visdom(port=live_server.port, server="http://127.0.0.1", raise_exceptions=False)
    live_server.stop()
    with caplog.at_level(logging.WARNING, logger="visdom_client"):
        results = [vis.text("x", win="t") for _ in range(5)]
    assert results == [False] * 5
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "cannot reach" in warnings[0].getMessage()
    live_server.start()
    assert vis.text("back", win="t") == "t"
    assert vis.win_exists("t") is True


def test_win_exists_is_none_when_unreachable(live_server):
    vis = Visdom(port=live_server.port, server="http://127.0.0.1")
    live_server.stop()
    assert vis.win_exists("t") is None
    assert vis.check_connection() is False


def test_constructor_argument_errors():
    with pytest.raises(ValueError, match="base_url"):
        Visdom(base_url="visdom", offline=True, log_to_filename="x")
    with pytest.raises(ValueError, match="log_to_filename"):
        Visdom(offline=True)
    with pytest.raises(ValueError, match="password"):
        Visdom(username="u", offline=True, log_to_filename="x")


def test_deprecated_proxy_arguments_warn(tmp_path):
    with pytest.warns(DeprecationWarning, match="proxies"):
        Visdom(
            http_proxy_host="h",
            http_proxy_port=1,
            offline=True,
            log_to_filename=str(tmp_path / "l"),
        )


def test_base_url_is_used_for_every_request(server_factory):
    srv = server_factory(base_url="/vis")
    vis = Visdom(port=srv.port, server="http://127.0.0.1", base_url="/vis", env="b")
    assert vis.text("x", win="t") == "t"
    assert set(env_windows(srv, "b")) == {"t"}


def test_login_keeps_the_cookie_and_rejects_bad_passwords(server_factory, tmp_path):
    credentials = {
        "VISDOM_USE_ENV_CREDENTIALS": "1",
        "VISDOM_USERNAME": "alice",
        "VISDOM_PASSWORD": "s3cret",
        "VISDOM_USERS_FILE": str(tmp_path / "users.json"),
    }
    srv = server_factory("-enable_login", env=credentials)
    vis = Visdom(port=srv.port, server="http://127.0.0.1", username="alice", password="s3cret")
    assert vis.text("x", win="t", env="auth") == "t"
    assert "user_password" in vis.session.cookies
    assert requests.post(f"{srv.url}/win_exists", data="{}", timeout=5).status_code in (400, 401)
    with pytest.raises(AuthenticationError) as info:
        Visdom(port=srv.port, server="http://127.0.0.1", username="alice", password="wrong")
    assert isinstance(info.value, RuntimeError)  # upstream raised RuntimeError


def test_offline_writes_upstream_log_format(tmp_path):
    log = tmp_path / "run.log"
    vis = Visdom(offline=True, log_to_filename=str(log), env="off")
    assert vis.text("hi", win="T") == "T"
    assert vis.line([1.0, 2.0], [0, 1], win="L") == "L"
    assert vis.line([3.0], [2], win="L", update="append") == "L"
    assert vis.save(["off"]) is True
    assert vis.get_env_list() == ["off"]
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [endpoint for endpoint, _ in lines] == ["events", "events", "update"]
    assert lines[0] == [
        "events",
        {"data": [{"content": "hi", "type": "text"}], "win": "T", "eid": "off", "opts": {}},
    ]
    assert lines[2][1]["append"] is True and lines[2][1]["eid"] == "off"


def run_session(vis):
    vis.text("hello", win="T")
    vis.text("again", win="T", append=True)
    vis.line([1.0, 2.0], [0, 1], win="L", opts={"title": "loss"})
    for i in range(2, 5):
        vis.line([float(i)], [i], win="L", update="append")
    vis.line([5.0], [0], win="fresh", update="append", opts={"title": "created by append"})
    vis.heatmap([[1.0, 2.0]], win="H")


def comparable(windows):
    drop = {"contentID", "i", "visdom_wall"}  # wall times: when each request arrived
    return {k: {f: v for f, v in w.items() if f not in drop} for k, w in windows.items()}


def test_replay_of_offline_log_equals_direct_run(live_server, tmp_path):
    log = tmp_path / "run.log"
    run_session(Visdom(offline=True, log_to_filename=str(log), env="direct"))
    run_session(Visdom(port=live_server.port, server="http://127.0.0.1", env="direct"))
    replayer = Visdom(port=live_server.port, server="http://127.0.0.1", env="other")
    assert replayer.replay_log(str(log), env="replayed") == 8
    direct = comparable(env_windows(live_server, "direct"))
    assert direct == comparable(env_windows(live_server, "replayed"))
    assert direct["L"]["content"]["data"][0]["y"] == [1, 2, 2, 3, 4]
    assert direct["fresh"]["content"]["layout"]["title"] == "created by append"


def test_online_client_also_logs_and_replay_does_not_relog(live_server, tmp_path):
    log = tmp_path / "online.log"
    vis = Visdom(
        port=live_server.port, server="http://127.0.0.1", env="logged", log_to_filename=str(log)
    )
    vis.text("x", win="T")
    vis.win_exists("T")
    before = log.read_text()
    assert len(before.splitlines()) == 1
    vis.replay_log(str(log))
    assert log.read_text() == before
