"""Several server processes on one Redis, behind a real nginx, started by the tests.

`Cluster` (scripts/cluster.py, the same code a user runs) starts redis-server, the
`python -m app` processes and nginx on free ports in a temporary folder. The tests skip
when redis-server or nginx is missing, unless VISDOM_REQUIRE_BROWSER=1 (CI), where that fails.
"""

import importlib.util
import os
import shutil
import tempfile
import time

import pytest

from tests.support.server import ROOT
from tests.support.waiting import wait_for as _wait_for

_spec = importlib.util.spec_from_file_location(
    "cluster", os.path.join(ROOT, "scripts", "cluster.py")
)
cluster_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster_module)
Cluster = cluster_module.Cluster


def require_tools():
    missing = [p for p in (cluster_module.REDIS, cluster_module.NGINX) if not os.path.exists(p)]
    if missing:
        if os.environ.get("VISDOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"required for the cluster tests but missing: {missing}")
        pytest.skip(f"missing {missing} (make system-packages)")


@pytest.fixture(scope="module")
def cluster_factory():
    """Start clusters (stopped at the end of the module): cluster_factory(n=2, args=...)."""
    require_tools()
    started = []

    def start(**kwargs):
        root = tempfile.mkdtemp(prefix="visdom-cluster-")
        cluster = Cluster(root, **kwargs)
        started.append(cluster)
        return cluster.start()

    yield start
    for cluster in started:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(cluster_factory):
    """Two processes on one Redis behind nginx (login off)."""
    return cluster_factory(n=2)


def wait_for(predicate, timeout=15.0, what="a condition"):
    """tests.support's wait_for with the longer wait a trip through Redis may take."""
    return _wait_for(predicate, timeout, what)


def settle():
    """Give a Socket.IO room join time to reach every process through Redis."""
    time.sleep(0.3)
