"""register_event_handler of the upstream client receives browser events (websocket and
polling), and only for its own env."""

import json
import os
import subprocess
import textwrap
import threading
import time

import pytest
import socketio

from tests.support.upstream import PRELUDE, upstream_python

LISTENER = """
vis = connect(use_incoming_socket=True, use_polling=POLLING)
vis.text("pad", win="T")
got = []
vis.register_event_handler(lambda event: got.append(event), "T")
print("READY", flush=True)
deadline = time.time() + WAIT
while time.time() < deadline and len(got) < WANT:
    time.sleep(0.05)
time.sleep(0.3)
out["events"] = got
"""


def start_listener(server, env, polling=False, want=1, wait=10):
    code = PRELUDE + textwrap.dedent(LISTENER) + "\ndone()\n"
    code = code.replace("POLLING", str(polling)).replace("WANT", str(want))
    code = code.replace("WAIT", str(wait))
    proc = subprocess.Popen(
        [upstream_python(), "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, VISDOM_TEST_PORT=str(server.port), VISDOM_TEST_ENV=env),
    )
    ready = threading.Event()
    lines = []

    def read():
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(30):
        proc.kill()
        finish(proc, reader, lines)
        raise AssertionError("listener did not start")
    return proc, reader, lines


def finish(proc, reader, lines):
    proc.wait(timeout=60)
    reader.join(timeout=5)
    errors = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    result = [ln for ln in lines if ln.startswith("RESULT=")]
    assert result, f"listener failed: {errors[-2000:]}"
    return json.loads(result[-1][len("RESULT=") :])["events"]


def browser(server):
    client = socketio.Client()
    client.connect(server.root, socketio_path=server.base_url.strip("/") + "/socket.io")
    return client


@pytest.mark.parametrize("polling", [False, True], ids=["websocket", "polling"])
def test_key_press_reaches_handler_of_that_env_only(compat_server, polling):
    env = f"cb_{int(polling)}"
    mine = start_listener(compat_server, env, polling=polling)
    other = start_listener(compat_server, env + "_other", polling=polling, wait=3)
    time.sleep(0.5)
    sio = browser(compat_server)
    try:
        ack = sio.call(
            "browser_event",
            {"eid": env, "target": "T", "event_type": "KeyPress", "key": "a", "key_code": 65},
        )
        assert ack == {"ok": True}
    finally:
        sio.disconnect()
    events = finish(*mine)
    assert len(events) == 1
    event = events[0]
    assert event["event_type"] == "KeyPress" and event["key"] == "a" and event["key_code"] == 65
    assert event["eid"] == env and event["target"] == "T"
    assert event["pane_data"]["content"] == "pad"
    assert finish(*other) == [], "a client of another env must receive nothing"


def test_close_from_browser_reaches_handler(compat_server):
    mine = start_listener(compat_server, "cb_close")
    time.sleep(0.5)
    sio = browser(compat_server)
    try:
        assert sio.call("close_window", {"eid": "cb_close", "win": "T"}) == {"ok": True}
    finally:
        sio.disconnect()
    events = finish(*mine)
    assert [e["event_type"] for e in events] == ["close"]
    assert events[0]["pane_data"]["id"] == "T"
