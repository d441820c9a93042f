"""OrderedRedisManager: each env's numbered changes leave every process in `seq` order."""

import pytest
import socketio.pubsub_manager

from app.config import redis_url
from app.sockets import fanout
from app.sockets.fanout import OrderedRedisManager, channel, listen_forever


@pytest.fixture
def delivered(monkeypatch):
    """What the manager hands to this process's connections (a page shows every env)."""
    out = []
    monkeypatch.setattr(fanout, "has_members", lambda manager, room, namespace="/": True)
    monkeypatch.setattr(
        socketio.pubsub_manager.PubSubManager,
        "_handle_emit",
        lambda self, message: out.append((message["event"], message["data"][0].get("seq"))),
    )
    return out


def change(seq, eid="e", event="window_update"):
    return {
        "method": "emit",
        "event": event,
        "data": [{"eid": eid, "seq": seq}],
        "room": f"env:{eid}",
    }


def test_a_change_that_skips_a_number_waits_for_the_missing_one(delivered):
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c")
    for seq in (4, 6, 7, 5, 8):
        manager._handle_emit(change(seq))
    assert [seq for _, seq in delivered] == [4, 5, 6, 7, 8]
    assert manager._held == {}


def test_envs_are_ordered_independently_and_other_messages_pass(delivered):
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c")
    manager._handle_emit(change(1, "a"))
    manager._handle_emit(change(1, "b"))
    manager._handle_emit(change(3, "a"))  # held: a#2 is missing
    manager._handle_emit(change(2, "b"))
    manager._handle_emit({"method": "emit", "event": "env_list", "data": [{}], "room": None})
    assert delivered == [
        ("window_update", 1),
        ("window_update", 1),
        ("window_update", 2),
        ("env_list", None),
    ]
    manager._handle_emit(change(2, "a"))
    assert delivered[-2:] == [("window_update", 2), ("window_update", 3)]


def test_a_missing_change_is_given_up_after_the_hold_time(delivered):
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c", hold=1.0)
    manager._handle_emit(change(1))
    manager._handle_emit(change(3))
    manager._handle_emit(change(4))
    assert [seq for _, seq in delivered] == [1]
    manager._expire(now=0)  # not yet
    assert [seq for _, seq in delivered] == [1]
    manager._expire(now=float("inf"))  # the page will see the gap and resync
    assert [seq for _, seq in delivered] == [1, 3, 4]
    manager._handle_emit(change(2))  # late: passed through at once, the page drops it
    manager._handle_emit(change(5))
    assert [seq for _, seq in delivered] == [1, 3, 4, 2, 5]


def test_a_recreated_env_starts_again_at_one(delivered):
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c")
    for seq in (7, 8, 1, 2):
        manager._handle_emit(change(seq))
    assert [seq for _, seq in delivered] == [7, 8, 1, 2]


def test_an_env_no_page_here_shows_keeps_no_order(delivered, monkeypatch):
    # Changes of an env no page anywhere shows are not published (app/state/redis_watch.py):
    # when a page comes, the next published change skips numbers and must not be held.
    shown = {"env:e": True}
    monkeypatch.setattr(fanout, "has_members", lambda manager, room, namespace="/": shown[room])
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c", hold=3600)
    manager._handle_emit(change(1))
    manager._handle_emit(change(3))  # held behind #2 while a page shows the env
    assert [seq for _, seq in delivered] == [1]
    shown["env:e"] = False  # the page left: #2 never comes, nothing is held
    manager._handle_emit(change(4))
    assert manager._held == {} and manager._last == {}
    shown["env:e"] = True  # a page came back: #4 to #9 were not published
    manager._handle_emit(change(10))
    manager._handle_emit(change(11))
    assert [seq for _, seq in delivered] == [1, 10, 11]


def test_after_an_outage_held_changes_leave_and_the_next_number_is_not_waited_for(delivered):
    # #3 was numbered in Redis while this process's listener was away: its message is
    # lost, so #4 must not wait HOLD_SECONDS for it once the listener is back.
    manager = OrderedRedisManager("redis://127.0.0.1:1/0", "c", hold=3600)
    manager._handle_emit(change(1))
    manager._handle_emit(change(2))
    manager._handle_emit(change(5, "a"))
    manager._handle_emit(change(7, "a"))  # held behind a#6 (a#5 went first: no number yet)
    assert [seq for _, seq in delivered] == [1, 2, 5]
    manager.forget_order()
    assert [seq for _, seq in delivered] == [1, 2, 5, 7]
    assert manager._held == {}
    manager._handle_emit(change(4))
    manager._handle_emit(change(5))
    manager._handle_emit(change(7))  # a gap again after the restart: held as before
    assert [seq for _, seq in delivered] == [1, 2, 5, 7, 4, 5]


def test_the_listener_reports_each_return_after_a_break_and_not_the_first_subscribe(
    monkeypatch,
):
    monkeypatch.setattr(fanout.time, "sleep", lambda seconds: None)
    returns, attempts = [], []

    class Broken:
        def __init__(self, items):
            self.items = items

        def listen(self):
            yield from self.items
            raise ConnectionError("Redis went away")

        def close(self):
            pass

    def subscribe():
        attempts.append(1)
        if len(attempts) == 2:
            raise ConnectionError("still away")
        return Broken([f"m{len(attempts)}"])

    items = listen_forever(subscribe, "test", lambda: returns.append(len(attempts)))
    assert next(items) == "m1"
    assert returns == []
    assert next(items) == "m3"  # attempt 2 failed; attempt 3 is the first that listens
    assert returns == [3]
    assert next(items) == "m4"
    assert returns == [3, 4]


def test_redis_url_and_channels_per_database():
    assert redis_url({"STORE": "redis://h:6379/3"}) == "redis://h:6379/3"
    assert redis_url({"STORE": None}) is None
    assert redis_url({}) is None
    assert channel("redis://h:6379/3", "socketio") == "visdom:3:socketio"
    assert channel("redis://h:6379", "vis_socket") == "visdom:0:vis_socket"
