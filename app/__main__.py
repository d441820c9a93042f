"""`python -m app` / `visdom`: start the server with upstream's command-line flags."""

import argparse
import logging
import os
import sys

from .version import __version__

log = logging.getLogger("app")

ALL_INTERFACES = ("0.0.0.0", "::", "")


def _port(text):
    """A TCP port number (1-65535), or a clear usage error (0.3.0 range-checks it too)."""
    import argparse

    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {port}")
    return port


def build_parser():
    parser = argparse.ArgumentParser(
        prog="visdom",
        description="Start the visualization server (flags as upstream visdom's).",
    )
    add = parser.add_argument
    add("-port", "--port", type=_port, default=None, help="port to listen on (default 8097)")
    add(
        "-hostname",
        "--hostname",
        default=None,
        help="host name or address to listen on and to print (default localhost: "
        "only this machine; give 0.0.0.0 to listen on every interface)",
    )
    add("-base_url", "--base_url", default=None, help="URL prefix, e.g. /visdom (default /)")
    add("-env_path", "--env_path", default=None, help="where envs are stored (default ~/.visdom/)")
    add(
        "-logging_level",
        "--logging_level",
        default=None,
        help="level name or number (default INFO)",
    )
    add("-readonly", "--readonly", action="store_true", default=None, help="refuse every change")
    add("-enable_login", "--enable_login", action="store_true", default=None, help="require login")
    add(
        "-force_new_cookie",
        "--force_new_cookie",
        action="store_true",
        default=None,
        help="make a new cookie secret (logs everybody out)",
    )
    add(
        "-bind_local",
        "--bind_local",
        action="store_true",
        default=None,
        help="listen on 127.0.0.1 only",
    )
    add(
        "-eager_data_loading",
        "--eager_data_loading",
        action="store_true",
        default=None,
        help="read every env file at start instead of on first use",
    )
    add(
        "-use_frontend_client_polling",
        "--use_frontend_client_polling",
        action="store_true",
        default=None,
        help="accepted for compatibility (the browser falls back to polling by itself)",
    )
    add("-ssl_certfile", "--ssl_certfile", default=None, help="serve HTTPS: certificate (PEM)")
    add("-ssl_keyfile", "--ssl_keyfile", default=None, help="serve HTTPS: private key (PEM)")
    add(
        "-store",
        "--store",
        default=None,
        help="redis://host:6379/0 to keep envs in Redis, shared by several server processes "
        "(default: in memory, journaled under -env_path)",
    )
    add(
        "-logdir",
        "--logdir",
        default=None,
        help="mirror the TensorBoard runs under this directory into envs, live "
        "(docs/tensorboard.md)",
    )
    add(
        "-logdir_env_prefix",
        "--logdir_env_prefix",
        default=None,
        help="put this in front of the env name of every -logdir run",
    )
    add(
        "-run_timeout",
        "--run_timeout",
        type=float,
        default=None,
        help="seconds without a heartbeat before a running run reads crashed (default 60)",
    )
    add(
        "-alert_interval",
        "--alert_interval",
        type=float,
        default=None,
        help="at most one alert per rule per this many seconds (default 600)",
    )
    add(
        "-alert_webhook",
        "--alert_webhook",
        action="append",
        default=None,
        help="post fired alerts to this http(s) URL (repeatable; Slack and Discord "
        "webhook URLs get their own body); merged with VISDOM_ALERT_WEBHOOK",
    )
    add(
        "-no_alert_nan",
        "--no_alert_nan",
        action="store_false",
        dest="alert_nan",
        default=None,
        help="turn off the server-wide rule that alerts when a trace gets NaN or ±Inf",
    )
    add("-async_mode", "--async_mode", choices=("threading", "eventlet"), default=None)
    add(
        "-threads",
        "--threads",
        type=int,
        default=100,
        help="worker threads (each websocket holds one)",
    )
    add("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def level_of(value):
    """Return a logging level from a name ("INFO") or a number ("20")."""
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    level = logging.getLevelName(text.upper())
    if not isinstance(level, int):
        raise SystemExit(f"error: -logging_level: unknown level {value!r}")
    return level


def overrides(args):
    """Map the CLI flags that were given onto config keys."""
    mapping = {
        "PORT": args.port,
        "HOSTNAME": args.hostname,
        "BASE_URL": args.base_url,
        "ENV_PATH": args.env_path,
        "LOGGING_LEVEL": args.logging_level,
        "READONLY": args.readonly,
        "ENABLE_LOGIN": args.enable_login,
        "FORCE_NEW_COOKIE": args.force_new_cookie,
        "EAGER_DATA_LOADING": args.eager_data_loading,
        "USE_FRONTEND_CLIENT_POLLING": args.use_frontend_client_polling,
        "ASYNC_MODE": args.async_mode,
        "SSL_CERTFILE": args.ssl_certfile,
        "SSL_KEYFILE": args.ssl_keyfile,
        "STORE": args.store,
        "LOGDIR": args.logdir,
        "LOGDIR_ENV_PREFIX": args.logdir_env_prefix,
        "RUN_TIMEOUT": args.run_timeout,
        "ALERT_INTERVAL": args.alert_interval,
        "ALERT_WEBHOOKS": tuple(args.alert_webhook) if args.alert_webhook else None,
        "ALERT_NAN": args.alert_nan,
    }
    found = {key: value for key, value in mapping.items() if value is not None}
    if args.bind_local:
        found["BIND_HOST"] = "127.0.0.1"
    return found


def bind_host(config):
    """Listen on localhost unless a hostname (or bind address) was given."""
    if config.get("BIND_HOST"):
        return config["BIND_HOST"]
    hostname = config.get("HOSTNAME") or "localhost"
    return "127.0.0.1" if hostname == "localhost" else hostname


def ssl_files(settings):
    """Return (certfile, keyfile) for HTTPS, or None; exit with a message when unusable."""
    cert, key = settings.get("SSL_CERTFILE"), settings.get("SSL_KEYFILE")
    if not cert and not key:
        return None
    if not cert or not key:
        raise SystemExit("error: -ssl_certfile and -ssl_keyfile must be provided together.")
    for flag, path in (("-ssl_certfile", cert), ("-ssl_keyfile", key)):
        if not os.path.isfile(path):
            raise SystemExit(f"error: {flag}: no such file: {path}")
    return os.path.abspath(cert), os.path.abspath(key)


def freeze_startup():
    """Keep the objects built at start (modules, the app) out of the cyclic GC's passes.

    They live as long as the process; left in, every full pass walks them all (~70,000
    objects: ~10 ms with the GIL held, every few seconds under load, a pause that every
    in-flight request waits out).
    """
    import gc

    gc.collect()
    gc.freeze()


KEEPALIVE = 75  # seconds an idle client connection stays open (nginx's default)


def serve_gunicorn(make_app, host, port, threads, ssl=None):
    """Serve through gunicorn's gthread worker (app/worker.py), the same server a
    deployment uses."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"])
            self.cfg.set("worker_class", "app.worker.ThreadWorker")
            self.cfg.set("workers", 1)
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 0)
            self.cfg.set("graceful_timeout", 5)
            # Clients that append every few seconds reuse their connection; gunicorn's 2 s
            # default closed it under them (a POST on a connection being closed is lost).
            self.cfg.set("keepalive", KEEPALIVE)
            self.cfg.set("accesslog", None)
            self.cfg.set("loglevel", "warning")
            self.cfg.set("limit_request_line", 8190)
            self.cfg.set("worker_exit", _close_store)
            self.cfg.set("post_worker_init", quick_exit_on_sigterm)
            if ssl is not None:
                self.cfg.set("certfile", ssl[0])
                self.cfg.set("keyfile", ssl[1])

        def load(self):
            # Built in the worker, after the fork, so that its threads live there.
            app = make_app()
            freeze_startup()
            return app

    Server().run()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["users"]:  # `python -m app users add|remove|list|passwd|role|token ...`
        from . import load_settings
        from .auth.cli import main as users_main

        return users_main(argv[1:], load_settings())
    if argv[:1] == ["redis"]:  # `python -m app redis import|export ENV_PATH [--store URL]`
        from .state.redis_cli import main as redis_main

        return redis_main(argv[1:])
    if argv[:1] == ["import-tensorboard"]:  # `python -m app import-tensorboard DIR ...`
        from . import create_app
        from .tensorboard.cli import main as import_main

        return import_main(argv[1:], create_app)
    args = build_parser().parse_args(argv)
    config = overrides(args)
    if "LOGGING_LEVEL" in config:
        config["LOGGING_LEVEL"] = level_of(config["LOGGING_LEVEL"])
    async_mode = config.get("ASYNC_MODE") or os.environ.get("VISDOM_ASYNC_MODE", "threading")
    if async_mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    logging.basicConfig(
        level=config.get("LOGGING_LEVEL", logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from . import create_app, load_settings

    try:
        settings = load_settings(config)
    except ValueError as exc:  # a setting that cannot be used (a webhook that is not http)
        raise SystemExit(f"error: {exc}") from None
    if settings["ENABLE_LOGIN"]:  # upstream: credentials from VISDOM_* or a terminal prompt
        from .auth.startup import startup_login

        config.update(startup_login(settings))
    host = bind_host(settings)
    port = settings["PORT"]
    if host in ALL_INTERFACES and not settings["ENABLE_LOGIN"]:
        log.warning(
            "WARNING: listening on all interfaces WITHOUT login: anyone who can reach "
            "port %s can read and change every env. Use -enable_login on a shared network.",
            port,
        )
    ssl = ssl_files(settings)
    shown = settings.get("HOSTNAME") or "localhost"
    scheme = "https" if ssl else "http"
    print(f"Visdom server: {scheme}://{shown}:{port}{settings['BASE_URL']}/", flush=True)
    if settings["ASYNC_MODE"] == "eventlet":
        from .extensions import socketio

        app = create_app(config)
        try:
            tls = {"certfile": ssl[0], "keyfile": ssl[1]} if ssl else {}
            socketio.run(app, host=host, port=port, log_output=False, **tls)
        finally:
            _shutdown(app)
    else:
        serve_gunicorn(lambda: create_app(config), host, port, args.threads, ssl)
    return 0


def quick_exit_on_sigterm(worker):
    """gunicorn hook: on SIGTERM, also close every websocket so the worker exits at once.

    gunicorn's gthread worker waits for open connections up to graceful_timeout, and an
    open page holds one forever; without this a connected page delays exit by 5 s.
    """
    import signal
    import threading

    app = getattr(worker, "wsgi", None)

    def on_term(sig, frame):
        worker.handle_exit(sig, frame)
        if app is not None:
            threading.Thread(
                target=_close_until_exit, args=(app,), name="visdom-close-sockets", daemon=True
            ).start()

    signal.signal(signal.SIGTERM, on_term)


def _close_until_exit(app):
    """Close open connections now, and again for those that were still opening."""
    import time

    from .sockets import close_connections

    for delay in (0, 0.2, 0.5, 1.0):
        time.sleep(delay)
        close_connections(app)


def _close_store(server, worker):
    """gunicorn hook: stop the logdir mirror and write pending env snapshots when the
    worker stops."""
    app = getattr(worker, "wsgi", None)
    if app is not None and hasattr(app, "extensions"):
        _shutdown(app)


def _shutdown(app):
    from .tensorboard import stop

    stop(app)  # first: it writes into the store
    store = app.extensions.get("visdom_store")
    if store is not None:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
