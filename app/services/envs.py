"""Env mutations: create, delete, fork, save; and the saved views."""

import json
import os
import secrets

from .. import broadcast
from ..auth.access import check_can_edit
from ..common import VisdomError
from ..state import escape_eid, get_store


def ensure_env(eid):
    """Create the env if it does not exist yet (the upstream client's constructor)."""
    store = get_store()
    if store.has_env(eid):
        return
    check_can_edit()
    if store.ensure_env(eid):
        broadcast.env_list(store.env_ids())


def delete_env(eid):
    """Delete an env and its files; `main` is kept (as upstream 0.3.0 does)."""
    check_can_edit()
    if eid == "main":
        raise VisdomError("the env 'main' cannot be deleted", "eid")
    store = get_store()
    store.delete_env(eid)
    broadcast.env_list(store.env_ids())


def fork_env(prev_eid, eid):
    """Copy env prev_eid to eid and save it at once."""
    check_can_edit()
    store = get_store()
    store.fork_env(prev_eid, eid)
    broadcast.env_list(store.env_ids())
    return eid


def save_envs(eids):
    """Write the listed envs to disk now; return the ids written."""
    check_can_edit()
    return get_store().save(eids)


def save_all():
    """Write every env held in memory now; return the ids written."""
    check_can_edit()
    return get_store().save_all()


def upload_name(filename):
    """Return 0.3.0's id for an uploaded env file: uploaded_<stem>_<8 hex>, or
    uploaded_<8 hex> when the name does not end in .json or its stem is main."""
    tag = secrets.token_hex(4)
    base = os.path.basename((filename or "").replace("\\", "/"))
    stem = base[: -len(".json")] if base.lower().endswith(".json") else None
    if stem and stem != "main":
        try:
            return escape_eid(f"uploaded_{stem}_{tag}")
        except VisdomError:
            pass  # a name that cannot be an env id: the plain form
    return f"uploaded_{tag}"


def upload_env(filename, raw):
    """Create a new env from an uploaded env file (bytes); return its id.

    Only `jsons` and `reload` are kept, as 0.3.0 does (an `experiment` is dropped).
    """
    check_can_edit()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise VisdomError("Invalid JSON file", "file") from None
    if not isinstance(data, dict) or "jsons" not in data or "reload" not in data:
        raise VisdomError("This is not a valid Visdom JSON", "file")
    if not isinstance(data["jsons"], dict) or not isinstance(data["reload"], dict):
        raise VisdomError("This is not a valid Visdom JSON", "file")
    store = get_store()
    eid = upload_name(filename)
    try:
        store.import_env(eid, data["jsons"], data["reload"])
    except VisdomError as exc:
        raise VisdomError(f"This is not a valid Visdom JSON: {exc.message}", "file") from None
    broadcast.env_list(store.env_ids())
    return eid


def set_views(views):
    """Replace the saved views and tell every browser; return them."""
    check_can_edit()
    store = get_store()
    store.set_views(views)
    views = store.views()
    broadcast.views(views)
    return views
