"""The visdom-compatible live-visualization server (Flask + Flask-SocketIO)."""

import logging
import os

from flask import Flask

from . import config as config_module


def _instance_path(test_config):
    path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("VISDOM_INSTANCE_PATH")
    return os.path.abspath(path) if path else None


def _load_config(config, test_config):
    config.from_mapping(config_module.DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    config.update(config_module.from_environ())
    if test_config:
        config.update(test_config)
    config_module.finalize(config)


def load_settings(test_config=None):
    """Return the settings create_app would use, without building the app."""
    app = Flask(__name__, instance_path=_instance_path(test_config), instance_relative_config=True)
    _load_config(app.config, test_config)
    return app.config


def create_app(test_config=None):
    """Build the app: config, store, blueprints under base_url, sockets.

    Settings come from the defaults, then instance/config.py, then VISDOM_* environment
    variables, then `test_config` (the CLI passes its flags here).
    """
    app = Flask(
        __name__,
        instance_path=_instance_path(test_config),
        instance_relative_config=True,
        static_folder=None,
    )
    _load_config(app.config, test_config)
    _strict_json(app)
    from .memory import fix_malloc_threshold

    fix_malloc_threshold()  # large column buffers go back to the system when freed
    logging.getLogger("app").setLevel(app.config["LOGGING_LEVEL"])
    base = app.config["BASE_URL"]
    from . import assets

    assets.init_app(app, base)

    from . import state

    state.init_app(app)

    from . import alerts

    alerts.init_app(app)

    from . import auth
    from .blueprints import alerts as alert_routes
    from .blueprints import (
        compare,
        data,
        download,
        envs,
        errors,
        experiments,
        export,
        openapi,
        pages,
        plotting,
        runs,
        runsapi,
        views,
    )
    from .sockets import init_app as init_sockets
    from .sockets import vis_socket

    app.register_blueprint(errors.bp)
    modules = (
        plotting,
        envs,
        experiments,
        views,
        data,
        download,
        pages,
        runs,
        runsapi,
        compare,
        export,
        openapi,
        alert_routes,
        vis_socket,
    )
    for module in modules:
        app.register_blueprint(module.bp, url_prefix=base or None)
    init_sockets(app)
    auth.init_app(app)
    from . import tensorboard

    tensorboard.init_app(app)  # follows LOGDIR in the background, when it is set
    return app


def _strict_json(app):
    """Make jsonify() strict JSON (NaN and ±Inf become null): browsers read these answers."""
    from flask.json.provider import DefaultJSONProvider

    from .jsonio import loads, strict_dumps

    class StrictJSONProvider(DefaultJSONProvider):
        def dumps(self, obj, **kwargs):
            return strict_dumps(obj)

        def loads(self, s, **kwargs):
            return loads(s)

    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
