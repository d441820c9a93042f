"""join_env {eid, windows: false}: the page reads the windows over HTTP and joins for the rest."""


def payloads(sio, name):
    return [m["args"][0] for m in sio.get_received() if m["name"] == name]


def test_a_join_without_windows_acks_the_seq_the_http_snapshot_is_checked_against(
    sockets, client, plot, store
):
    plot("first")
    plot("second", title="ünïcode ✓")
    snapshot = client.get("/api/env/main").get_json()
    sio = sockets()
    ack = sio.emit("join_env", {"eid": "main", "windows": False}, callback=True)
    # No windows travel on the socket: the seq says the snapshot is current.
    assert set(ack) == {"eid", "seq", "exists", "undo"}
    assert ack == {"eid": "main", "seq": snapshot["seq"], "exists": True, "undo": 0}
    assert [w["id"] for w in snapshot["windows"]] == ["first", "second"]
    # Joined: the next change reaches this socket, numbered right after the snapshot.
    sio.get_received()
    plot("third")
    [msg] = payloads(sio, "window")
    assert msg["seq"] == snapshot["seq"] + 1 and msg["window"]["id"] == "third"


def test_a_change_after_the_snapshot_shows_in_the_joins_seq(sockets, client, plot):
    plot("first")
    snapshot = client.get("/api/env/main").get_json()
    plot("later")  # between the page's read and its join: not pushed to it
    ack = sockets().emit("join_env", {"eid": "main", "windows": False}, callback=True)
    assert ack["seq"] > snapshot["seq"]  # the page reads the env again


def test_a_join_without_windows_of_a_missing_env_says_it_does_not_exist(sockets, client, plot):
    assert client.get("/api/env/nothing_yet").status_code == 404
    sio = sockets()
    ack = sio.emit("join_env", {"eid": "nothing_yet", "windows": False}, callback=True)
    assert ack == {"eid": "nothing_yet", "seq": 0, "exists": False, "undo": 0}
    sio.get_received()
    plot("w", eid="nothing_yet")  # created: its windows arrive live
    assert [p["window"]["id"] for p in payloads(sio, "window")] == ["w"]


def test_the_usual_join_still_carries_the_windows(sockets, plot):
    plot("first")
    for flag in ({}, {"windows": True}, {"windows": "no"}):  # only false leaves them out
        ack = sockets().emit("join_env", {"eid": "main", **flag}, callback=True)
        assert [w["id"] for w in ack["windows"]] == ["first"]
        assert ack["exists"] is True
