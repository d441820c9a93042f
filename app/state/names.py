"""Env ids: upstream's escaping, plus the checks that keep every id inside the env path."""

import hashlib
import re

from ..common import VisdomError

# Env ids longer than this (in UTF-8 bytes) are stored as hash_<sha256>.json, as 0.3.0
# does for names the file system refuses; the limit leaves room for the journal's and
# the atomic writer's suffixes within the usual 255-byte file name limit.
MAX_FILE_STEM = 200
HASH_NAME = re.compile(r"^hash_[0-9a-f]{64}$")
_BAD = re.compile(r"[\x00-\x1f\x7f:*?\"<>|]")


def escape_eid(raw, field="eid", default="main"):
    """Return the env id for a request value; null or missing means `default`.

    Like upstream 0.3.0, "/" and "\\" become "_", newlines and carriage returns "-".
    Unlike upstream, an id that could leave the env directory or is not a usable file
    name is refused with a 400 that names the field. Any length is accepted: long ids
    are stored under a hashed file name (`file_stem`).
    """
    if raw is None or raw == "":
        if default is None:
            raise VisdomError(f"'{field}' is required", field)
        return default
    if not isinstance(raw, str):
        raise VisdomError(f"'{field}' must be a string, got {type(raw).__name__}", field)
    eid = raw.replace("/", "_").replace("\\", "_").replace("\n", "-").replace("\r", "-")
    try:
        eid.encode("utf-8")
    except UnicodeEncodeError:
        raise VisdomError(f"'{field}' is not valid Unicode (a lone surrogate)", field) from None
    if eid.startswith(".") or _BAD.search(eid) or eid != eid.strip():
        raise VisdomError(
            f"'{field}' may not start with '.', contain control characters "
            'or any of :*?"<>|, or start/end with spaces',
            field,
        )
    return eid


def file_stem(eid):
    """Return the file name (without extension) for an env id: the id itself, or
    hash_<sha256 of the id> when it is too long for a file name (0.3.0's rule)."""
    if len(eid.encode("utf-8")) <= MAX_FILE_STEM and not HASH_NAME.match(eid):
        return eid
    return "hash_" + hashlib.sha256(eid.encode("utf-8")).hexdigest()


def is_hashed(stem):
    return bool(HASH_NAME.match(stem))


def eid_from_filename(name):
    """Return the env id stored in file `name`, or None if it is not an env file.

    A hash_<sha256>.json file holds its env id in its "name" field: see
    Persistence.list_eids.
    """
    if not name.endswith(".json") or name.startswith("."):
        return None
    eid = name[: -len(".json")]
    try:
        return escape_eid(eid, default=None)
    except VisdomError:
        return None
