"""Mirror TensorBoard logdirs into envs, live (`-logdir DIR`) or once (`import-tensorboard`).

    records.py  TFRecord framing with its masked CRC-32C, from a byte offset
    events.py   Event protobufs (tensorboard's own) to plain items
    names.py    run directory -> env id, tag -> window id and title
    mirror.py   items -> store calls (the same as /update, /events, /experiments/log)
    tailer.py   walk the logdir, read what is new, keep offsets under the env path
    cli.py      `python -m app import-tensorboard DIR [--env-prefix P]`

The mapping is documented in docs/tensorboard.md. Reading needs the `tensorboard` package
(its protobufs; no TensorFlow, no torch) and google-crc32c, imported only when a logdir
is given, so a server without -logdir does not load them.
"""

import logging

log = logging.getLogger("app.tensorboard")

EXTENSION = "visdom_tensorboard"


def init_app(app):
    """Start following LOGDIR in the background when it is set; return the tailer or None."""
    logdir = app.config.get("LOGDIR")
    if not logdir:
        return None
    from .tailer import Tailer

    tailer = Tailer(
        app,
        logdir,
        prefix=app.config.get("LOGDIR_ENV_PREFIX") or "",
        interval=app.config.get("LOGDIR_POLL_INTERVAL") or 0.5,
    )
    app.extensions[EXTENSION] = tailer
    return tailer.start()


def stop(app):
    """Stop the app's tailer, if it has one (at shutdown, before the store closes)."""
    tailer = app.extensions.pop(EXTENSION, None)
    if tailer is not None:
        tailer.stop()
