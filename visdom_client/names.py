"""Leaf helpers for the names the client sends: env names, window ids, the base URL.

A leaf: it imports nothing of the package but `errors`, so the Visdom class (client.py)
and its mixins (notebook.py, ...) can all use it without importing one another.
"""

import threading
import time

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
