"""app/worker.py: gthread, with a connection answered on its thread while requests keep
coming. Real server processes (`python -m app`), raw sockets and http.client."""

import http.client
import json
import os
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.worker import LINGER
from tests.support.server import ROOT, ServerProcess


@pytest.fixture
def server(tmp_path):
    (tmp_path / "envs").mkdir()
    srv = ServerProcess(str(tmp_path / "envs"), args=["-threads", "4"]).start()
    yield srv
    srv.stop()


def connect(srv):
    return http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)


def read_responses(sock, count):
    """Read `count` HTTP/1.1 responses with Content-Length bodies from a raw socket."""
    data, out = b"", []
    while len(out) < count:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {len(out)} responses"
        data += chunk
        while b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            if len(rest) < length:
                break
            out.append((head.split(b"\r\n", 1)[0], rest[:length]))
            data = rest[length:]
    return out


def test_one_connection_is_served_quickly_after_and_long_after_each_answer(server):
    conn = connect(server)
    body = {"eid": "w", "win": "t", "data": [{"content": "x", "type": "text"}]}
    conn.request("POST", "/events", body=json.dumps(body))
    first = conn.getresponse()
    assert first.status == 200 and first.read() == b"t"
    sock = conn.sock
    # At once (the thread that answered is still waiting on this connection) ...
    conn.request("POST", "/win_exists", body=json.dumps({"eid": "w", "win": "t"}))
    assert conn.getresponse().read() == b"true"
    # ... and after a pause well past LINGER (the connection went back to the poller).
    time.sleep(max(0.2, 50 * LINGER))
    conn.request("GET", "/healthz")
    assert conn.getresponse().read() == b"ok"
    assert conn.sock is sock  # one connection throughout
    conn.close()


def test_pipelined_requests_are_all_answered_in_order(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        one = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        body = json.dumps({"eid": "nope", "win": "t"}).encode()
        two = b"POST /win_exists HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (
            len(body),
            body,
        )
        sock.sendall(one + two + one)
        answers = read_responses(sock, 3)
    assert [status for status, _ in answers] == [b"HTTP/1.1 200 OK"] * 3
    assert [body for _, body in answers] == [b"ok", b"false", b"ok"]


def test_idle_connections_hold_no_thread(server):
    """Four threads, ten kept-alive connections left idle after a request: an eleventh
    client is still answered (a connection goes back to the poller when it is quiet)."""
    idle = [connect(server) for _ in range(10)]
    for conn in idle:
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() == b"ok"
    time.sleep(0.2)
    start = time.monotonic()
    late = connect(server)
    late.request("GET", "/healthz")
    assert late.getresponse().read() == b"ok"
    assert time.monotonic() - start < 2.0
    for conn in idle:  # and each idle connection still works
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() == b"ok"
        conn.close()
    late.close()


def test_many_busy_connections_on_few_threads_are_all_answered(server):
    """More connections in a loop than threads: a thread keeps its connection only while
    it is busy, and the others are not starved."""

    def client(n):
        conn = connect(server)
        try:
            body = {"eid": "busy", "win": f"w{n}"}
            body["data"] = [{"x": [0], "y": [0], "type": "scatter"}]
            conn.request("POST", "/events", body=json.dumps(body))
            assert conn.getresponse().read() == f"w{n}".encode()
            for i in range(1, 40):
                append = {"eid": "busy", "win": f"w{n}", "append": True}
                append["data"] = [{"x": [i], "y": [i]}]
                conn.request("POST", "/update", body=json.dumps(append))
                answer = conn.getresponse()
                assert answer.status == 200, answer.read()
                answer.read()
        finally:
            conn.close()

    with ThreadPoolExecutor(12) as pool:
        list(pool.map(client, range(12)))
    conn = connect(server)
    conn.request("POST", "/win_data", body=json.dumps({"eid": "busy"}))
    windows = json.loads(conn.getresponse().read())
    conn.close()
    assert sorted(windows) == sorted(f"w{n}" for n in range(12))
    for win in windows.values():
        assert win["content"]["data"][0]["x"] == list(range(40))


def test_both_ways_to_serve_use_it():
    """`gunicorn wsgi:app` (gunicorn.conf.py) and `python -m app` run this worker."""
    with open(os.path.join(ROOT, "gunicorn.conf.py"), encoding="utf-8") as f:
        assert 'worker_class = "app.worker.ThreadWorker"' in f.read()
    with open(os.path.join(ROOT, "app", "__main__.py"), encoding="utf-8") as f:
        assert '"worker_class", "app.worker.ThreadWorker"' in f.read()


class FakeRequest:
    """What gunicorn's Response reads of a parsed request."""

    def __init__(self, method="GET", version=(1, 1)):
        self.method, self.version = method, version

    def should_close(self):
        return False


class Wire:
    def __init__(self):
        self.sends = []

    def sendall(self, data):
        self.sends.append(bytes(data))


def respond(response_class, method, status, headers, body):
    from gunicorn.config import Config

    wire = Wire()
    resp = response_class(FakeRequest(method), wire, Config())
    resp.start_response(status, headers)
    for piece in body:
        resp.write(piece)
    resp.close()
    return wire.sends


SMALL = [b'{"ok": true}']
CASES = [  # method, status, headers, body pieces, sends expected
    ("GET", "200 OK", [("Content-Length", "12")], SMALL, 1),
    ("POST", "200 OK", [("Content-Length", "2"), ("X-Name", "é")], [b"w1"], 1),
    ("GET", "200 OK", [("Content-Length", "4")], [b"ab", b"cd"], 2),  # second piece alone
    ("GET", "200 OK", [("Content-Length", "3")], [b"abcdef"], 2),  # gunicorn cuts it
    ("GET", "200 OK", [], [b"ab", b"cd"], 4),  # no length: chunked, gunicorn's framing
    ("HEAD", "200 OK", [("Content-Length", "12")], SMALL, 1),  # headers only
    ("GET", "204 No Content", [], [b""], 1),
    ("GET", "304 Not Modified", [("ETag", '"x"')], [], 1),
    ("GET", "200 OK", [("Content-Length", "70000")], [b"x" * 70_000], 2),  # large: not copied
    ("GET", "200 OK", [("Content-Length", "0")], [b""], 1),
]


@pytest.mark.parametrize("method,status,headers,body,sends", CASES)
def test_a_response_is_gunicorns_bytes_in_fewer_sends(method, status, headers, body, sends):
    """OneSendResponse writes the very bytes gunicorn writes (its Date aside); a small
    body leaves in the same send as the headers."""
    from app.worker import OneSendResponse

    ours = b"".join(respond(OneSendResponse, method, status, headers, body))
    theirs = b"".join(respond(OneSendResponse.__bases__[0], method, status, headers, body))
    date = re.compile(rb"\r\nDate: [^\r]*")
    assert date.sub(b"", ours) == date.sub(b"", theirs)
    assert len(respond(OneSendResponse, method, status, headers, body)) == sends
