"""The window hash of /win_hash (upstream protocol section 12)."""

import hashlib
import json

from .columns import Column


def _canonical(value):
    if isinstance(value, Column):
        value = value.tolist()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return value


def window_hash(window):
    """Return the md5 hex digest of the window's canonical JSON text."""
    text = json.dumps(_canonical(window), sort_keys=True, separators=(",", ":"))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
