"""Private files in the instance folder: written atomically and readable by the owner only."""

import json
import os
import tempfile


def ensure_dir(path):
    """Create the instance folder (owner-only) if it does not exist."""
    os.makedirs(path, mode=0o700, exist_ok=True)


def write_private(path, text):
    """Write `text` to `path` atomically (temp file, fsync, rename) with mode 0600."""
    directory = os.path.dirname(path)
    ensure_dir(directory)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_json(path, default):
    """Return the parsed JSON file, or `default` when it does not exist."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def mtime(path):
    """Return the file's modification stamp, or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)
