"""Random and garbled payloads to every Socket.IO event of the namespace: every ack is an
answer or an error naming the field (never a 500), the connection stays usable, and the
server stays healthy."""

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from app.extensions import socketio
from app.sockets.namespace import VisdomNamespace

from . import strategies as fz
from .helpers import budget, check_healthy, check_restart_keeps, register_api_endpoints
from .test_http import FAST, seed

NO_SHRINK = [Phase.explicit, Phase.generate]


def socket_events():
    """Every event the namespace handles (a new handler is fuzzed without being listed)."""
    return sorted(
        name[3:]
        for name in dir(VisdomNamespace)
        if name.startswith("on_") and name not in ("on_connect", "on_disconnect")
    )


def check_ack(ack, what):
    """An ack is a JSON object; an error ack has a 4xx status and names its field."""
    assert isinstance(ack, dict), f"{what} -> {ack!r:.300}"
    if "error" in ack:
        assert isinstance(ack["error"], str) and ack["error"], f"{what} -> {ack!r:.300}"
        assert 400 <= ack.get("status", 500) < 500, f"{what} -> {ack!r:.300}"
        assert "field" in ack, f"{what} -> {ack!r:.300}"


def test_every_event_has_valid_payloads_to_mutate():
    events = socket_events()
    assert {"join_env", "browser_event", "close_window", "layout_item_update"} <= set(events)
    assert set(events) == set(fz.SOCKET_PAYLOADS), events


@pytest.mark.parametrize("login", [False, True], ids=["open", "login"])
def test_junk_to_every_socket_event_never_breaks_the_server(make_app, restart, login):
    app = make_app(**(dict(FAST, ENABLE_LOGIN=True) if login else {}))
    register_api_endpoints(app)
    headers, auth = None, None
    if login:
        users = app.extensions["visdom_auth"].users
        users.add("ed", "pw-ed", "editor")
        token = users.create_token("ed", "fuzz")
        headers, auth = {"Authorization": "Bearer " + token}, {"token": token}
    client = app.test_client()
    seed(client, headers)
    sio = socketio.test_client(app, flask_test_client=client, auth=auth)
    assert sio.is_connected()
    failures = []

    @settings(max_examples=budget(20 if login else 80), phases=NO_SHRINK)
    @given(st.data())
    def fuzz(data):
        for event in socket_events():
            value = data.draw(fz.payload(fz.SOCKET_PAYLOADS[event]), label=event)
            extra = data.draw(st.lists(fz.ANY_JSON, max_size=1), label="extra arguments")
            what = f"{event} {value!r:.200} {extra!r:.100}"
            try:
                ack = sio.emit(event, value, *extra, callback=True)
                check_ack(ack, what)
            except AssertionError as exc:
                failures.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - a handler that raised into the socket
                failures.append(f"{what} raised {exc!r}")
        sio.get_received()  # broadcasts caused by the valid-looking payloads

    fuzz()
    assert not failures, f"{len(failures)} bad acks:\n" + "\n".join(failures[:20])
    # The connection still works: join an env and see a window created live.
    assert sio.is_connected()
    ack = sio.emit("join_env", {"eid": "fuzz"}, callback=True)
    assert ack["eid"] == "fuzz" and "error" not in ack, ack
    before = check_healthy(client, headers)
    for eid in before:
        ack = sio.emit("join_env", {"eid": eid}, callback=True)
        assert "error" not in ack, (eid, ack)
    sio.disconnect()
    client = restart(app).test_client()
    check_restart_keeps(before, client, headers)
