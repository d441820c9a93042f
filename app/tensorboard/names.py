"""Run directories to env ids, tags to window ids and titles (the mapping docs/tensorboard.md
describes)."""

import hashlib
import os
import re

from ..common import VisdomError
from ..state.names import escape_eid

# What an env id may not hold (app.state.names): control characters and :*?"<>|
_BAD_ENV = re.compile(r"[\x00-\x1f\x7f:*?\"<>|]")
_BAD_TITLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_TITLE = 1000  # characters: a longer tag is refused as a window title


def env_name(rel, logdir, prefix=""):
    """Return the env id of the run directory `rel` (relative to `logdir`, "." for itself).

    Path parts are joined with "_" (as the server escapes "/" in env names), unicode is
    kept, characters an env id cannot hold become "-", a leading "." becomes "_", and
    `prefix` is put in front as it is. Events directly in the logdir take its base name.
    """
    parts = [] if rel in ("", ".") else rel.replace("\\", "/").split("/")
    if not parts:
        parts = [os.path.basename(os.path.normpath(logdir)) or "logdir"]
    name = _BAD_ENV.sub("-", prefix + "_".join(parts)).strip()
    if name.startswith("."):
        name = "_" + name[1:]
    try:
        return escape_eid(name or "tensorboard")
    except VisdomError:  # e.g. a lone surrogate from an undecodable file name
        safe = name.encode("utf-8", "replace").decode("utf-8")
        return escape_eid(_BAD_ENV.sub("-", safe).strip(" .") or "tensorboard")


def window_id(kind, tag):
    """Return the stable window id of a tag's window (`tb-<kind>-<12 hex of the tag>`)."""
    return f"tb-{kind}-{hashlib.sha1(tag.encode('utf-8', 'replace')).hexdigest()[:12]}"


def title_problem(tag):
    """Return why `tag` cannot be a window title, or None when it can."""
    if not isinstance(tag, str) or not tag.strip():
        return "an empty tag"
    if len(tag) > MAX_TITLE:
        return f"a tag of {len(tag)} characters (at most {MAX_TITLE})"
    if _BAD_TITLE.search(tag):
        return "a tag with control characters"
    return None


def group_of(tag):
    """Return the layout group of a tag: what comes before its first "/" ("" for none)."""
    return tag.split("/", 1)[0] if "/" in tag else ""
