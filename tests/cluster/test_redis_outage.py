"""Redis killed with SIGKILL under load and started again (AOF, appendfsync always).

One server process with STORE=redis://, a writer appending single points, a page on a
socket. While Redis is down every append is answered 503 naming Redis, quickly (never a
500, never a hang); reads too. Once Redis answers again the process serves writes by
itself (store client, env lock left in the AOF, liveness key) and pushes reach the page
again (the Socket.IO Redis listener resubscribed). No point answered 200 is missing from
Redis afterwards (read by a fresh process); points answered 503 that were stored anyway
(the commit ran, its answer was lost: docs/deploy.md) are counted and printed.

The bounds here are loose for a loaded CI machine; bench/redis_outage.py prints the real
figures against the goals (100 ms answers during the outage, 1 s to recover).
"""

import json
import time

import pytest
import redis
import requests

from app.common import VisdomError
from app.state.redis_conn import ScriptLine, client, pack_command
from app.state.redis_keys import ALIVE_PREFIX, Key
from app.state.redis_replica import Replica
from app.state.redis_store import RedisStore
from tests.support.outage import AofRedis, Writer, make_windows, run_outage, stored_points
from tests.support.server import login_env

from .test_fanout import Page

ANSWER_BOUND = 1.0  # s, each answer during the outage (goal 0.1 s: the bench)
RECOVERY_BOUND = 3.0  # s, Redis answering -> first 200 (goal 1 s: the bench)
# s, Redis answering -> first push on the page: the listener's resubscribe (<= 0.25 s;
# the numbers it missed are forgotten, nothing waits HOLD_SECONDS), loose for CI.
PUSH_BOUND = 2.0


@pytest.fixture
def store():
    server = AofRedis()
    server.start()
    yield server
    server.stop()


def is_redis_503(text):
    body = json.loads(text)
    return body["status"] == 503 and "Redis" in body["error"]


def test_appends_during_a_redis_outage_get_503_and_the_process_recovers(
    store, server_factory, capsys
):
    server = server_factory("-store", store.url)
    make_windows(server.url, "outage", 1)
    page = Page(server, "outage")
    pushed = []  # (arrival time, window_update payload)
    page.client.on("window_update", lambda data: pushed.append((time.monotonic(), data)))
    try:
        outcome = run_outage(server.url, store, "outage", before=1.0, outage=3.0, after=2.0)
        time.sleep(0.5)
    finally:
        page.close()

    during = outcome.during()
    assert len(during) >= 5, outcome.statuses()
    assert outcome.statuses(during) == {503: len(during)}
    assert all(is_redis_503(r.error) for r in during), during[0].error
    slowest = max(r.seconds for r in during)
    assert slowest <= ANSWER_BOUND, f"an append waited {slowest:.3f} s during the outage"
    # Around the kill and the restart too: 200 or 503, never a 500 or no answer.
    assert set(outcome.statuses()) <= {200, 503}, outcome.statuses()
    refusals = [r for r in outcome.records if r.status == 503]
    assert all(is_redis_503(r.error) for r in refusals)

    recovery = outcome.recovery()
    assert recovery is not None and recovery <= RECOVERY_BOUND, recovery
    # From the first 200 on, every append is stored.
    after = [r for r in outcome.records if r.sent >= outcome.answering + recovery]
    assert after and {r.status for r in after} == {200}, outcome.statuses(after)

    # A page joined before the outage gets the appends made after it: the process's
    # Socket.IO listener subscribed to Redis again (every emit goes through Redis).
    late = {r.x for r in after}
    seen = {x for _, data in pushed for trace in data.get("traces", []) for x in trace["x"]}
    assert late & seen, f"no push after the restart reached the page ({len(pushed)} pushes)"
    first_push = min(t for t, _ in pushed if t > outcome.answering) - outcome.answering
    assert first_push <= PUSH_BOUND, f"pushes came back {first_push:.2f} s after Redis"

    # Truth from Redis: a process started now has no replica to trust.
    fresh = server_factory("-store", store.url)
    stored = outcome.read_stored(fresh.url, "outage")
    assert not outcome.lost(), sorted(outcome.lost())[:10]
    assert outcome.acked() <= stored
    with capsys.disabled():
        print()
        for line in outcome.figures():
            print("  redis outage:", line)
        print(
            f"  redis outage: Redis answering again -> first push on the page: {first_push:.3f} s"
        )


def test_reads_and_pages_answer_503_while_redis_is_down(store, server_factory):
    server = server_factory("-store", store.url)
    make_windows(server.url, "reads", 1)
    page = Page(server, "reads")
    store.kill()
    try:
        ack = page.client.call("join_env", {"eid": "reads"}, timeout=10)
        assert ack["status"] == 503 and "Redis" in ack["error"], ack
        assert page.client.connected
        answers = [
            requests.post(server.url + "/win_data", data='{"eid": "reads"}', timeout=10),
            requests.get(server.url + "/api/env/reads", timeout=10),
            requests.get(server.url + "/api/window/reads/w0", timeout=10),
            requests.get(server.url + "/", timeout=10),
            requests.post(
                server.url + "/win_exists", data='{"eid":"reads","win":"w0"}', timeout=10
            ),
        ]
        for answer in answers:
            assert answer.status_code == 503, (answer.request.url, answer.text[:300])
            assert is_redis_503(answer.text)
            assert answer.headers["Retry-After"] == "1"
    finally:
        store.start()
        page.close()
    # Back: the process answers without a restart of its own.
    deadline = time.monotonic() + RECOVERY_BOUND
    while True:
        answer = requests.post(server.url + "/win_data", data='{"eid": "reads"}', timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert answer.status_code == 200, answer.text
    assert stored_points(server.url, "reads") == {"w0": {0}}


def test_a_signed_in_writer_gets_503_naming_redis_not_401(store, server_factory, tmp_path):
    """Login on: whether a login has ended is kept in Redis. While it is away the caller's
    credentials cannot be checked, which is Redis' fault, not the caller's: 503, not 401
    (an upstream client would tell its user the password is wrong) nor a login redirect."""
    server = server_factory("-store", store.url, "-enable_login", env=login_env(tmp_path))
    s = requests.Session()
    form = {"username": "alice", "password": "s3cret", "next": "/"}
    r = s.post(server.url + "/login", data=form, headers={"Origin": server.url}, timeout=10)
    assert r.status_code == 200 and s.cookies, r.text[:300]
    point = {"eid": "signed", "win": "w", "data": [{"x": [1], "y": [1.0], "type": "scatter"}]}
    assert s.post(server.url + "/events", data=json.dumps(point), timeout=10).status_code == 200
    anonymous = requests.post(server.url + "/events", data=json.dumps(point), timeout=10)
    store.kill()
    try:
        answers = [
            s.post(server.url + "/events", data=json.dumps(point), timeout=10),
            s.get(server.url + "/env/signed", headers={"Accept": "text/html"}, timeout=10),
        ]
        for answer in answers:
            assert answer.status_code == 503, (answer.request.url, answer.text[:300])
            assert is_redis_503(answer.text) and answer.headers["Retry-After"] == "1"
        # No credentials at all: still 401, Redis or not.
        nobody = requests.post(server.url + "/events", data=json.dumps(point), timeout=10)
        assert nobody.status_code == anonymous.status_code == 401
    finally:
        store.start()
    deadline = time.monotonic() + RECOVERY_BOUND
    while True:
        answer = s.post(server.url + "/events", data=json.dumps(point), timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert answer.status_code == 200, answer.text


def test_a_lock_left_in_redis_by_this_process_is_taken_over_at_once(store, server_factory):
    """The lock key of a write cut off by the kill survives in the AOF (PX 10 s): the
    process that took it, alive, must not wait for it to expire."""
    server = server_factory("-store", store.url)
    make_windows(server.url, "lock", 1)
    client = redis.Redis.from_url(store.url)
    try:
        alive = [k.decode() for k in client.keys(ALIVE_PREFIX + "*")]
        assert len(alive) == 1, alive
        owner = alive[0].removeprefix(ALIVE_PREFIX)
        # What a killed Redis leaves: this process's token on the env's lock, for 10 s.
        client.set(Replica("lock").keys[Key.LOCK], f"{owner}:feedfacefeedface", px=10_000)
        writer = Writer(server.url, "lock", "w0", 100)
        started = time.monotonic()
        writer.start()
        while not any(r.status == 200 for r in writer.records):
            assert time.monotonic() < started + 5, writer.records[:3]
            time.sleep(0.01)
        writer.stopping.set()
        writer.join(timeout=30)
        first = min(r.done for r in writer.records if r.status == 200)
        assert first - started < 2.0, f"the first append waited {first - started:.2f} s"
        assert {r.status for r in writer.records} == {200}
    finally:
        client.close()


def test_a_commit_whose_answer_is_lost_answers_503_and_leaves_no_lock(store, tmp_path):
    """The case docs/deploy.md documents: the commit ran in Redis and the connection broke
    before its answer came back. The change is stored yet answered 503 "may or may not";
    the replica is reloaded from Redis; the lock is dropped as soon as Redis answers, so
    another process writes the env at once instead of after the lock's 10 s."""
    ours = RedisStore(store.url, str(tmp_path / "a"))
    other = RedisStore(store.url, str(tmp_path / "b"))
    try:
        body = {"win": "w", "name": "t", "append": True}
        trace = {"x": [0], "y": [0.0], "name": "t", "type": "scatter", "mode": "lines"}
        ours.put_window("lost", {"win": "w", "data": [trace], "opts": {}})
        run = ours._run

        def commit_then_break(name, keys, args):
            answer = run(name, keys, args)
            if name == "COMMIT":
                raise redis.ConnectionError("Connection reset by peer (after the script ran)")
            return answer

        ours._run = commit_then_break
        with pytest.raises(VisdomError) as refused:
            ours.update_window("lost", dict(body, data=[{"x": [1], "y": [0.5], "name": "t"}]))
        ours._run = run
        assert refused.value.status == 503
        assert "Redis" in refused.value.message and "may or may not" in refused.value.message

        # Stored after all, and this process reads it (its replica was dropped, not kept).
        assert ours.window("lost", "w")["content"]["data"][0]["x"] == [0, 1]
        started = time.monotonic()
        other.update_window("lost", dict(body, data=[{"x": [2], "y": [1.0], "name": "t"}]))
        assert time.monotonic() - started < 1.0
        assert other.window("lost", "w")["content"]["data"][0]["x"] == [0, 1, 2]
        assert ours.window("lost", "w")["content"]["data"][0]["x"] == [0, 1, 2]
    finally:
        ours.close()
        other.close()


def test_script_connections_retry_a_broken_socket_but_not_a_failed_connect(store, monkeypatch):
    """A connection Redis closed is retried once on a fresh one; while Redis is away each
    send tries to connect once (a second try would double the wait for the 503)."""
    line = ScriptLine(client(store.url))
    assert line.send(pack_command("PING")) == b"PONG"
    connects = []
    connection = type(line.idle[0])
    real = connection.connect_check_health  # what a send on a closed connection calls

    def counted(self, *args, **kwargs):
        connects.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(connection, "connect_check_health", counted)
    store.kill()
    with pytest.raises(redis.ConnectionError):
        line.send(pack_command("PING"))  # open, broken: retried on a fresh connect
    assert len(connects) == 1
    with pytest.raises(redis.ConnectionError):
        line.send(pack_command("PING"))  # closed: one connect, not retried
    assert len(connects) == 2
    store.start()
    assert line.send(pack_command("PING")) == b"PONG"  # the same connection, connected again
    assert len(line.idle) == 1 and line.idle[0].is_connected
