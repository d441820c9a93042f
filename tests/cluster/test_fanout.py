"""Broadcasts and callbacks cross processes through Redis (two processes, one Redis).

These tests create what they need on the process they use, so they test the message bus
and not the shared store: they pass with the embedded store per process too.
"""

import json
import os
import queue
import subprocess
import textwrap
import time

import requests
import socketio

from tests.support.upstream import PRELUDE, upstream_python
from visdom_client import Visdom

from .conftest import settle


def text_window(server, eid, win, content="pad"):
    body = {"eid": eid, "win": win, "opts": {}, "data": [{"content": content, "type": "text"}]}
    r = requests.post(server.url + "/events", data=json.dumps(body), timeout=10)
    assert r.status_code == 200, r.text
    return r.text


class Page:
    """A browser-like Socket.IO client on one process: joins an env, records pushes."""

    def __init__(self, server, eid):
        self.messages = queue.Queue()
        self.client = socketio.Client(reconnection=False, request_timeout=30)
        for name in ("window", "window_update", "close", "layout"):
            self.client.on(name, lambda data, name=name: self.messages.put((name, data)))
        self.client.connect(server.root, transports=["websocket"], wait_timeout=30)
        self.ack = self.client.call("join_env", {"eid": eid}, timeout=10)

    def next(self, timeout=10):
        return self.messages.get(timeout=timeout)

    def close(self):
        self.client.disconnect()


def test_a_change_through_one_process_reaches_a_page_on_the_other(cluster):
    a, b = cluster.servers
    page = Page(b, "fan")
    try:
        settle()
        text_window(a, "fan", "T1", "hello")
        name, data = page.next()
        assert name == "window" and data["eid"] == "fan" and isinstance(data["seq"], int)
        assert (data["window"]["id"], data["window"]["content"]) == ("T1", "hello")
        requests.post(a.url + "/close", data=json.dumps({"eid": "fan", "win": "T1"}), timeout=10)
        name, data = page.next()
        assert (name, data["win"]) == ("close", "T1")
    finally:
        page.close()


LISTENER = """
vis = connect(env="cross", use_incoming_socket=True)
vis.text("pad", win="T")
got = []
vis.register_event_handler(lambda event: got.append(event), "T")
print("READY", flush=True)
deadline = time.time() + 30
while time.time() < deadline and not got:
    time.sleep(0.05)
out["events"] = got
"""


def test_a_browser_event_on_one_process_reaches_subscribers_on_the_other(cluster):
    a, b = cluster.servers
    text_window(b, "cross", "T")  # the window the browser clicks on B exists there
    ours = Visdom(port=a.port, server="http://127.0.0.1", env="cross")
    upstream = subprocess.Popen(
        [upstream_python(), "-c", PRELUDE + textwrap.dedent(LISTENER) + "\ndone()\n"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, VISDOM_TEST_PORT=str(a.port)),
    )
    browser = socketio.Client(reconnection=False, request_timeout=30)
    try:
        got = []
        ours.register_event_handler(got.append, "T")
        assert upstream.stdout.readline().startswith("READY"), upstream.stderr.read()
        browser.connect(b.root, transports=["websocket"], wait_timeout=30)
        settle()
        event = {"eid": "cross", "target": "T", "event_type": "KeyPress", "key": "q"}
        for _ in range(40):  # until both subscribers on A have one (joins travel too)
            assert browser.call("browser_event", event, timeout=10) == {"ok": True}
            if got and upstream.poll() is not None:
                break
            time.sleep(0.5)
        out, err = upstream.communicate(timeout=60)
    finally:
        browser.disconnect()
        ours.shutdown()
        if upstream.poll() is None:
            upstream.kill()
            upstream.communicate()
    assert got and (got[0]["key"], got[0]["eid"], got[0]["target"]) == ("q", "cross", "T")
    assert got[0]["pane_data"]["content"] == "pad"  # attached by process B
    line = [ln for ln in out.splitlines() if ln.startswith("RESULT=")]
    assert line, err[-2000:]
    events = json.loads(line[-1][len("RESULT=") :])["events"]
    assert events and events[0]["key"] == "q" and events[0]["target"] == "T"
