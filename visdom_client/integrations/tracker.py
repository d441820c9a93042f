"""One run as windows plus an experiment record: what the wandb-style API and every
framework callback share.

A run is an env. Each scalar metric is a line window (title = the metric's window key)
appended point by point through the client's non-blocking sender, so a training loop never
waits for the server; a validation metric goes on the window of its training metric as a
second trace (`val_loss` on the `loss` window, see `split_metric`). The run's settings are
the env's experiment params, its tags the experiment tags, and its end the experiment status
with the final metrics (the runs table reads them).
"""

import datetime
import hashlib
import json
import logging
import math
import numbers
import re

from ..client import Visdom
from ..errors import VisdomError

logger = logging.getLogger("visdom_client")

# Prefixes of a metric measured on another split than training: the metric goes on the
# window of the same name without the prefix ("val_loss" -> window "loss").
SPLIT_PREFIXES = (
    "val_",
    "valid_",
    "validation_",
    "eval_",
    "test_",
    "train_",
    "training_",
    "val/",
    "valid/",
    "validation/",
    "eval/",
    "test/",
    "train/",
    "training/",
)

# How long a record request (params, final metrics, status) waits for queued points.
FLUSH_TIMEOUT = 10.0

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")
_UNSAFE_ENV = re.compile(r'[\x00-\x1f\x7f:*?"<>|/\\]')


def split_metric(name):
    """Return (window key, trace name) of a metric: "val_loss" -> ("loss", "val_loss")."""
    for prefix in SPLIT_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :], name
    return name, name


def window_id(key):
    """Return a stable window id for a window key: the key when it is a plain ASCII word,
    else its safe characters plus a digest (so unicode or long keys never collide)."""
    safe = _UNSAFE_ID.sub("_", key)
    if safe == key and len(key) <= 64:
        return key
    return safe[:48] + "_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def env_name(*parts):
    """Return an env name joining `parts` with "_" that the server accepts as it is.

    Unicode is kept; what an env name may not hold (slashes, control characters,
    :*?"<>|, a leading dot, leading or trailing spaces) becomes "_".
    """
    name = "_".join(str(p) for p in parts if p not in (None, ""))
    name = _UNSAFE_ENV.sub("_", name).strip()
    return "_" + name[1:] if name.startswith(".") else (name or "run")


def timestamped(prefix):
    """Return `<prefix>_<YYYYmmdd_HHMMSS>`: the default env of a callback."""
    return f"{prefix}_{datetime.datetime.now().strftime('%Y%m%d_%H%M%S')}"


def as_number(value):
    """Return value as a float (tensors and numpy scalars unwrapped), or None if not a number."""
    if hasattr(value, "item") and not isinstance(value, (numbers.Real, str)):
        size = value.numel() if hasattr(value, "numel") else getattr(value, "size", 1)
        if size != 1:  # an array of several numbers is not one number
            return None
        try:
            value = value.item()
        except (TypeError, ValueError, RuntimeError):
            return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return None


def flatten(mapping, sep="/", prefix=""):
    """Return a flat dict of a nested one: {"a": {"b": 1}} -> {"a/b": 1}."""
    out = {}
    for key, value in mapping.items():
        name = f"{prefix}{sep}{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, sep, name))
        else:
            out[name] = value
    return out


def param_value(value):
    """Return a value the experiment record keeps as it is (JSON scalar), else its text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else str(float(value))
    if hasattr(value, "item") and getattr(value, "size", None) == 1:
        return param_value(value.item())
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return str(value)


class RunWriter:
    """One run: an env, its metric windows and its experiment record.

    `vis`: a Visdom client to use; None creates a non-blocking one whose address comes
    from the arguments `client_args` or the environment (VISDOM_URL, ...). A client it
    created (or is told it owns, `own_client`) it also shuts down at `close()`.
    """

    def __init__(self, env, vis=None, own_client=None, **client_args):
        self.env = env
        self._own_client = vis is None if own_client is None else own_client
        if vis is None:
            client_args.setdefault("nonblocking", True)
            client_args.setdefault("raise_exceptions", False)
            vis = Visdom(env=env, **client_args)
        self.vis = vis
        self.last = {}  # metric -> (step, last value)
        self._opened = set()  # window keys drawn by this writer
        self.started = False
        self.finished = False
        self._gave_up = False  # the last record request found the server not answering

    # -- the experiment record ---------------------------------------------------------------

    def start(self, name=None, params=None, tags=None, description=None):
        """Create (or update) the env's experiment: name, params, tags, description."""
        self.started = True
        return self._experiment(
            name=name,
            params=self._params(params),
            tags={str(k): param_value(v) for k, v in (tags or {}).items()} or None,
            description=description,
        )

    def log_params(self, params):
        """Merge params (nested dicts flattened with "/") into the experiment's params."""
        params = self._params(params)
        if params:
            self._experiment(params=params)

    def finish(self, status="finished", summary=None, step=None):
        """Send the final metrics (default: the last value of each) and the status."""
        if self.finished:
            return
        self.finished = True
        if not self.started:
            self.start()
        if summary is None:
            summary = {k: v for k, (_, v) in self.last.items()}
        if step is None:
            steps = [x for x, _ in self.last.values() if x is not None and math.isfinite(x)]
            step = int(max(steps)) if steps else None
        summary = {k: v for k, v in summary.items() if v is None or math.isfinite(v)}
        if summary:
            self._call("log_metrics", summary, step=step, env=self.env)
        self._call("finish_experiment", status, env=self.env)

    def close(self, shutdown=True):
        """Send what is queued; shut the client down when this writer owns it (and
        `shutdown`: a callback that may train again keeps its client)."""
        try:
            if self._own_client and shutdown:
                self.vis.shutdown()
            else:
                self.vis.flush()
        except VisdomError as exc:
            logger.warning("visdom: could not send the last points of %s: %s", self.env, exc)

    def _params(self, params):
        if params is None:
            return None
        if not isinstance(params, dict):
            params = dict(vars(params)) if hasattr(params, "__dict__") else dict(params)
        return {k: param_value(v) for k, v in flatten(params).items()}

    def _experiment(self, **fields):
        return self._call("experiment", env=self.env, **fields)

    def _call(self, method, *args, **kwargs):
        try:
            # A record request waits for the queued points first (order is kept); with the
            # server gone that would be forever, so give up on the record instead.
            # once it has given up, it waits no more until the server answers again
            self._gave_up = not self.vis.flush(timeout=0 if self._gave_up else FLUSH_TIMEOUT)
            if self._gave_up:
                logger.warning(
                    "visdom: %s for env %r skipped: the server did not take the queued points "
                    "within %s s",
                    method,
                    self.env,
                    FLUSH_TIMEOUT,
                )
                return None
            return getattr(self.vis, method)(*args, **kwargs)
        except VisdomError as exc:  # a refused record must not stop the training
            logger.warning("visdom: %s for env %r failed: %s", method, self.env, exc)
            return None

    # -- metrics -----------------------------------------------------------------------------

    def scalar(self, name, value, step, xlabel="step", window=None, trace=None):
        """Append (step, value) to the metric's line; return False if value is not a number.

        The window is `window` (default: split_metric's key), the trace `trace` (default:
        the metric's name). NaN and ±Inf are kept (drawn as gaps).
        """
        number = as_number(value)
        if number is None:
            return False
        key, name_of_trace = split_metric(name)
        key = key if window is None else window
        trace = name_of_trace if trace is None else trace
        x = as_number(step)
        self.last[name] = (x, number)
        opts = None
        if key not in self._opened:
            self._opened.add(key)
            opts = {"title": key, "xlabel": xlabel, "ylabel": key, "showlegend": True}
        self.vis.line(
            X=[x],
            Y=[number],
            win=window_id(key),
            env=self.env,
            update="append",
            name=trace,
            opts=opts,
        )
        return True

    def scalars(self, metrics, step, xlabel="step"):
        """Append every numeric value of a flat {name: value} dict at `step`."""
        return [name for name, value in metrics.items() if self.scalar(name, value, step, xlabel)]
