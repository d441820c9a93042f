"""Run the real upstream visdom 0.2.4 client (its own venv) against a real server.

The client lookup, PRELUDE and the `Upstream` runner live in tests/support/upstream.py
(importable from here too).
"""

import pytest

from tests.support.server import ServerProcess
from tests.support.upstream import (  # noqa: F401 - importable from here, as the tests do
    PRELUDE,
    Upstream,
    upstream_python,
)


@pytest.fixture(scope="module")
def compat_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("compat") / "envs"
    path.mkdir()
    server = ServerProcess(str(path)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def upstream(compat_server):
    return Upstream(compat_server)
