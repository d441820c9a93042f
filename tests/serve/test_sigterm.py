"""A connected page must not hold up the server's exit on SIGTERM (issue 10 part 5):
gunicorn waits for open connections up to its graceful timeout, so the server closes
its websockets itself when told to stop."""

import json
import os
import signal
import sys
import time

import pytest
import requests
import socketio
from simple_websocket import Client as WebSocketClient

from tests.support.server import ServerProcess, free_port

PYBIN = os.path.dirname(sys.executable)


@pytest.mark.parametrize("entry", ["python -m app", "gunicorn wsgi:app"])
def test_sigterm_exits_promptly_with_connected_pages(tmp_path, entry):
    port = free_port()
    if entry == "python -m app":
        cmd = [sys.executable, "-m", "app", "-port", str(port)]
        env = None
    else:
        cmd = [os.path.join(PYBIN, "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
        env = {"VISDOM_BIND": f"127.0.0.1:{port}"}
    (tmp_path / "envs").mkdir()
    srv = ServerProcess(str(tmp_path / "envs"), command=cmd, env=env, port=port).start(timeout=30)
    proc, url = srv.proc, srv.url
    pages = []
    try:
        body = {"eid": "main", "win": "T", "data": [{"type": "text", "content": "saved"}]}
        assert requests.post(url + "/events", data=json.dumps(body), timeout=10).text == "T"
        for transport in ("websocket", "polling"):
            page = socketio.Client(reconnection=False)
            page.connect(url, transports=[transport])
            assert page.call("join_env", {"eid": "main"}, timeout=10)["exists"] is True
            pages.append(page)
        # An upstream client's raw websocket too. (Its `alive` is not awaited: under load
        # it is sometimes late, which is not what this test is about.)
        WebSocketClient.connect(url.replace("http", "ws") + "/vis_socket")
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        took = time.monotonic() - started
        # gunicorn waits up to its graceful timeout (5 s) for a connection left open.
        assert took < 3.5, f"exit took {took:.1f} s"
        with open(tmp_path / "envs" / "main.json", encoding="utf-8") as f:
            assert json.load(f)["jsons"]["T"]["content"] == "saved"  # still saved at exit
    finally:
        for page in pages:
            try:
                page.disconnect()
            except Exception:  # noqa: BLE001 - the server is gone
                pass
        srv.stop(kill=True)
