"""HTTP transport: one requests.Session, login, error mapping and the offline log."""

import hashlib
import json
import logging
import threading

import requests

from .builders.arrays import json_default
from .errors import AuthenticationError, ConnectionError, ServerError

logger = logging.getLogger("visdom_client")

LOGGED_ENDPOINTS = ("events", "update")


def hash_password(password):
    """Return the sha256 hex digest the server expects in place of the clear password."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def encode(body):
    """Return the JSON text of a request body (NaN allowed, numpy values converted)."""
    return json.dumps(body, default=json_default, separators=(",", ":"))


class Transport:
    """Send requests to one server through one session; map failures to VisdomError."""

    def __init__(
        self,
        root,
        proxies=None,
        username=None,
        password_hash=None,
        raise_exceptions=True,
        timeout=60.0,
    ):
        self.root = root
        self.session = requests.Session()
        if proxies:
            self.session.proxies.update(proxies)
        self.username = username
        self.password_hash = password_hash
        self.raise_exceptions = raise_exceptions
        self.timeout = timeout
        self._failing = False
        self._lock = threading.Lock()

    def url(self, endpoint):
        """Return the absolute URL of an endpoint."""
        return f"{self.root}/{endpoint}"

    def login(self):
        """POST the credentials to the base URL; the session keeps the returned cookies."""
        url = self.root or "/"
        body = {"username": self.username, "password": self.password_hash}
        try:
            response = self.session.post(url, json=body, timeout=self.timeout)
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
        try:
            response = self.session.post(url, data=data, headers=headers, timeout=self.timeout)
            if response.status_code in (401, 403) and self.username:
                self.login()  # the server may have restarted with a new secret
                response = self.session.post(url, data=data, headers=headers, timeout=self.timeout)
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
        """Close the session."""
        self.session.close()


class OfflineLog:
    """Append-only log of events/update requests, one JSON [endpoint, body] per line."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()

    def write(self, endpoint, body):
        """Append one request if its endpoint is logged."""
        if endpoint not in LOGGED_ENDPOINTS:
            return
        line = json.dumps([endpoint, body], default=json_default) + "\n"
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
