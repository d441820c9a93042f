"""Experiments (upstream 0.3.0's /experiments/log): one record per env, kept in its file."""

from ..auth.access import check_can_edit
from ..state import get_store
from .windows import announce_env


def log_experiment(eid, args):
    """Apply a log / metrics / finish request; return the whole experiment record."""
    check_can_edit()
    record, created = get_store().log_experiment(eid, args)
    announce_env(created)
    return record


def list_experiments():
    """Return [{"eid", "experiment"}] for every env of the server that holds one."""
    return get_store().experiments()
