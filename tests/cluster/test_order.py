"""OrderedRedisManager: each env's numbered changes leave every process in `seq` order."""

import pytest
import socketio.pubsub_manager

from app.config import redis_url
from app.sockets.fanout import OrderedRedisManager, channel


@pytest.fixture
def delivered(monkeypatch):
    out = []
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


def test_redis_url_and_channels_per_database():
    assert redis_url({"STORE": "redis://h:6379/3"}) == "redis://h:6379/3"
    assert redis_url({"STORE": None}) is None
    assert redis_url({}) is None
    assert channel("redis://h:6379/3", "socketio") == "visdom:3:socketio"
    assert channel("redis://h:6379", "vis_socket") == "visdom:0:vis_socket"
