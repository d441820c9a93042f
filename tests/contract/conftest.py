"""The store contract: what every store backend must do, whatever it keeps data in.

A backend is accepted when it passes this suite: tests/contract runs every test here
against every backend in BACKENDS (the embedded store, RedisStore on a real
redis-server, RedisStore on a three-node local Redis Cluster), and test_interface.py
checks that it implements the whole interface, app.state.backend.StoreBackend, with
the interface's signatures.

To add a backend (say PostgreSQL): implement StoreBackend (most simply by subclassing
app.state.replica.ReplicaStore and implementing its hooks), then add a class here with

    name          the test id
    store_class   the backend's class (test_interface.py checks it)
    shared        True if several stores (server processes) may open the same data at once
    __init__(request, tmp_path)   set up empty data (start a server, make a folder, ...)
    open_store()  open a store on that data; a second call is a restart of the server
                  process, or for a shared backend another process on the same data
    crash(store)  drop a store as a kill -9 would: no close, no flush
    close()       close every store opened, stop what __init__ started

and put it in BACKENDS. `recording` gives each store a `published` list of
(eid, event, seq) that the order tests read.
"""

import pytest

from app.state import EmbeddedStore
from app.state.redis_store import RedisStore
from tests.support.redis import start_cluster, start_server


def recording(store):
    store.published = []
    store.publish = lambda eid, event, payload: store.published.append((eid, event, payload["seq"]))
    return store


class MemoryBackend:
    """The embedded default: memory, journal and upstream env files under one env path."""

    name = "memory"
    store_class = EmbeddedStore
    shared = False  # one process per env path

    def __init__(self, request, tmp_path):
        self.env_path = str(tmp_path / "envs")
        self.opened = []

    def open_store(self):
        store = recording(EmbeddedStore(self.env_path, save_interval=3600))
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
    store_class = RedisStore
    shared = True  # several processes (stores) on one Redis
    server_fixture = "redis_server"

    def __init__(self, request, tmp_path):
        self.servers, self.url = request.getfixturevalue(self.server_fixture)
        self.servers.flush()
        self.env_path = str(tmp_path / "envs")
        self.opened = []

    def open_store(self):
        store = recording(RedisStore(self.url, self.env_path, save_interval=3600))
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
