"""Leaf helpers for the names the client sends: env names, window ids, the server address.

A leaf: it imports nothing of the package but `errors`, so the Visdom class (client.py)
and its mixins (notebook.py, ...) can all use it without importing one another.
"""

import os
import threading
import time
from urllib.parse import urlsplit

from .errors import bad_value

_id_lock = threading.Lock()
_last_id = [0]


def sanitise_env(env):
    """Return the env name as upstream 0.3.0 stores it: no slashes, no line breaks."""
    return env.replace("/", "_").replace("\\", "_").replace("\n", "-").replace("\r", "-")


def new_window_id():
    """Return a fresh window id in upstream's format, unique within this process."""
    with _id_lock:
        stamp = max(int(time.time() * 10_000_000), _last_id[0] + 1)
        _last_id[0] = stamp
    return "window_" + format(stamp, "x")


def normalise_base_url(base_url):
    """Return `base_url` as the client joins it to the server: "" or "/path" (checked)."""
    base_url = "" if base_url in ("/", None) else base_url
    if base_url and (not base_url.startswith("/") or base_url.endswith("/")):
        raise bad_value("base_url", "'/' or a path like '/visdom' (no trailing '/')", base_url)
    return base_url


DEFAULT_SERVER = "http://localhost"
DEFAULT_PORT = 8097
DEFAULT_BASE_URL = "/"
_SCHEME_PORTS = {"http": 80, "https": 443}


def server_address(server=None, port=None, base_url=None, environ=None):
    """Return (server, port, base_url): each argument given, else the environment, else
    upstream's default (http://localhost, 8097, "/").

    The environment, read only for what no argument gives: VISDOM_SERVER (scheme and host,
    e.g. http://10.0.0.5), VISDOM_PORT, VISDOM_BASE_URL, and VISDOM_URL, one whole URL
    (https://host:port/path) whose parts come after the three single variables; it is one
    address, so it is not read when an argument gives any part. A URL without a port
    means its scheme's port (80 or 443). Bad values raise ArgumentError
    naming the variable. Every client entry point (Visdom(), the wandb-style API, the
    framework callbacks) resolves its address here, so a scheduled job can be pointed at
    a team server without code changes.
    """
    environ = os.environ if environ is None else environ
    from_url = {}
    if server is None and port is None and base_url is None:  # one address: whole or not at all
        from_url = _parse_url_variable(environ.get("VISDOM_URL", "").strip())
    if server is None:
        fallback = (from_url.get("server", DEFAULT_SERVER), None)
        server, server_port = _variable(environ, "VISDOM_SERVER", _parse_server, fallback)
        if port is None and not environ.get("VISDOM_PORT", "").strip():
            port = server_port  # a port written in VISDOM_SERVER is meant
    if port is None:
        fallback = from_url.get("port", DEFAULT_PORT)
        port = _variable(environ, "VISDOM_PORT", _parse_port, fallback)
    if base_url is None:
        fallback = from_url.get("base_url", DEFAULT_BASE_URL)
        base_url = _variable(environ, "VISDOM_BASE_URL", _strip_base_url, fallback)
    return server, port, base_url


def _variable(environ, variable, parse, fallback):
    """Return parse(value, variable) of a set (non-blank) variable, else `fallback`."""
    value = environ.get(variable, "").strip()
    return parse(value, variable) if value else fallback


def _parse_port(value, variable):
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise bad_value(variable, "a port number 1-65535", repr(value))
    return port


def _parse_server(value, variable):
    """Return (scheme://host, port or None) of a server address such as http://10.0.0.5."""
    parsed = urlsplit(value if "://" in value else f"http://{value}")
    if parsed.scheme not in _SCHEME_PORTS or not parsed.hostname:
        raise bad_value(variable, "an http(s) address such as http://10.0.0.5", repr(value))
    try:
        port = parsed.port
    except ValueError:
        raise bad_value(variable, "a valid port after ':'", repr(value)) from None
    host = parsed.hostname
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    return f"{parsed.scheme}://{host}", port


def _strip_base_url(value, variable):
    path = "/" + value.strip("/")
    try:
        return normalise_base_url(path)
    except ValueError:
        raise bad_value(variable, "a path like /visdom", repr(value)) from None


def _parse_url_variable(value):
    """Return the parts VISDOM_URL gives: {"server", "port", "base_url"} ({} when unset)."""
    if not value:
        return {}
    server, port = _parse_server(value, "VISDOM_URL")
    scheme = server.split("://", 1)[0]
    path = urlsplit(value if "://" in value else f"http://{value}").path
    base_url = _strip_base_url(path, "VISDOM_URL") if path.strip("/") else DEFAULT_BASE_URL
    return {
        "server": server,
        "port": _SCHEME_PORTS[scheme] if port is None else port,
        "base_url": base_url,
    }
