"""Several server processes on one Redis: Socket.IO fan-out, in order, and upstream clients.

With STORE set to a redis:// URL every process is stateless and Redis carries:

- Socket.IO broadcasts (python-socketio's RedisManager, Flask-SocketIO's message queue):
  an emit in any process reaches the rooms of every process. `OrderedRedisManager` also
  delivers each env's numbered changes in sequence order in every process (see below).
- Upstream-client events (`RawRelay`): the raw /vis_socket connections of the 0.2.4 client
  are held by one process each, so an event is published on a Redis channel that every
  process subscribes to, and each process delivers it to its own connections.

When Redis goes away and comes back, both listeners resubscribe by themselves within
RECONNECT_MAX of it answering (python-socketio's own backoff doubles up to a minute);
what was published meanwhile is lost, and pages resync the envs whose numbered changes
they missed. The Socket.IO listener also forgets each env's last number when it listens
again: a change numbered during the outage whose message was lost must not hold the next
ones back for HOLD_SECONDS (the pages resync from their snapshot instead).

Pub/sub channels are global to a Redis server (not per database), so their names carry
the database number: two deployments on databases 0 and 1 of one Redis stay apart.
"""

import contextlib
import json
import logging
import threading
import time
from urllib.parse import urlsplit

import socketio as sio

from ..broadcast import has_members
from ..jsonio import SocketJSON, lenient_dumps
from ..state.redis_conn import (
    RECONNECT_FIRST,
    RECONNECT_MAX,
    UNREACHABLE,
    client,
    client_options,
)

log = logging.getLogger(__name__)

# How long a change waits for a lower-numbered change of its env that another process
# has stored but not yet published; past that it leaves anyway and the page resyncs.
HOLD_SECONDS = 1.0


def channel(url, name):
    """Return the pub/sub channel `name` of the database in `url`."""
    parts = urlsplit(url)
    db = parts.path.strip("/") or "0"
    return f"visdom:{db}:{name}"


def listen_forever(subscribe, what, on_return=None):
    """Yield the items of the pub/sub that `subscribe()` returns, resubscribing whenever
    the connection breaks (every RECONNECT_FIRST, doubling up to RECONNECT_MAX).

    `on_return()`, if given, is called each time the listener is subscribed again after
    a break (what was published meanwhile is lost)."""
    pause, pubsub = None, None
    while True:
        try:
            pubsub = subscribe()
            if pause is not None:
                log.warning("%s: listening again", what)
                if on_return is not None:
                    on_return()
            pause = None
            yield from pubsub.listen()
        except Exception as exc:  # noqa: BLE001 - Redis away: try again shortly
            if pubsub is not None:
                with contextlib.suppress(Exception):
                    pubsub.close()  # gives its connection back to the pool
            if pause is None:
                log.warning("%s lost (%s); resubscribing", what, exc)
            pause = RECONNECT_FIRST if pause is None else min(pause * 2, RECONNECT_MAX)
            time.sleep(pause)


def _sequenced(message):
    """Return (eid, seq) of a numbered env change (room env:<eid>), else None."""
    room = message.get("room")
    data = message.get("data")
    if not isinstance(room, str) or not room.startswith("env:") or message.get("binary"):
        return None
    payload = data[0] if isinstance(data, list) and len(data) == 1 else None
    if not isinstance(payload, dict):
        return None
    seq, eid = payload.get("seq"), payload.get("eid")
    if isinstance(seq, bool) or not isinstance(seq, int) or not isinstance(eid, str):
        return None
    return eid, seq


class OrderedRedisManager(sio.RedisManager):
    """python-socketio's Redis manager that delivers each env's changes in `seq` order.

    Why order can need help: each process publishes an env's changes under its env lock,
    so the changes numbered by ONE process reach Redis, and every subscriber, in order
    (Redis runs commands one at a time and a subscriber reads one channel as a stream).
    But two processes changing the same env number their changes in Redis and then
    publish them separately: process A may store #5, process B store #6 and publish #6
    before A publishes #5. Every message passes here (local ones and those from Redis),
    under one lock: a change that skips a number is held until the missing one arrives
    (normally within a millisecond), at most HOLD_SECONDS, so pages get 5 then 6 instead
    of resyncing the env. A number already passed is delivered at once (the page drops it
    if its snapshot holds it, and resyncs otherwise). Only the envs that a page of this
    process shows are kept in order: the changes of an env that no page anywhere shows
    are not published at all (app/state/redis_watch.py), so their numbers have gaps.

    The Redis store publishes a change from the script that stores it (RedisStore
    `fanout`): `holding()` collects what is emitted in its thread instead of
    sending it, the store passes the encoded messages to its COMMIT script, which
    PUBLISHes them on this channel in the same atomic step as it numbers the change
    (so every process receives each env's changes in seq order, from one stream), and
    then `deliver()`s them to this process's own connections.
    """

    name = "visdom-redis"

    def __init__(self, url, channel_name, hold=HOLD_SECONDS):
        super().__init__(url, channel=channel_name, json=SocketJSON, redis_options=client_options())
        self.hold = hold
        self._order_lock = threading.Lock()
        self._last = {}  # eid -> last seq delivered
        self._held = {}  # eid -> {seq: (deadline, message)}
        self._holding = threading.local()  # .box: the Outbox of this thread, if any

    @contextlib.contextmanager
    def holding(self):
        """Collect what this thread emits into an Outbox instead of sending it."""
        box = Outbox(self)
        self._holding.box = box
        try:
            yield box
        finally:
            self._holding.box = None

    def _publish(self, data):
        box = getattr(self._holding, "box", None)
        if box is None:
            return super()._publish(data)
        box.wire.append(self.json.dumps(data))
        return None

    def initialize(self):
        super().initialize()
        if not self.write_only:
            self.server.start_background_task(self._expire_loop)

    def _subscribe(self):
        self._redis_connect()
        self.pubsub.subscribe(self.channel)
        return self.pubsub

    def _redis_listen_with_retries(self):
        """python-socketio's listener loop with a reconnect within RECONNECT_MAX."""
        yield from listen_forever(self._subscribe, "the Socket.IO channel", self.forget_order)

    def forget_order(self):
        """Deliver every held change and forget each env's last number.

        Called when the listener is back after Redis went away: the messages published
        meanwhile are lost, so a change numbered then will never arrive; waiting for it
        would delay each env's next change by HOLD_SECONDS. The next change of each env
        is delivered as it comes and numbering starts over from it (a page that sees a
        gap resyncs)."""
        with self._order_lock:
            held, self._held = self._held, {}
            self._last = {}
            for eid in held:
                for seq in sorted(held[eid]):
                    super()._handle_emit(held[eid][seq][1])

    def _handle_emit(self, message):
        box = getattr(self._holding, "box", None)
        if box is not None:  # emitted under holding(): delivered by box.deliver()
            box.local.append(message)
            return None
        return self._deliver(message)

    def _deliver(self, message):
        key = _sequenced(message)
        if key is None:
            return super()._handle_emit(message)
        with self._order_lock:  # emitting only queues packets: cheap under the lock
            if not has_members(self, message["room"], message.get("namespace") or "/"):
                # Nobody here shows the env: nothing to deliver and no order to keep (the
                # changes of an env no page shows are not published: numbers are skipped).
                self._last.pop(key[0], None)
                self._held.pop(key[0], None)
                return None
            for ready in self._admit(*key, message):
                super()._handle_emit(ready)
        return None

    def _admit(self, eid, seq, message):
        """Return the messages that may leave now, in order (the caller holds the lock)."""
        last = self._last.get(eid)
        if last is not None and seq > last + 1 and seq != 1:
            self._held.setdefault(eid, {})[seq] = (time.monotonic() + self.hold, message)
            return []
        if last is not None and 1 < seq <= last:
            return [message]  # already passed: a late duplicate view of a known change
        out = [message]
        held = self._held.get(eid, {})
        while seq + 1 in held:
            seq += 1
            out.append(held.pop(seq)[1])
        if not held:
            self._held.pop(eid, None)
        self._last[eid] = seq
        return out

    def _expire(self, now):
        """Release held changes whose predecessor did not come in time (the page resyncs)."""
        with self._order_lock:
            for eid in list(self._held):
                held = self._held[eid]
                if min(deadline for deadline, _ in held.values()) > now:
                    continue
                del self._held[eid]
                for seq in sorted(held):
                    super()._handle_emit(held[seq][1])
                    self._last[eid] = max(seq, self._last.get(eid, seq))

    def _expire_loop(self):
        while True:
            self.server.sleep(self.hold / 4)
            try:
                self._expire(time.monotonic())
            except Exception:  # noqa: BLE001 - keep the loop alive
                log.exception("releasing held socket messages failed")


class Outbox:
    """What one thread emitted under OrderedRedisManager.holding(), not yet sent."""

    def __init__(self, manager):
        self.manager = manager
        self.wire = []  # encoded messages for the Redis channel (the sender publishes them)
        self.local = []  # the same messages for this process's connections

    def deliver(self):
        """Hand the messages to this process's connections (they are stored and published)."""
        for message in self.local:
            self.manager._deliver(message)
        self.local = []


class RawRelay:
    """Upstream-client events through a Redis channel to every process's /vis_socket clients.

    `deliver` publishes; a listener in each process hands what arrives to the process's own
    ClientRegistry. Without Redis, `deliver` goes straight to the local registry.
    """

    def __init__(self, registry, url=None):
        self.registry = registry
        self.url = url
        self.channel = channel(url, "vis_socket") if url else None
        self._redis = None

    def start(self, start_task):
        """Connect and subscribe (the listener runs as `start_task(fn)`)."""
        if not self.url:
            return
        self._redis = client(self.url)
        start_task(self._listen)

    def deliver(self, eid, payload, everyone=False):
        """Send an event (to the connections whose session used `eid`, or to `everyone`)."""
        if self._redis is None:
            self.registry.deliver(eid, payload, everyone=everyone)
            return
        message = lenient_dumps({"eid": eid, "payload": payload, "everyone": everyone})
        try:
            self._redis.publish(self.channel, message)
        except Exception as exc:  # noqa: BLE001 - Redis down: the local clients still get it
            if isinstance(exc, UNREACHABLE):
                log.warning("upstream client event not sent through Redis (%s)", exc)
            else:
                log.exception("publishing an upstream client event to Redis failed")
            self.registry.deliver(eid, payload, everyone=everyone)

    def _subscribe(self):
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(self.channel)
        return pubsub

    def _listen(self):
        for item in listen_forever(self._subscribe, "the upstream client channel"):
            if item.get("type") == "message":
                self._handle(item["data"])

    def _handle(self, raw):
        try:
            message = json.loads(raw)
            self.registry.deliver(
                message["eid"], message["payload"], everyone=bool(message.get("everyone"))
            )
        except Exception:  # noqa: BLE001 - one bad message must not stop the listener
            log.exception("delivering an upstream client event failed")
