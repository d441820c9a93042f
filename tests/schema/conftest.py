"""One live server process for the module that fuzzes it with its own OpenAPI document."""

import pytest

# A module-scoped server: the function-scoped root `server_factory` would start one per case.
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory):
    """A real `python -m app` process on a free port, with envs in a temporary folder."""
    env_path = tmp_path_factory.mktemp("schema") / "envs"
    env_path.mkdir()
    server = ServerProcess(str(env_path)).start()
    yield server
    server.stop()


PASSWORD = "s3cret"


@pytest.fixture(scope="module")
def login_schema_server(tmp_path_factory):
    """A live server with login on and one account, alice/s3cret (cheap password hash)."""
    root = tmp_path_factory.mktemp("schema-login")
    (root / "envs").mkdir()
    env = {
        "VISDOM_INSTANCE_PATH": str(root / "instance"),
        "VISDOM_USE_ENV_CREDENTIALS": "1",
        "VISDOM_USERNAME": "alice",
        "VISDOM_PASSWORD": PASSWORD,
        "VISDOM_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    server = ServerProcess(str(root / "envs"), args=["-enable_login"], env=env).start()
    yield server
    server.stop()
