"""Env mutations: create, delete, fork, save; and the saved views."""

from ..common import VisdomError
from ..sockets import broadcast
from ..state import get_store
from .access import check_can_edit


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


def set_views(views):
    """Replace the saved views and tell every browser; return them."""
    check_can_edit()
    store = get_store()
    store.set_views(views)
    views = store.views()
    broadcast.views(views)
    return views
