"""Env ids: upstream's escaping, plus the checks that keep every id inside the env path."""

import re

from ..common import VisdomError

MAX_EID = 200
_BAD = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]")


def escape_eid(raw, field="eid", default="main"):
    """Return the env id for a request value; null or missing means `default`.

    Like upstream, "/" becomes "_". Unlike upstream, an id that could leave the env
    directory or is not a usable file name is refused with a 400 that names the field.
    """
    if raw is None or raw == "":
        if default is None:
            raise VisdomError(f"'{field}' is required", field)
        return default
    if not isinstance(raw, str):
        raise VisdomError(f"'{field}' must be a string, got {type(raw).__name__}", field)
    eid = raw.replace("/", "_")
    if len(eid) > MAX_EID:
        raise VisdomError(f"'{field}' is longer than {MAX_EID} characters", field)
    if eid.startswith(".") or _BAD.search(eid) or eid != eid.strip():
        raise VisdomError(
            f"'{field}' may not start with '.', contain control characters, "
            'backslashes or any of :*?"<>|, or start/end with spaces',
            field,
        )
    return eid


def eid_from_filename(name):
    """Return the env id stored in file `name`, or None if it is not an env file."""
    if not name.endswith(".json") or name.startswith("."):
        return None
    eid = name[: -len(".json")]
    try:
        return escape_eid(eid, default=None)
    except VisdomError:
        return None
