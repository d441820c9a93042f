"""Upstream clients: which envs each one uses, and their raw /vis_socket connections.

The upstream client never says which env it listens to: its websocket carries only the
cookie `user_password` of its HTTP session. So the server gives each client session such
a cookie (when login is off; with login on it is the login cookie), remembers which envs
that session posted to, and delivers an env's events only to the sockets of sessions
that used the env.
"""

import base64
import binascii
import logging
import queue
import threading
import uuid

from ..jsonio import lenient_dumps

log = logging.getLogger(__name__)


def new_client_cookie(eid):
    """Return a fresh client cookie value that also remembers the client's first env."""
    tag = base64.urlsafe_b64encode(eid.encode("utf-8")).decode("ascii").rstrip("=")
    return f"c-{uuid.uuid4().hex}-{tag}"


def env_from_cookie(value):
    """Return the env id encoded in a client cookie by new_client_cookie, or None."""
    if not value or not value.startswith("c-") or value.count("-") < 2:
        return None
    tag = value.split("-", 2)[2]
    try:
        return base64.urlsafe_b64decode(tag + "=" * (-len(tag) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


class Connection:
    """One upstream event channel: a websocket, or a polling wrapper with a queue."""

    def __init__(self, key, send=None, close=None):
        self.key = key
        self.sid = uuid.uuid4().hex
        self._send = send
        self._close = close
        self.queue = queue.Queue() if send is None else None
        self.last_poll = 0.0

    def send(self, text):
        if self.queue is not None:
            self.queue.put(text)
        else:
            self._send(text)

    def close(self):
        """Close the websocket (server shutdown); a polling channel just ends."""
        if self._close is not None:
            try:
                self._close()
            except Exception as exc:  # noqa: BLE001 - already gone is fine
                log.debug("closing upstream connection %s: %s", self.sid, exc)


class ClientRegistry:
    """Sessions -> envs used, and the live connections to deliver events to."""

    def __init__(self):
        self._lock = threading.Lock()
        self._envs = {}  # cookie value -> set of env ids
        self._connections = {}  # sid -> Connection

    def touch(self, key, eid):
        """Remember that the client session `key` used env `eid` (O(1) per request)."""
        if not key:
            return
        envs = self._envs.get(key)
        if envs is None:
            with self._lock:
                envs = self._envs.setdefault(key, set())
        if eid not in envs:
            envs.add(eid)

    def envs_of(self, key):
        """Return the envs a session used, or None if unknown (then it gets every event)."""
        envs = self._envs.get(key)
        if envs:
            return envs
        first = env_from_cookie(key)
        return {first} if first else None

    def add(self, connection):
        with self._lock:
            self._connections[connection.sid] = connection
        return connection

    def get(self, sid):
        return self._connections.get(sid)

    def remove(self, sid):
        with self._lock:
            self._connections.pop(sid, None)

    def connections(self):
        with self._lock:
            return list(self._connections.values())

    def close_all(self):
        """Close every upstream websocket (so that their threads end at shutdown)."""
        for conn in self.connections():
            conn.close()

    def deliver(self, eid, payload, everyone=False):
        """Send an event to every upstream connection whose session used `eid`."""
        text = lenient_dumps(payload)  # pane_data as Python clients read it
        for conn in self.connections():
            envs = self.envs_of(conn.key)
            if everyone or envs is None or eid in envs:
                try:
                    conn.send(text)
                except Exception as exc:  # a dead socket must not stop the others
                    log.info("dropping upstream client connection %s: %s", conn.sid, exc)
                    self.remove(conn.sid)
