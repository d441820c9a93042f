"""View settings of an env's plots: smoothing (kind and strength), log axes, x axis kind
(step, wall time, relative time or another window's values `metric:<win>`), outliers and
the min/max envelope.

Kept with the env (the env file's top-level "visdom_view" key, which upstream ignores):
{"env": {settings for every window}, "windows": {win: {settings of that window}}}.
A window's own setting wins over the env's; setting the env-wide smoothing clears the
windows' own smoothing, so that one control smooths every window at once.
"""

import math

from ..common import VisdomError

KEY = "visdom_view"
XAXES = ("step", "wall", "relative")
SMOOTHING_KINDS = ("ema", "time_ema", "running", "gaussian")
MAX_WINDOW = 100_000


def _smoothing(value):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not 0 <= value <= 0.999:
        raise VisdomError("'view.smoothing' must be a number from 0 to 0.999", "view.smoothing")
    return float(value)


def _flag(name):
    def check(value):
        if not isinstance(value, bool):
            raise VisdomError(f"'view.{name}' must be true or false", f"view.{name}")
        return value

    return check


def _xaxis(value):
    # `metric:<win>`: x is that window's y joined on step (GET /api/window/..?by=<win>).
    if isinstance(value, str) and value.startswith("metric:") and 7 < len(value) <= 1000:
        return value
    if value not in XAXES:
        raise VisdomError(
            f"'view.xaxis' must be one of {', '.join(XAXES)} or metric:<window id>", "view.xaxis"
        )
    return value


def _smoothing_kind(value):
    if value not in SMOOTHING_KINDS:
        raise VisdomError(
            f"'view.smoothing_kind' must be one of {', '.join(SMOOTHING_KINDS)}",
            "view.smoothing_kind",
        )
    return value


def _smoothing_window(value):
    ok = isinstance(value, int) and not isinstance(value, bool)
    if not ok or not 1 <= value <= MAX_WINDOW:
        raise VisdomError(
            f"'view.smoothing_window' must be a whole number from 1 to {MAX_WINDOW}",
            "view.smoothing_window",
        )
    return value


def _smoothing_sigma(value):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not 0 <= value <= 1e9:
        raise VisdomError(
            "'view.smoothing_sigma' must be a number from 0 to 1e9 (steps)",
            "view.smoothing_sigma",
        )
    return float(value)


CHECKS = {
    "smoothing": _smoothing,
    "log_x": _flag("log_x"),
    "log_y": _flag("log_y"),
    "xaxis": _xaxis,
    "outliers": _flag("outliers"),
    "smoothing_kind": _smoothing_kind,
    "smoothing_window": _smoothing_window,
    "smoothing_sigma": _smoothing_sigma,
    "envelope": _flag("envelope"),
}


def check_view(view):
    """Return the validated settings (a value null removes the setting); raise a 400."""
    if not isinstance(view, dict) or not view:
        raise VisdomError(f"'view' must be an object with some of {', '.join(CHECKS)}", "view")
    out = {}
    for key, value in view.items():
        if key not in CHECKS:
            raise VisdomError(f"'view.{key}' is not a view setting ({', '.join(CHECKS)})", "view")
        out[key] = None if value is None else CHECKS[key](value)
    return out


def current(settings):
    """Return stored settings in their full shape (empty when absent or malformed)."""
    settings = settings if isinstance(settings, dict) else {}
    env = settings.get("env") if isinstance(settings.get("env"), dict) else {}
    wins = settings.get("windows") if isinstance(settings.get("windows"), dict) else {}
    return {"env": env, "windows": {k: v for k, v in wins.items() if isinstance(v, dict)}}


def merge_view(settings, win, view):
    """Return the settings with `view` (checked) merged for window `win` (None: the env)."""
    out = current(settings)
    target = out["env"] if win is None else out["windows"].setdefault(win, {})
    for key, value in view.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    if win is None and "smoothing" in view:
        for own in out["windows"].values():
            own.pop("smoothing", None)
    out["windows"] = {k: v for k, v in out["windows"].items() if v}
    return out
