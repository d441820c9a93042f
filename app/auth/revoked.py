"""Logins that were ended by logout, kept until their cookies would have expired anyway."""

import json
import os
import threading
import time

from ..state.redis_conn import client
from . import files

FILENAME = "revoked_logins.json"
REDIS_PREFIX = "visdom:revoked:"


class RevokedLogins:
    """A set of login ids (the nonce inside a session or login cookie) that are no longer valid.

    Stored in the instance folder so that a logout survives a restart and is seen by every
    worker process.
    """

    def __init__(self, instance_path, lifetime):
        self.path = os.path.join(instance_path, FILENAME)
        self.lifetime = lifetime
        self._lock = threading.RLock()
        self._stamp = None
        self._ids = {}

    def _current(self):
        stamp = files.mtime(self.path)
        if stamp != self._stamp:
            data = files.read_json(self.path, {})
            with self._lock:
                self._ids = data if isinstance(data, dict) else {}
                self._stamp = stamp
        return self._ids

    def is_revoked(self, login_id):
        return login_id in self._current()

    lookup = is_revoked  # (a file is always there to ask)

    def revoke(self, login_id):
        """Mark `login_id` as ended; forget entries older than the cookie lifetime."""
        if not login_id:
            return
        now = time.time()
        with self._lock:
            data = dict(self._current())
            data = {k: v for k, v in data.items() if v > now}
            data[login_id] = now + self.lifetime
            files.write_private(self.path, json.dumps(data))
            self._ids = data
            self._stamp = files.mtime(self.path)


class RedisRevokedLogins:
    """The same set in Redis, for several server processes (on any machine).

    One key per ended login, expiring when its cookie would: a logout through any process
    is seen by every other at its next request (and by their live-connection sweep
    within a second). Redis down means "cannot tell": the login is refused (is_revoked),
    and an HTTP request learns why (lookup raises: app/auth/gate.py answers 503 naming
    Redis, not 401, since nothing is wrong with the caller's credentials).
    """

    def __init__(self, url, lifetime):
        self.redis = client(url)  # fails fast while Redis is away
        self.lifetime = max(1, int(lifetime))

    def lookup(self, login_id):
        """Whether `login_id` has ended; raises when Redis cannot be asked."""
        if not login_id:
            return False
        return bool(self.redis.exists(REDIS_PREFIX + login_id))

    def is_revoked(self, login_id):
        try:
            return self.lookup(login_id)
        except Exception:  # noqa: BLE001 - fail closed
            return True

    def revoke(self, login_id):
        """Mark `login_id` as ended until its cookie would have expired."""
        if login_id:
            self.redis.set(REDIS_PREFIX + login_id, "1", ex=self.lifetime)


def open_revoked(instance_path, lifetime, redis_url=None):
    """Return the revoked-login set: in Redis when the store is, else in the instance folder."""
    if redis_url:
        return RedisRevokedLogins(redis_url, lifetime)
    return RevokedLogins(instance_path, lifetime)
