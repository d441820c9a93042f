"""One live server process for the module that fuzzes it with its own OpenAPI document."""

import pytest

# A module-scoped server: the function-scoped root `server_factory` would start one per case.
from app.testing import ServerProcess


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory):
    """A real `python -m app` process on a free port, with envs in a temporary folder."""
    env_path = tmp_path_factory.mktemp("schema") / "envs"
    env_path.mkdir()
    server = ServerProcess(str(env_path)).start()
    yield server
    server.stop()
