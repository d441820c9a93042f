"""Experiments (upstream 0.3.0's /experiments/log): one record per env, kept in its file."""

import time

from flask import current_app

from ..auth.access import check_can_edit
from ..panes.experiment import with_liveness
from ..state import get_store
from .windows import announce_env


def log_experiment(eid, args):
    """Apply a log / metrics / finish request; return the whole experiment record."""
    check_can_edit()
    record, created = get_store().log_experiment(eid, args)
    announce_env(created)
    return record


def list_experiments():
    """Return [{"eid", "experiment"}] for every env of the server that holds one.

    Each record gets "last_seen" and, for a run silent longer than RUN_TIMEOUT, the
    status "crashed" (computed on read from the run's heartbeats, app.state liveness).
    """
    store = get_store()
    beats = store.liveness()
    now = time.time()
    timeout = current_app.config["RUN_TIMEOUT"]
    return [
        {
            "eid": item["eid"],
            "experiment": with_liveness(item["experiment"], beats.get(item["eid"]), now, timeout),
        }
        for item in store.experiments()
    ]
