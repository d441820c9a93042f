"""HTTP transport: one requests.Session, login, error mapping and the offline log."""

import hashlib
import json
import logging
import math
import os
import threading
import time

import numpy as np
import requests

from .builders.arrays import json_default
from .errors import AuthenticationError, ConnectionError, ServerError, bad_type, bad_value

logger = logging.getLogger("visdom_client")

LOGGED_ENDPOINTS = ("events", "update")


def hash_password(password):
    """Return the sha256 hex digest the server expects in place of the clear password."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def ssl_verify_option(ssl_verify, scheme):
    """Return the requests `verify` value for the ssl_verify argument, checking it."""
    if ssl_verify is None:
        return True
    if not isinstance(ssl_verify, bool | str):
        raise bad_type("ssl_verify", "None, a bool or a CA bundle path", ssl_verify)
    if scheme != "https":
        raise bad_value(
            "ssl_verify", "None with an http server (it applies to https only)", repr(ssl_verify)
        )
    return ssl_verify


def nan_safe(value):
    """Return value with every NaN and +-Inf (at any depth, numpy included) replaced by None."""
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {k: nan_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nan_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return nan_safe(value.tolist())
    return value


def encode(body):
    """Return the strict JSON text of a request body: NaN and +-Inf become null, as 0.3.0's."""
    try:
        return json.dumps(body, default=json_default, separators=(",", ":"), allow_nan=False)
    except ValueError:  # only a non-finite float gets here; the common case stays one pass
        return json.dumps(nan_safe(body), default=json_default, separators=(",", ":"))


class Transport:
    """Send requests to one server through one session; map failures to VisdomError.

    The session is rebuilt (logging in again) after a fork and after `idle_timeout` seconds
    without a request, when a reaper thread closes it so that no stale keep-alive
    connection is reused.
    """

    def __init__(
        self,
        root,
        proxies=None,
        username=None,
        password_hash=None,
        raise_exceptions=True,
        timeout=60.0,
        verify=True,
        idle_timeout=600,
        idle_check_interval=60,
    ):
        self.root = root
        self.proxies = proxies
        self.username = username
        self.password_hash = password_hash
        self.raise_exceptions = raise_exceptions
        self.timeout = timeout
        self.verify = verify
        self.idle_timeout = idle_timeout
        self.idle_check_interval = idle_check_interval
        self.headers = {}
        self._failing = False
        self._lock = threading.Lock()
        self._session_lock = threading.RLock()
        self._session = None
        self._pid = None
        self._last_post = time.monotonic()
        self._stop = threading.Event()
        self._reaper = None

    @property
    def session(self):
        """Return the live requests.Session, creating it (and logging in) when needed."""
        with self._session_lock:
            if self._session is not None and self._pid == os.getpid():
                return self._session
            if self._session is not None:
                self._session.close()
            session = requests.Session()
            if self.proxies:
                session.proxies.update(self.proxies)
            session.verify = self.verify
            session.headers.update(self.headers)
            self._session, self._pid = session, os.getpid()
            if self.username:
                self._login(session)
            self._start_reaper()
            return session

    def _start_reaper(self):
        if self._reaper is not None or not self.idle_timeout:
            return
        self._reaper = threading.Thread(target=self._reap, name="visdom-session-reaper")
        self._reaper.daemon = True
        self._reaper.start()

    def _reap(self):
        while not self._stop.wait(self.idle_check_interval):
            with self._session_lock:
                idle = time.monotonic() - self._last_post
                if self._session is not None and idle > self.idle_timeout:
                    logger.info("closing the visdom HTTP session after %ds idle", idle)
                    self._session.close()
                    self._session = None

    def url(self, endpoint):
        """Return the absolute URL of an endpoint."""
        return f"{self.root}/{endpoint}"

    def login(self):
        """POST the credentials to the base URL; the session keeps the returned cookies."""
        with self._session_lock:
            if self._session is None or self._pid != os.getpid():
                self.session  # noqa: B018 - a new session logs in as it is created
            else:
                self._login(self._session)

    def _login(self, session):
        url = self.root or "/"
        body = {"username": self.username, "password": self.password_hash}
        try:
            response = session.post(url, json=body, timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            raise ssl_error(self.root, exc) from exc
        except requests.RequestException as exc:
            raise ConnectionError(f"cannot reach the visdom server at {url}: {exc}") from exc
        if response.status_code != 200:
            raise AuthenticationError(
                f"login as {self.username!r} failed (HTTP {response.status_code})", response
            )
        logger.info("logged in to %s as %s", url, self.username)

    def cookie_header(self):
        """Return the session's cookies as a Cookie header value."""
        return "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)

    def post(self, endpoint, body, quiet=False):
        """POST a JSON body; return the response text, or False after a logged failure."""
        try:
            text = self._post(endpoint, encode(body))
        except (ConnectionError, ServerError) as exc:
            if self.raise_exceptions:
                raise
            self._warn(exc, quiet)
            return False
        if self._failing:
            self._failing = False
            logger.warning("visdom server reachable again at %s", self.root)
        return text

    def _post(self, endpoint, data):
        url = self.url(endpoint)
        headers = {"Content-Type": "application/json"}
        self._last_post = time.monotonic()
        try:
            session = self.session
            response = session.post(url, data=data, headers=headers, timeout=self.timeout)
            if response.status_code in (401, 403) and self.username:
                self._login(session)  # the server may have restarted with a new secret
                response = session.post(url, data=data, headers=headers, timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            raise ssl_error(self.root, exc) from exc
        except requests.RequestException as exc:
            raise ConnectionError(f"cannot reach the visdom server at {url}: {exc}") from exc
        if response.status_code >= 400:
            detail = response.text.strip()[:300] or response.reason
            message = f"POST {url} failed with HTTP {response.status_code}: {detail}"
            error = AuthenticationError if response.status_code in (401, 403) else ServerError
            raise error(message, response)
        return response.text

    def _warn(self, exc, quiet):
        with self._lock:
            first = not self._failing
            self._failing = True
        if first and not quiet:
            logger.warning("%s (further failures are not logged until it recovers)", exc)

    def close(self):
        """Stop the reaper and close the session."""
        self._stop.set()
        with self._session_lock:
            if self._session is not None:
                self._session.close()
                self._session = None


def ssl_error(root, exc):
    """Return the ConnectionError for a failed certificate check, saying how to proceed."""
    return ConnectionError(
        f"SSL certificate verification failed for {root}: {exc}. With a self-signed "
        "certificate pass ssl_verify=False, or ssl_verify='/path/to/ca.pem'"
    )


class OfflineLog:
    """Append-only log of events/update requests, one JSON [endpoint, body] per line."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()

    def write(self, endpoint, body):
        """Append one request if its endpoint is logged."""
        if endpoint not in LOGGED_ENDPOINTS:
            return
        line = encode([endpoint, body]) + "\n"
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line)


def read_log(path):
    """Yield (endpoint, body) for every line of a log written by OfflineLog or upstream."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                endpoint, body = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not a visdom log line") from exc
            yield endpoint, body
