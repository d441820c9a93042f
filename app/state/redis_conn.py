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

A URL may override both timeouts (`redis://host:6379/0?socket_connect_timeout=2`):
redis-py gives the URL's options precedence.

While Redis is away, requests are refused with a 503 naming Redis (`unreachable`), the
pub/sub listeners retry every RECONNECT_MAX at most (app/sockets/fanout.py), and the
connection pool reconnects on the first command after Redis answers again.
"""

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


# What a change whose commit was sent but not answered became: unknown (docs/deploy.md).
UNKNOWN_OUTCOME = (
    "the change may or may not have been stored: read the env to see (retrying an append "
    "may store it twice)"
)
