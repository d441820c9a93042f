"""The store: envs, windows and views, behind one interface (backend.py) with two backends.

    backend.py      StoreBackend: the interface, every method with what it guarantees
    replica.py      ReplicaStore: the logic both backends share, on in-memory Env replicas
    embedded.py     EmbeddedStore: memory + journal + env files under ENV_PATH (default)
    redis_store.py  RedisStore: Redis, shared by several server processes (STORE=redis://)
    env.py          Env: one env's windows, layout and bookkeeping
    persistence.py  the files under ENV_PATH (the only file I/O of the server)

`Store` is the embedded backend (the name most tests and tools use).
"""

import functools

from flask import current_app

from ..config import redis_url
from .backend import StoreBackend
from .embedded import EmbeddedStore
from .names import escape_eid

Store = EmbeddedStore

__all__ = ["EmbeddedStore", "Store", "StoreBackend", "escape_eid", "get_store", "init_app"]


def init_app(app):
    """Create the app's store from its config and start autosaving.

    STORE selects the backend (app.config.redis_url reads it): empty for the embedded
    store, or a redis:// URL for RedisStore.
    """
    url = redis_url(app.config)
    if url:
        from .redis_store import RedisStore

        backend = functools.partial(RedisStore, url)
    else:
        backend = EmbeddedStore
    store = backend(
        app.config["ENV_PATH"],
        eager=app.config["EAGER_DATA_LOADING"],
        save_interval=app.config["SAVE_INTERVAL"],
        save_duty=app.config["SAVE_DUTY"],
        undo_depth=app.config["UNDO_DEPTH"],
        caps={
            "text_lines": app.config["TEXT_MAX_LINES"],
            "image_history": app.config["IMAGE_HISTORY_MAX"],
            "embeddings_history": app.config["EMBEDDINGS_HISTORY_MAX"],
        },
    )
    store.start_autosave()
    app.extensions["visdom_store"] = store
    return store


def get_store():
    """Return the current app's store (a StoreBackend)."""
    return current_app.extensions["visdom_store"]
