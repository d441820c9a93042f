"""Which envs some page shows, in any process: RedisStore skips the pushes of the others.

Encoding a change's Socket.IO message, PUBLISHing it and handing it to this process's
connections costs about as much as storing it. The embedded store skips all that when
nobody is in the env's room (app.broadcast); on Redis a page of any process may show the
env, so each process marks the envs its pages show in the env's v{T}:watch hash (a field
per process), and COMMIT reports whether the hash exists. A writer that saw no mark at
its last commit sends its next one "blind", without messages; COMMIT refuses a blind
commit when a mark exists (atomically, before applying anything), and the writer encodes
the messages and sends it again. A page's mark is in Redis before it joins the env's
room and reads its snapshot (`watching`, called by the join handler), so every change
it does not find in its snapshot is published.

The marks live WATCH_TTL_MS: each process renews its own every WATCH_EVERY from the
liveness loop (and at once when Redis answers again after an outage), and removes its
field when its last page leaves the env; the mark of a process that died expires.
"""

import logging
import threading
import time

import redis

from .redis_keys import Key
from .redis_replica import Replica

log = logging.getLogger(__name__)

WATCH_TTL_MS = 60_000
WATCH_EVERY = 10.0


class Watching:
    """RedisStore's watch marks (uses its `redis` client and `owner`)."""

    def _start_watching(self):
        self._watch_lock = threading.Lock()  # one change of the marks at a time
        self._watch_keys = {}  # connection key -> set of eids it shows
        self._watchers = {}  # eid -> number of connections of this process showing it
        self._watch_renewed = time.monotonic()

    def watching(self, key, eids):
        eids = set(eids)
        with self._watch_lock:
            old = self._watch_keys.get(key, set())
            new = [e for e in eids - old if not self._watchers.get(e)]
            if new:
                self._mark(new)  # raises when Redis is away: nothing changed
            for eid in eids - old:
                self._watchers[eid] = self._watchers.get(eid, 0) + 1
            gone = []
            for eid in old - eids:
                self._watchers[eid] -= 1
                if not self._watchers[eid]:
                    del self._watchers[eid]
                    gone.append(eid)
            if eids:
                self._watch_keys[key] = eids
            else:
                self._watch_keys.pop(key, None)
            if gone:
                try:
                    self._unmark(gone)
                except redis.RedisError as exc:  # the marks expire by themselves
                    log.warning("could not remove the watch marks of %s: %s", gone, exc)

    def _mark(self, eids):
        pipe = self.redis.pipeline(transaction=False)
        for eid in eids:
            key = Replica(eid).keys[Key.WATCH]
            pipe.hset(key, self.owner, "1")
            pipe.pexpire(key, WATCH_TTL_MS)
        pipe.execute()

    def _unmark(self, eids):
        pipe = self.redis.pipeline(transaction=False)
        for eid in eids:
            pipe.hdel(Replica(eid).keys[Key.WATCH], self.owner)
        pipe.execute()

    def _renew_watches(self, now=False):
        """Renew this process's marks every WATCH_EVERY, or `now` (from the liveness loop)."""
        if not now and time.monotonic() - self._watch_renewed < WATCH_EVERY:
            return
        with self._watch_lock:
            eids = list(self._watchers)
            if eids:
                self._mark(eids)
            self._watch_renewed = time.monotonic()
