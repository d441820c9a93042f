"""RedisStore's write path: one script per queued write, turns between processes, and
changes published by the script that stores them (app/state/redis_store.py docstring).

These run on a real redis-server and on the three-node Redis Cluster of the contract
suite; what every backend must do is in the other files of this folder.
"""

import json
import os
import socket
import threading
import time

import pytest
import redis

from app.common import VisdomError
from app.sockets.fanout import OrderedRedisManager, channel
from app.state.redis_keys import Key

from .conftest import RedisBackend, RedisClusterBackend


@pytest.fixture(params=[RedisBackend, RedisClusterBackend], ids=["redis", "redis-cluster"])
def backend(request, tmp_path):
    instance = request.param(request, tmp_path)
    yield instance
    instance.close()


class RecordingManager(OrderedRedisManager):
    """The real fan-out manager, with this process's deliveries recorded (no Socket.IO
    server behind it in these tests)."""

    def __init__(self, url):
        super().__init__(url, channel(url, "socketio"))
        self.delivered = []

    def _deliver(self, message):
        self.delivered.append(message["data"][0]["seq"])


def with_fanout(store, url):
    """Wire `store` as app.sockets.init_app does: publish emits through the manager."""
    manager = RecordingManager(url)
    store.publish = lambda eid, event, payload: manager.emit(event, payload, to=f"env:{eid}")
    store.fanout = (manager.holding, manager.channel)
    return manager


def line(store, eid="w", win="line"):
    trace = {"x": [0], "y": [0.0], "name": "1", "type": "scatter"}
    store.put_window(eid, {"win": win, "data": [trace], "opts": {}})


def append(store, x, eid="w", win="line"):
    y = float("nan") if x % 7 == 0 else x + 0.5
    trace = {"x": [x], "y": [y], "name": "1", "type": "scatter"}
    store.update_window(eid, {"win": win, "name": "1", "append": True, "data": [trace]})


def stored_x(store, eid="w", win="line"):
    return list(store.window(eid, win)["content"]["data"][0]["x"])


def in_threads(n, target):
    errors = []

    def run(k):
        try:
            target(k)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]


def calls(url, command):
    with redis.Redis.from_url(url) as client:
        info = client.info("commandstats")
    return info.get(f"cmdstat_{command}", {}).get("calls", 0)


def script_runs(url):
    return calls(url, "evalsha")


def test_queued_writes_of_one_process_cost_one_script_each(backend):
    store = backend.open_store()
    line(store)
    per, threads = 40, 8
    before = script_runs(backend.url) if backend.name == "redis" else None
    lookups = calls(backend.url, "zscore") if before is not None else None

    def writer(k):
        for i in range(per):
            append(store, 1 + k * per + i)

    in_threads(threads, writer)
    writes = per * threads
    if before is not None:
        runs = script_runs(backend.url) - before
        # Locking, catching up, committing and releasing took three scripts per write
        # (plus a PUBLISH); while writes queue in one process it is one script each.
        assert runs < 1.5 * writes, (runs, writes)
        # Nor does an append ask whether its env still exists (one more round trip).
        looked = calls(backend.url, "zscore") - lookups
        assert looked < 0.5 * writes, (looked, writes)
    rep = store._replica(store._find("w"))
    # The last write dropped the lock: an idle env is never locked.
    assert store.redis.get(rep.keys[Key.LOCK]) is None
    assert rep.token is None
    other = backend.open_store()
    assert sorted(stored_x(other)) == list(range(writes + 1))


def test_two_processes_writing_one_env_take_turns(backend):
    a, b = backend.open_store(), backend.open_store()
    line(a)
    stop = time.monotonic() + 1.5
    done = {"a": [], "b": []}
    slowest = []

    def writer(k):
        store, name = (a, "a") if k % 2 == 0 else (b, "b")
        x = 1 + k * 100_000
        while time.monotonic() < stop:
            t0 = time.monotonic()
            append(store, x)
            slowest.append(time.monotonic() - t0)
            done[name].append(x)
            x += 1

    in_threads(6, writer)
    total = len(done["a"]) + len(done["b"])
    # Neither process waits for the other to run out of writes: each gets turns.
    assert len(done["a"]) > total * 0.15 and len(done["b"]) > total * 0.15, {
        k: len(v) for k, v in done.items()
    }
    assert max(slowest) < 1.0, max(slowest)
    want = sorted([0, *done["a"], *done["b"]])
    assert sorted(stored_x(a)) == want
    assert sorted(stored_x(b)) == want
    assert sorted(stored_x(backend.open_store())) == want


def test_changes_leave_from_the_storing_script_in_seq_order(backend):
    a, b = backend.open_store(), backend.open_store()
    # On the cluster: one node (PUBLISH reaches the subscribers of every node).
    sub_client = redis.Redis.from_url(backend.url)
    managers = [with_fanout(a, backend.url), with_fanout(b, backend.url)]
    pubsub = sub_client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(managers[0].channel)
    b.watching("page", ["w"])  # a page of b shows the env: every change is published
    line(a)

    def writer(k):
        store = a if k % 2 == 0 else b
        for i in range(30):
            append(store, 1 + k * 1000 + i)

    in_threads(6, writer)
    seqs, deadline = [], time.monotonic() + 10
    while len(seqs) < 181 and time.monotonic() < deadline:
        item = pubsub.get_message(timeout=0.5)
        if item and item["type"] == "message":
            seqs.append(json.loads(item["data"])["data"][0]["seq"])
    pubsub.close()
    sub_client.close()
    # One stream, numbered in the same atomic step: Redis carries them 1, 2, 3, ...
    assert seqs == list(range(1, 182))
    for manager in managers:  # each process's own connections: its changes, in order
        assert manager.delivered == sorted(manager.delivered)
    assert sorted(managers[0].delivered + managers[1].delivered) == list(range(1, 182))


def test_a_change_redis_refuses_is_not_published_and_later_writes_go_on(backend):
    store = backend.open_store()
    manager = with_fanout(store, backend.url)
    store.watching("page", ["w"])
    line(store)
    append(store, 1)
    rep = store._replica(store._find("w"))
    publish = store.publish

    def steal_the_lock(eid, event, payload):
        # Another process takes the lock between this write's catch-up and its commit
        # (as after a take-over): COMMIT must refuse, and nothing may be announced.
        store.redis.set(rep.keys[Key.LOCK], "someone:else", px=300)
        publish(eid, event, payload)

    store.publish = steal_the_lock
    with pytest.raises(VisdomError) as err:
        append(store, 2)
    assert err.value.status == 503
    store.publish = publish
    assert manager.delivered == [1, 2]  # the window and the first append; not seq 3
    time.sleep(0.35)  # the other "process" lets its lock expire
    append(store, 3)
    assert manager.delivered == [1, 2, 3]
    assert stored_x(backend.open_store()) == [0, 1, 3]
    assert stored_x(store) == [0, 1, 3]


def published(url, manager, action):
    """Return the seqs PUBLISHed on the Socket.IO channel while `action()` runs."""
    with redis.Redis.from_url(url) as client:
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(manager.channel)
        while pubsub.get_message(timeout=0.2):
            pass  # the subscribe confirmation
        action()
        seqs, quiet_until = [], time.monotonic() + 0.5
        while time.monotonic() < quiet_until:
            item = pubsub.get_message(timeout=0.1)
            if item and item["type"] == "message":
                seqs.append(json.loads(item["data"])["data"][0]["seq"])
        pubsub.close()
    return seqs


def test_changes_of_an_env_no_page_shows_are_stored_and_not_published(backend):
    a, b = backend.open_store(), backend.open_store()
    managers = [with_fanout(a, backend.url), with_fanout(b, backend.url)]
    line(a)  # the first commit publishes (nobody knows yet): it learns that nobody watches

    def writes():
        for x in range(1, 21):
            append(a if x % 2 else b, x)

    # Only b's first commit (seq 3: a's x=1 was #2) publishes: b had not committed yet.
    assert published(backend.url, managers[0], writes) == [3]
    assert managers[0].delivered == [1] and managers[1].delivered == [3]
    assert stored_x(backend.open_store()) == list(range(21))


def test_a_page_that_comes_gets_every_change_after_it_watches(backend):
    """The race the watch mark closes: a writer that saw no page commits "blind"; a page
    of another process watches; the writer's next commit is refused, encoded and sent
    again, so the page misses nothing numbered after its snapshot."""
    a, b = backend.open_store(), backend.open_store()
    managers = [with_fanout(a, backend.url), with_fanout(b, backend.url)]
    line(a)
    append(a, 1)  # blind from now on
    assert a._replica(a._find("w")).watched is False
    b.watching("sid-1", ["w"])
    seq = b.env_seq("w")  # the page's snapshot, read after it watches

    def writes():
        for x in range(2, 8):
            append(a, x)

    seqs = published(backend.url, managers[0], writes)
    assert seqs == list(range(seq + 1, seq + 7))
    assert managers[0].delivered == [1] + seqs  # a's own connections too, in order
    # The page leaves: the mark goes, and after one more commit (which still publishes:
    # the writer learns it from that commit) the writes are blind again.
    b.watching("sid-1", [])
    with redis.Redis.from_url(backend.url) as client:
        assert not client.exists(a._replica(a._find("w")).keys[Key.WATCH])

    def more():
        for x in range(8, 12):
            append(a, x)

    assert published(backend.url, managers[0], more) == [seq + 7]
    assert stored_x(b) == list(range(12))


def test_watch_marks_count_pages_and_outlive_a_deleted_env(backend):
    store = backend.open_store()
    line(store)
    key = store._replica(store._find("w")).keys[Key.WATCH]
    owner = store.owner.encode()
    with redis.Redis.from_url(backend.url) as client:
        store.watching("p1", ["w", "other"])
        store.watching("p2", ["w"])
        assert client.hkeys(key) == [owner]
        assert 0 < client.pttl(key) <= 60_000
        store.watching("p1", ["other"])  # p2 still shows w
        assert client.hkeys(key) == [owner]
        store.delete_env("w")  # the page stays on the env: so does its mark
        assert client.hkeys(key) == [owner]
        client.delete(key)  # as after a Redis restart that lost it: renewed by the loop
        store._renew_watches(now=True)
        assert client.hkeys(key) == [owner]
        store.watching("p2", [])
        assert not client.exists(key)
        store.watching("p1", [])
        assert store._watchers == {} and store._watch_keys == {}


def test_scripts_are_packed_as_redis_py_packs_them():
    """RedisStore sends its scripts itself (RedisStore._evalsha): the same bytes."""
    from redis.connection import Connection

    from app.state.redis_conn import pack_command

    parts = ("EVALSHA", "f" * 40, 2, "v{é}:seq", "k", b"\x00\xff\r\n", 0, -7, 2**70, 1.5, "")
    assert pack_command(*parts) == b"".join(Connection().pack_command(*parts))
    with pytest.raises(redis.DataError):
        pack_command("SET", "k", True)


def test_a_write_goes_through_when_its_pooled_connection_was_closed(backend):
    """As after a Redis restart: a pooled connection is dead. Those redis-py finds dead
    when handing them out are reconnected; the store's own script connections (and one
    that dies after it was handed out, shut here) get one immediate retry on a new
    connection, which stores the change once."""
    store = backend.open_store()
    line(store)
    append(store, 1)
    with redis.Redis.from_url(backend.url) as admin:
        assert admin.client_kill_filter(_type="normal", skipme=True) >= 1
    append(store, 2)
    if backend.name == "redis":  # one Redis: the store sends its scripts on its own line
        idle = list(store._line.idle)
        assert idle
        for conn in idle:  # they die after they were handed out, as if Redis restarted
            conn._sock.shutdown(socket.SHUT_RDWR)
        append(store, 3)
        assert all(conn._sock is not None for conn in store._line.idle)
    else:
        append(store, 3)
    assert stored_x(backend.open_store()) == [0, 1, 2, 3]


def test_a_forked_process_makes_its_own_script_connections(backend):
    """gunicorn forks its workers: a child must not talk on its parent's sockets."""
    if backend.name != "redis":
        pytest.skip("one Redis: the store's own script connections")
    store = backend.open_store()
    line(store)
    append(store, 1)
    parents = list(store._line.idle)
    assert parents
    pid = os.fork()
    if pid == 0:  # the child: write, and say by the exit code whether it used its own
        code = 1
        try:
            append(store, 2)
            code = 0 if not set(map(id, store._line.idle)) & set(map(id, parents)) else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    append(store, 3)  # the parent's connections still work
    assert list(store._line.idle) == parents
    assert stored_x(backend.open_store()) == [0, 1, 2, 3]
