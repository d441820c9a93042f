"""This server process's liveness key in Redis, and the env locks it must not leave behind.

Each process keeps a key alive while it runs (ALIVE_PREFIX + owner, renewed every
ALIVE_EVERY, expiring after ALIVE_TTL_MS); a lock whose owner's key has expired belongs
to a process that died (kill -9) and is taken over at once, not after LOCK_TTL.

A lock can also outlive the write that took it in a process that is alive: when Redis
dies and comes back (its AOF keeps the lock key with its expiry), the answer that took
the lock or the release may have been lost. Such a lock is "orphaned": its token is
noted and dropped as soon as Redis answers again (the liveness loop beats every
ALIVE_RETRY while Redis is away), and a write of this process that finds a lock of its
own that no thread of the process holds takes it over at once.
"""

import logging
import threading

from .redis_keys import ALIVE_PREFIX, Key

log = logging.getLogger(__name__)

ALIVE_TTL_MS = 1500
ALIVE_EVERY = 0.4
ALIVE_RETRY = 0.05


class Liveness:
    """RedisStore's liveness loop and lock recovery (uses its redis, scripts, envs, owner)."""

    def _start_liveness(self):
        self._orphans = {}  # lock key -> tokens of ours that a failed exchange may have left
        self._alive_stop = threading.Event()
        self._keep_alive()
        self._alive = threading.Thread(target=self._alive_loop, name="visdom-alive", daemon=True)
        self._alive.start()

    def _stop_liveness(self):
        self._alive_stop.set()
        try:
            self.redis.delete(ALIVE_PREFIX + self.owner)
        except Exception:  # already unreachable: the key expires by itself
            pass

    def _keep_alive(self):
        self.redis.set(ALIVE_PREFIX + self.owner, "1", px=ALIVE_TTL_MS)

    def _alive_loop(self):
        away = False
        while not self._alive_stop.wait(ALIVE_RETRY if away else ALIVE_EVERY):
            try:
                self._keep_alive()
                self._release_orphans()
                self._renew_watches(now=away)  # redis_watch.py
            except Exception as exc:  # Redis away for a moment: beat again soon
                if not away:
                    log.warning("Redis cannot be reached (%s); retrying", exc)
                away = True
                continue
            if away:
                log.warning("Redis answers again")
            away = False

    def _orphan(self, env, token):
        """Note a lock of ours that a failed exchange with Redis may have left behind."""
        if token:
            with self._lock:
                self._orphans.setdefault(self._replica(env).keys[Key.LOCK], set()).add(token)

    def _release_orphans(self):
        """Drop the locks noted by `_orphan` (a token is never used again).

        While Redis is away every write notes the token it tried: one GET per env tells
        which of them, if any, Redis holds.
        """
        with self._lock:
            orphans = [(key, set(tokens)) for key, tokens in self._orphans.items()]
        for lock_key, tokens in orphans:
            holder = self.redis.get(lock_key)
            holder = holder.decode("utf-8") if holder is not None else None
            if holder in tokens and self._scripts["RELEASE_IF"](keys=[lock_key], args=[holder]):
                log.warning("dropped a lock left behind when Redis went away (%s)", lock_key)
            with self._lock:
                left = self._orphans.get(lock_key, set()) - tokens
                if left:
                    self._orphans[lock_key] = left
                else:
                    self._orphans.pop(lock_key, None)

    def _holds(self, token):
        """True when a thread of this process holds the env lock `token` (a write under way)."""
        with self._lock:
            envs = list(self._envs.values())
        return any(getattr(env, "replica", None) and env.replica.token == token for env in envs)

    def _take_over_if_dead(self, env):
        """Free the env's lock when the process holding it is gone (its key expired), or
        when it is this process's but no thread of ours holds it (an orphan, see above)."""
        lock_key = self._replica(env).keys[Key.LOCK]
        holder = self.redis.get(lock_key)
        if holder is None:
            return
        holder = holder.decode("utf-8")
        owner = holder.partition(":")[0]
        if owner == self.owner:
            gone = not self._holds(holder)
        else:
            gone = not self.redis.exists(ALIVE_PREFIX + owner)
        if gone and self._scripts["RELEASE_IF"](keys=[lock_key], args=[holder]):
            log.warning("env %s: took over a lock whose holder is gone", env.eid)
