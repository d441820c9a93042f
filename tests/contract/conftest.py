"""The store contract: what every store backend must do, whatever it keeps data in.

`backend` yields a factory: `open_store()` opens the store on the backend's data (a new
call is a restart of the server process on the same data, or, for a `shared` backend,
another server process on the same data), `crash(store)` drops a store without a clean
close. Each backend in BACKENDS runs the same tests: the embedded store, RedisStore on a
real redis-server, and RedisStore on a three-node local Redis Cluster.
"""

import pytest

from app.state import Store

from .redis_servers import start_cluster, start_server


def recording(store):
    store.published = []
    store.publish = lambda eid, event, payload: store.published.append((eid, event, payload["seq"]))
    return store


class MemoryBackend:
    """The embedded default: memory, journal and upstream env files under one env path."""

    name = "memory"
    shared = False  # one process per env path

    def __init__(self, request, tmp_path):
        self.env_path = str(tmp_path / "envs")
        self.opened = []

    def open_store(self):
        store = recording(Store(self.env_path, save_interval=3600))
        self.opened.append(store)
        return store

    def crash(self, store):
        """What survives a kill -9: the journal was written, nothing else was flushed."""
        store.files.close()  # what the OS has of the journal; no snapshot is written
        self.opened.remove(store)

    def close(self):
        for store in self.opened:
            store.close()


class RedisBackend:
    """RedisStore on a real redis-server (one per test module, emptied for each test)."""

    name = "redis"
    shared = True  # several processes (stores) on one Redis
    server_fixture = "redis_server"

    def __init__(self, request, tmp_path):
        from app.state.redis_store import RedisStore

        self.servers, self.url = request.getfixturevalue(self.server_fixture)
        self.servers.flush()
        self.env_path = str(tmp_path / "envs")
        self.opened = []
        self.factory = RedisStore

    def open_store(self):
        store = recording(self.factory(self.url, self.env_path, save_interval=3600))
        self.opened.append(store)
        return store

    def crash(self, store):
        """What survives a kill -9: what Redis acknowledged; the client just goes away."""
        store._alive_stop.set()  # a dead process renews nothing (and its thread must not linger)
        store.redis.close()
        self.opened.remove(store)

    def close(self):
        for store in self.opened:
            store.close()


class RedisClusterBackend(RedisBackend):
    """RedisStore on a three-node local Redis Cluster (every env's keys share one slot)."""

    name = "redis-cluster"
    server_fixture = "redis_cluster"


BACKENDS = {
    "memory": MemoryBackend,
    "redis": RedisBackend,
    "redis-cluster": RedisClusterBackend,
}


@pytest.fixture(scope="module")
def redis_server():
    servers, url = start_server()
    yield servers, url
    servers.stop()


@pytest.fixture(scope="module")
def redis_cluster():
    servers, url = start_cluster()
    yield servers, url
    servers.stop()


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path):
    instance = BACKENDS[request.param](request, tmp_path)
    yield instance
    instance.close()
