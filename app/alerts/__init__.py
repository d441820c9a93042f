"""Alerts: rules on a run's data and liveness, evaluated off the write path, delivered to
open pages and webhooks.

    rules.py      what a rule may say (kinds nan, above, below, stalled, run), checked
    evaluate.py   pure scans of a request body: non-finite values, smoothed thresholds
    engine.py     AlertEngine: the queue and worker, the sweep, firing and rate limits
    delivery.py   webhooks, one queue and thread per URL, with retries

Rules and fired alerts are kept by the store (app.state: alert_rules, add_alert, ...),
so a Redis deployment shares them. The services (app.services.alerts, windows) call
`get_engine()`; the engine calls the store and app.broadcast, nothing above them.
"""

from flask import current_app

from .. import broadcast
from ..config import webhook_urls
from .engine import AlertEngine

__all__ = ["AlertEngine", "get_engine", "init_app"]


def public_url(config):
    """Return the server's address for links in alerts: PUBLIC_URL or http://host:port."""
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    host = config.get("HOSTNAME") or "localhost"
    return f"http://{host}:{config['PORT']}{config.get('BASE_URL') or ''}"


def init_app(app):
    """Start the app's alert engine (after the store)."""
    config = app.config
    engine = AlertEngine(
        app.extensions["visdom_store"],
        broadcast.alert,
        nan=bool(config["ALERT_NAN"]),
        interval=config["ALERT_INTERVAL"],
        run_timeout=config["RUN_TIMEOUT"],
        webhooks=webhook_urls(config),
        public_url=public_url(config),
    )
    app.extensions["visdom_alerts"] = engine
    return engine


def get_engine():
    """Return the current app's AlertEngine."""
    return current_app.extensions["visdom_alerts"]
