"""The store: envs, windows and views in memory, persisted under the env path."""

import functools

from flask import current_app

from ..config import redis_url
from .names import escape_eid
from .store import Store

__all__ = ["Store", "escape_eid", "get_store", "init_app"]


def init_app(app):
    """Create the app's store from its config and start autosaving.

    STORE selects the backend (app.config.redis_url reads it): empty for the embedded
    store (memory, journal and env files under ENV_PATH), or a redis:// URL for
    RedisStore (app/state/redis_store.py).
    """
    url = redis_url(app.config)
    if url:
        from .redis_store import RedisStore

        backend = functools.partial(RedisStore, url)
    else:
        backend = Store
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
    """Return the current app's store."""
    return current_app.extensions["visdom_store"]
