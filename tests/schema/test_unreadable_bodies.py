"""A body the server cannot read (a broken chunked encoding) is a 400 naming `body` on a
real server process, on every kind of POST route: JSON, multipart upload, login forms."""

import json
import socket

import pytest

BROKEN_CHUNKS = b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc"


def _raw(server, head):
    """Send raw request bytes, half-close, and return (status, body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(head)
        conn.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/events", "text/plain"),
        ("/update", "application/json"),
        ("/win_data", "application/json"),
        ("/api/views", "application/json"),
        ("/vis_socket_wrap", "application/json"),
        ("/upload_env", "multipart/form-data; boundary=xx"),
    ],
)
def test_a_broken_chunked_body_is_a_400(schema_server, path, content_type):
    request = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n".encode()
    status, body = _raw(schema_server, request + BROKEN_CHUNKS)
    assert status == 400, body
    error = json.loads(body)
    assert error["status"] == 400 and error["error"]
    assert error["field"] in ("body", "file"), error


@pytest.mark.parametrize(
    "path, content_type",
    [("/login", "application/x-www-form-urlencoded"), ("/", "application/json")],
)
def test_a_broken_login_body_is_a_400(login_server, path, content_type):
    request = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n".encode()
    status, body = _raw(login_server, request + BROKEN_CHUNKS)
    assert status == 400, body
    assert json.loads(body)["error"]


def test_the_server_still_answers_after_them(schema_server):
    status, body = _raw(
        schema_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert (status, body) == (200, b"ok")
