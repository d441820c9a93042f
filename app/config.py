"""Configuration: defaults, then instance/config.py, then VISDOM_* variables, then overrides."""

import os

DEFAULTS = {
    "PORT": 8097,
    "HOSTNAME": "localhost",
    "BIND_HOST": None,  # None: localhost unless a hostname is given (see app.__main__)
    "BASE_URL": "",
    "ENV_PATH": os.path.join(os.path.expanduser("~"), ".visdom"),
    "LOGGING_LEVEL": "INFO",
    "READONLY": False,
    "ENABLE_LOGIN": False,
    "FORCE_NEW_COOKIE": False,
    "USE_FRONTEND_CLIENT_POLLING": False,
    "EAGER_DATA_LOADING": False,
    "ASYNC_MODE": "threading",
    # Autosave: a changed env file is rewritten within about this many seconds. Each
    # change is also appended to a journal before the request is answered.
    "SAVE_INTERVAL": 0.5,
    # At most this fraction of wall time is spent rewriting one env file (5%); larger envs are
    # therefore snapshotted less often (their journal keeps every change meanwhile).
    "SAVE_DUTY": 0.05,
    "MAX_CONTENT_LENGTH": 256 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "LOGIN_RATE_LIMIT": 10,  # failed logins per minute per address
    # Login (app/auth): accounts file (default <instance>/users.json), how long a
    # login lasts, upstream's VISDOM_COOKIE (the value of a new secret key), extra origins
    # allowed to make changes ("https://a.example,https://b.example"), how many reverse
    # proxies to trust for X-Forwarded-For/-Proto/-Host/-Port (0: none), and the CSP header.
    "USERS_FILE": None,
    "LOGIN_LIFETIME_DAYS": 30,
    "COOKIE": None,
    "ALLOWED_ORIGINS": "",
    "PROXY_FIX": 0,
    "PASSWORD_HASH_METHOD": None,  # werkzeug's default (scrypt)
    # Closed windows that `undo` can restore, per env (kept in <env_path>/.undo/).
    "UNDO_DEPTH": 10,
    # Upstream 0.3.0's caps, off (0) by default: keep only the last N lines of a text
    # window (upstream: 500), N frames of an image history (4), N previous point sets of
    # an embeddings window (50). Data beyond a cap is dropped.
    "TEXT_MAX_LINES": 0,
    "IMAGE_HISTORY_MAX": 0,
    "EMBEDDINGS_HISTORY_MAX": 0,
    # Serve HTTPS directly (both needed; `-ssl_certfile` / `-ssl_keyfile`).
    "SSL_CERTFILE": None,
    "SSL_KEYFILE": None,
    # The store: empty for the embedded one (memory + journal + env files), or a Redis
    # URL (redis://host:6379/0) shared by several server processes (`-store`).
    "STORE": "",
    # Mirror the TensorBoard runs under this directory into envs, live (`-logdir`,
    # app/tensorboard, docs/tensorboard.md): a prefix for their env names, and how often
    # (seconds) the directory is looked at.
    "LOGDIR": None,
    "LOGDIR_ENV_PREFIX": "",
    "LOGDIR_POLL_INTERVAL": 0.5,
    # Watching runs (app/alerts): a "running" run silent for RUN_TIMEOUT seconds reads
    # "crashed"; the server-wide rule "a trace gets NaN or ±Inf" (ALERT_NAN); one alert
    # per rule per ALERT_INTERVAL seconds; webhooks (comma/space separated http(s) URLs,
    # merged with the -alert_webhook flags); PUBLIC_URL, the server's address in alert
    # links (default http://HOSTNAME:PORT + BASE_URL).
    "RUN_TIMEOUT": 60.0,
    "ALERT_NAN": True,
    "ALERT_INTERVAL": 600.0,
    "ALERT_WEBHOOK": "",
    "ALERT_WEBHOOKS": (),
    "PUBLIC_URL": "",
}

# Settings that VISDOM_<NAME> can set, with the type to parse the string into.
_TYPES = {
    "PORT": int,
    "HOSTNAME": str,
    "BIND_HOST": str,
    "BASE_URL": str,
    "ENV_PATH": str,
    "LOGGING_LEVEL": str,
    "READONLY": bool,
    "ENABLE_LOGIN": bool,
    "FORCE_NEW_COOKIE": bool,
    "USE_FRONTEND_CLIENT_POLLING": bool,
    "EAGER_DATA_LOADING": bool,
    "ASYNC_MODE": str,
    "SAVE_INTERVAL": float,
    "SAVE_DUTY": float,
    "MAX_CONTENT_LENGTH": int,
    "SECRET_KEY": str,
    "LOGIN_RATE_LIMIT": int,
    "SESSION_COOKIE_SECURE": bool,
    "USERS_FILE": str,
    "LOGIN_LIFETIME_DAYS": int,
    "COOKIE": str,
    "ALLOWED_ORIGINS": str,
    "PROXY_FIX": int,
    "CONTENT_SECURITY_POLICY": str,
    "PASSWORD_HASH_METHOD": str,
    "UNDO_DEPTH": int,
    "TEXT_MAX_LINES": int,
    "IMAGE_HISTORY_MAX": int,
    "EMBEDDINGS_HISTORY_MAX": int,
    "SSL_CERTFILE": str,
    "SSL_KEYFILE": str,
    "STORE": str,
    "LOGDIR": str,
    "LOGDIR_ENV_PREFIX": str,
    "LOGDIR_POLL_INTERVAL": float,
    "RUN_TIMEOUT": float,
    "ALERT_NAN": bool,
    "ALERT_INTERVAL": float,
    "ALERT_WEBHOOK": str,
    "PUBLIC_URL": str,
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(name, raw):
    kind = _TYPES[name]
    if kind is bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"VISDOM_{name}: expected a boolean (1/0, true/false), got {raw!r}")
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"VISDOM_{name}: expected {kind.__name__}, got {raw!r}") from None


def from_environ(environ=None):
    """Return the settings given by VISDOM_* environment variables."""
    environ = os.environ if environ is None else environ
    found = {}
    for name in _TYPES:
        raw = environ.get("VISDOM_" + name)
        if raw is not None:
            found[name] = _parse(name, raw)
    return found


def normalize_base_url(value):
    """Return base_url in upstream's internal form: "" for "/", else "/prefix" (no trailing /)."""
    value = (value or "").strip()
    if value in ("", "/"):
        return ""
    if not value.startswith("/"):
        value = "/" + value
    return value.rstrip("/")


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def redis_url(config):
    """Return the Redis URL that STORE names, or None for the embedded store.

    The one place that reads STORE: the store, the Socket.IO fan-out and the revoked-login
    set all ask here. Anything but nothing, "memory" or a redis://, rediss:// or unix://
    URL is a ValueError (raised by the first reader: app.state.init_app, at startup).
    """
    url = config.get("STORE") or ""
    if url in ("", "memory"):
        return None
    if isinstance(url, str) and url.startswith(REDIS_SCHEMES):
        return url
    raise ValueError(f"STORE: expected a redis:// URL or nothing, got {url!r}")


def webhook_urls(config):
    """Return the alert webhooks: ALERT_WEBHOOK (a comma/space separated string or a list)
    then the -alert_webhook flags (ALERT_WEBHOOKS), without duplicates, in that order.

    A URL that is not http(s) is a ValueError naming the setting.
    """
    found = []
    for name in ("ALERT_WEBHOOK", "ALERT_WEBHOOKS"):
        value = config.get(name) or ()
        items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
        for url in items:
            url = str(url).strip()
            if not url.startswith(("http://", "https://")) or len(url) < 9:
                raise ValueError(f"{name}: expected http(s) URLs, got {url!r}")
            if url not in found:
                found.append(url)
    return found


def finalize(config):
    """Normalize derived settings after every source has been applied."""
    config["BASE_URL"] = normalize_base_url(config.get("BASE_URL"))
    level = config.get("LOGGING_LEVEL", "INFO")
    if isinstance(level, str):
        level = int(level) if level.strip().lstrip("-").isdigit() else level.strip().upper()
    config["LOGGING_LEVEL"] = level
    config["ENV_PATH"] = os.path.abspath(os.path.expanduser(config["ENV_PATH"]))
    if config.get("LOGDIR"):
        config["LOGDIR"] = os.path.abspath(os.path.expanduser(config["LOGDIR"]))
    poll = config.get("LOGDIR_POLL_INTERVAL")
    if not isinstance(poll, (int, float)) or isinstance(poll, bool) or not 0 < poll <= 60:
        raise ValueError(f"LOGDIR_POLL_INTERVAL: expected seconds in (0, 60], got {poll!r}")
    for name in ("RUN_TIMEOUT", "ALERT_INTERVAL"):
        if not float(config[name]) > 0:
            raise ValueError(f"{name}: expected a number of seconds > 0, got {config[name]!r}")
    webhook_urls(config)  # refuse a bad URL at startup
    if config["ASYNC_MODE"] not in ("threading", "eventlet", "gevent"):
        raise ValueError(
            f"ASYNC_MODE: expected threading or eventlet, got {config['ASYNC_MODE']!r}"
        )
