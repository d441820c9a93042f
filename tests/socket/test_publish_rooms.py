"""A change of an env no page shows is not prepared for the browsers (nobody would get it);
a page that shows the env gets every change as before."""

import pytest

from app import broadcast


@pytest.fixture
def prepared(monkeypatch):
    """Count the window_update payloads prepared for browsers."""
    calls = []
    real = broadcast.delta_for_browser

    def counting(payload):
        calls.append(payload["eid"])
        return real(payload)

    monkeypatch.setattr(broadcast, "delta_for_browser", counting)
    return calls


def _append(post, eid, x):
    body = {"eid": eid, "win": "L", "name": "a", "append": True}
    body["data"] = [{"x": [x], "y": [float("nan") if x == 3 else x * 0.5]}]
    answer = post("/update", body)
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_only_the_envs_pages_show_are_prepared_and_sent(sockets, post, prepared):
    for eid in ("shown", "hidden 😀"):
        post(
            "/events",
            {
                "eid": eid,
                "win": "L",
                "data": [{"x": [0], "y": [0.0], "name": "a", "type": "scatter"}],
            },
        )
    page = sockets()
    assert page.emit("join_env", {"eid": "shown"}, callback=True)
    page.get_received()

    _append(post, "hidden 😀", 1)
    assert prepared == []
    assert [m["name"] for m in page.get_received()] == []

    _append(post, "shown", 2)
    _append(post, "shown", 3)  # NaN: the page gets null
    assert prepared == ["shown", "shown"]
    updates = [m["args"][0] for m in page.get_received() if m["name"] == "window_update"]
    assert [u["traces"][0]["x"] for u in updates] == [[2], [3]]
    assert updates[1]["traces"][0]["y"] == [None]
    assert updates[1]["seq"] == updates[0]["seq"] + 1

    page.emit("leave_env", {"eid": "shown"}, callback=True)
    page.get_received()
    _append(post, "shown", 4)
    assert prepared == ["shown", "shown"]
