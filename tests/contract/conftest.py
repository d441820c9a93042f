"""The store contract: what every store backend must do, whatever it keeps data in.

`backend` yields a factory: `open_store()` opens the store on the backend's data (a new
call is a restart of the server process on the same data), `crash(store)` drops a store
without a clean close. A second backend (Redis) adds itself to BACKENDS and runs the same
tests.
"""

import pytest

from app.state import Store


class MemoryBackend:
    """The embedded default: memory, journal and upstream env files under one env path."""

    name = "memory"

    def __init__(self, tmp_path):
        self.env_path = str(tmp_path / "envs")
        self.opened = []

    def open_store(self):
        store = Store(self.env_path, save_interval=3600)
        store.published = []
        store.publish = lambda eid, event, payload: store.published.append(
            (eid, event, payload["seq"])
        )
        self.opened.append(store)
        return store

    def crash(self, store):
        """What survives a kill -9: the journal was written, nothing else was flushed."""
        store.files.close()  # what the OS has of the journal; no snapshot is written
        self.opened.remove(store)

    def close(self):
        for store in self.opened:
            store.close()


BACKENDS = {"memory": MemoryBackend}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path):
    instance = BACKENDS[request.param](tmp_path)
    yield instance
    instance.close()
