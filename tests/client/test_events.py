"""Callbacks: browser events reach handlers; failures are logged; restarts are survived."""

import logging
import os
import subprocess
import sys
import threading

import pytest

from tests.support.waiting import wait_for
from visdom_client import Visdom, VisdomError


@pytest.fixture
def vis_for(eid):
    made = []

    def make(server, **kwargs):
        client = Visdom(port=server.port, server="http://127.0.0.1", env=eid, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.shutdown()


def test_key_press_reaches_the_handler_with_pane_data(live_server, eid, vis_for, browser_factory):
    vis = vis_for(live_server)
    vis.text("pad", win="pad")
    events = []
    vis.register_event_handler(events.append, "pad")
    browser = browser_factory(live_server, eid)
    assert browser.send("pad", "KeyPress", key="a", key_code=65) == {"ok": True}
    assert wait_for(lambda: events)
    event = events[0]
    assert (event["event_type"], event["key"], event["key_code"]) == ("KeyPress", "a", 65)
    assert (event["target"], event["eid"]) == ("pad", eid)
    assert event["pane_data"]["content"] == "pad"


def test_property_update_and_handlers_are_called_in_order(
    live_server, eid, vis_for, browser_factory
):
    vis = vis_for(live_server)
    vis.properties([{"type": "number", "name": "lr", "value": "1"}], win="props")
    values = []
    vis.register_event_handler(lambda e: values.append(e["value"]), "props")
    browser = browser_factory(live_server, eid)
    for value in ("2", "3", "4", "5"):
        browser.send("props", "PropertyUpdate", propertyId=0, value=value)
    assert wait_for(lambda: len(values) == 4)
    assert values == ["2", "3", "4", "5"]


def test_events_of_other_windows_and_envs_are_not_delivered(
    live_server, eid, vis_for, browser_factory
):
    vis = vis_for(live_server)
    vis.text("x", win="a")
    vis.text("x", win="b")
    other = vis_for(live_server)
    other.text("x", win="a", env=eid + "_other")
    got = []
    vis.register_event_handler(got.append, "a")
    browser_factory(live_server, eid + "_other").send("a", "KeyPress", key="x", key_code=88)
    browser = browser_factory(live_server, eid)
    browser.send("b", "KeyPress", key="y", key_code=89)
    browser.send("a", "KeyPress", key="z", key_code=90)
    assert wait_for(lambda: got)
    assert [e["key"] for e in wait_for(lambda: got, timeout=0.5)] == ["z"]


def test_a_raising_handler_is_logged_and_others_still_run(
    live_server, eid, vis_for, browser_factory, caplog
):
    vis = vis_for(live_server)
    vis.text("x", win="t")
    got = []

    def broken(event):
        raise RuntimeError("handler bug")

    vis.register_event_handler(broken, "t")
    vis.register_event_handler(got.append, "t")
    with caplog.at_level(logging.ERROR, logger="visdom_client"):
        browser_factory(live_server, eid).send("t", "KeyPress", key="q", key_code=81)
        assert wait_for(lambda: got)
    assert "handler bug" in caplog.text


def test_close_event_from_the_browser(live_server, eid, vis_for, browser_factory):
    vis = vis_for(live_server)
    vis.text("bye", win="t")
    got = []
    vis.register_event_handler(got.append, "t")
    browser_factory(live_server, eid).close_window("t")
    assert wait_for(lambda: got)
    assert got[0]["event_type"] == "close"
    assert vis.win_exists("t") is False


def test_clear_event_handlers(live_server, eid, vis_for, browser_factory):
    vis = vis_for(live_server)
    vis.text("x", win="t")
    vis.text("x", win="u")
    got = []
    vis.register_event_handler(got.append, "t")
    vis.register_event_handler(got.append, "u")
    vis.clear_event_handlers("t")
    browser = browser_factory(live_server, eid)
    browser.send("t", "KeyPress", key="a", key_code=65)
    browser.send("u", "KeyPress", key="b", key_code=66)
    assert wait_for(lambda: got)
    assert [e["target"] for e in wait_for(lambda: got, timeout=0.5)] == ["u"]


def test_handler_env_defaults_to_the_env_the_window_was_drawn_in(
    live_server, eid, vis_for, browser_factory
):
    vis = vis_for(live_server)
    vis.text("x", win="t", env=eid + "_side")
    got = []
    vis.register_event_handler(got.append, "t")
    browser_factory(live_server, eid + "_side").send("t", "KeyPress", key="s", key_code=83)
    assert wait_for(lambda: got)


def test_a_second_env_is_subscribed_while_connected(live_server, eid, vis_for, browser_factory):
    vis = vis_for(live_server)
    vis.text("x", win="first")
    vis.text("x", win="second", env=eid + "_2")
    got = []
    vis.register_event_handler(got.append, "first")
    vis.register_event_handler(got.append, "second")
    browser_factory(live_server, eid + "_2").send("second", "KeyPress", key="k", key_code=75)
    assert wait_for(lambda: got)
    assert got[0]["target"] == "second"


def test_reconnects_and_resubscribes_after_server_restart(
    live_server, eid, vis_for, browser_factory
):
    vis = vis_for(live_server, raise_exceptions=False)
    vis.text("x", win="t")
    got = []
    arrived = threading.Event()

    def handler(event):
        got.append(event["key"])
        arrived.set()

    vis.register_event_handler(handler, "t")
    live_server.restart(kill=True)
    assert wait_for(lambda: vis.text("x", win="t") == "t", timeout=15)
    listener = vis._events
    assert listener.wait_connected(15)
    assert wait_for(lambda: eid in listener.subscribed, timeout=15)
    browser_factory(live_server, eid).send("t", "KeyPress", key="r", key_code=82)
    assert arrived.wait(10)
    assert got == ["r"]


def test_handlers_need_the_socket(live_server, vis_for):
    vis = vis_for(live_server, use_incoming_socket=False)
    with pytest.raises(VisdomError, match="use_incoming_socket"):
        vis.register_event_handler(print, "t")
    with pytest.raises(TypeError, match="handler"):
        vis_for(live_server).register_event_handler("not callable", "t")


def test_polling_transport_delivers_events(live_server, eid, vis_for, browser_factory):
    vis = vis_for(live_server, use_polling=True)
    vis.text("x", win="t")
    got = []
    vis.register_event_handler(got.append, "t")
    browser_factory(live_server, eid).send("t", "KeyPress", key="p", key_code=80)
    assert wait_for(lambda: got)


def test_api_token_authenticates_http_and_socket(server_factory, tmp_path, eid, browser_factory):
    env = dict(os.environ, VISDOM_USERS_FILE=str(tmp_path / "users.json"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    run = [sys.executable, "-m", "app", "users"]
    subprocess.run(
        [*run, "add", "bob", "--password-stdin"],
        input="pw\n",
        env=env,
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    token = (
        subprocess.run(
            [*run, "token", "add", "bob"],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    srv = server_factory("-enable_login", env={"VISDOM_USERS_FILE": env["VISDOM_USERS_FILE"]})
    vis = Visdom(port=srv.port, server="http://127.0.0.1", env=eid, token=token)
    try:
        assert vis.text("x", win="t") == "t"
        got = []
        vis.register_event_handler(got.append, "t")
        assert vis._events.wait_connected(10)
        browser = browser_factory(srv, eid, auth={"token": token})
        assert browser.send("t", "KeyPress", key="t", key_code=84) == {"ok": True}
        assert wait_for(lambda: got)
    finally:
        vis.shutdown()
