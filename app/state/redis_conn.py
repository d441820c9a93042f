"""Connections to Redis that fail fast while it is away and come back by themselves.

Every Redis client of the server (the store, the Socket.IO manager, the upstream-client
relay, the revoked-login set) is made with `client_options()`:

- a short connect timeout (CONNECT_TIMEOUT) and a bounded read timeout (SOCKET_TIMEOUT),
  so a request never hangs on a Redis that is down or unreachable;
- one immediate retry on a broken connection and none on a timeout. redis-py's default
  (ten retries with a backoff of up to a second, nested in the connect's own ten) kept a
  request waiting for seconds while Redis was down. The one retry covers a pooled
  connection that Redis closed when it restarted; a retried script is safe: COMMIT checks
  the seq it expects and the lock token, SYNC's lock is SET NX.

The store's scripts, sent on every change, skip redis-py's command machinery: they are
packed here (`pack_parts`) and sent by a `ScriptLine` on connections it keeps checked
out of the pool, with the same retry.

A URL may override both timeouts (`redis://host:6379/0?socket_connect_timeout=2`):
redis-py gives the URL's options precedence.

While Redis is away, requests are refused with a 503 naming Redis (`unreachable`), the
pub/sub listeners retry every RECONNECT_MAX at most (app/sockets/fanout.py), and the
connection pool reconnects on the first command after Redis answers again.
"""

import collections
import os

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ClusterDownError, TryAgainError
from redis.retry import Retry

from ..common import VisdomError

CONNECT_TIMEOUT = 0.5
SOCKET_TIMEOUT = 5.0
# Pause between attempts of a pub/sub listener to reconnect: first, and at most.
RECONNECT_FIRST = 0.05
RECONNECT_MAX = 0.25

# What "Redis cannot be reached right now" looks like (BusyLoadingError, Redis reading its
# AOF after a restart, is a ConnectionError).
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, ClusterDownError, TryAgainError)


def client_options():
    """Return the keyword arguments of every Redis client of the server (a fresh Retry)."""
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": SOCKET_TIMEOUT,
        "retry": Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    }


def client(url):
    """Return a plain Redis client for `url` with `client_options()`."""
    return redis.Redis.from_url(url, **client_options())


def unreachable(exc, outcome="try again when it answers"):
    """Return the 503 refusal of a request that could not reach Redis (`exc` says why).

    `outcome` says what became of a change; by default the request failed before it.
    """
    return VisdomError(
        f"the server cannot reach Redis, where it stores envs, right now ({exc}); {outcome}",
        None,
        503,
    )


def pack_command(*parts):
    """Return a command in Redis's protocol (RESP), packed as redis-py packs it: str as
    UTF-8, int and float by repr, bytes as they are; a bool is a DataError."""
    return b"*%d\r\n" % len(parts) + pack_parts(parts)


def pack_parts(parts):
    """Return the arguments `parts` in RESP, without the count that heads a command."""
    out = []
    for part in parts:
        kind = type(part)
        if kind is str:
            part = part.encode("utf-8")
        elif kind is not bytes:
            part = _argument(part)
        out.append(b"$%d\r\n%b\r\n" % (len(part), part))
    return b"".join(out)


def _argument(part):
    if isinstance(part, bool):
        raise redis.DataError("a bool is not a Redis argument; send a str, int or bytes")
    if isinstance(part, (int, float)):
        return repr(part).encode("ascii")
    if isinstance(part, (bytes, bytearray, memoryview)):
        return bytes(part)
    if isinstance(part, str):
        return str(part).encode("utf-8")
    raise redis.DataError(f"{type(part).__name__} is not a Redis argument")


class ScriptLine:
    """Connections of a client's pool that the store keeps checked out for its scripts.

    redis-py 8's pool does more for each checkout than the command itself costs: it
    counts the connection for its observability hooks, polls the socket to see that it
    holds no stray data, and dispatches an event when the connection comes back. The
    store sends one or two scripts per change, so `send` takes a connection from a free
    list of its own (a deque: pop and append need no lock) and puts it back after the
    reply; the pool only makes the connections (and sees them as in use).

    A connection that breaks is closed and reconnected for one immediate retry (a
    pooled connection that Redis closed when it restarted); none on a timeout, nor when
    the connect itself failed (while Redis is away each send tries to connect once). A
    connection interrupted mid-reply is closed, so the next use starts clean. After a
    fork the parent's connections are left alone and new ones are made.
    """

    def __init__(self, client):
        self.pool = client.connection_pool
        self.idle = collections.deque()
        self._pid = os.getpid()

    def send(self, packed):
        """Send a packed command and return the reply; an error reply (NOSCRIPT, a
        script's error) is raised as redis-py raises it."""
        if self._pid != os.getpid():
            self.idle, self._pid = collections.deque(), os.getpid()
        try:
            conn = self.idle.pop()
        except IndexError:
            conn = self.pool.get_connection()
        try:
            for attempt in (1, 2):
                was_open = conn.is_connected
                try:
                    conn.send_packed_command([packed], check_health=False)
                    return conn.read_response()
                except redis.ConnectionError:
                    conn.disconnect()  # the retry, if any, connects afresh
                    if attempt == 2 or not was_open:  # a failed connect is not retried
                        raise
        except redis.ResponseError:
            raise  # Redis answered: the connection is fine
        except BaseException:
            conn.disconnect()  # a timeout, or interrupted mid-reply: start clean
            raise
        finally:
            self.idle.append(conn)  # a closed one connects again when next used


# What a change whose commit was sent but not answered became: unknown (docs/deploy.md).
UNKNOWN_OUTCOME = (
    "the change may or may not have been stored: read the env to see (retrying an append "
    "may store it twice)"
)
