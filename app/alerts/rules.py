"""Alert rules: what a rule may say, checked before it is stored (pure functions, no I/O).

A stored rule is a dict:

    {"id", "eid", "win" (None: every window of the env; "run" rules have none),
     "kind": "nan" | "above" | "below" | "stalled" | "run",
     "trace" (a trace name, or None for every trace), "threshold" (above/below),
     "smoothing" (above/below: EMA strength in [0, 1), 0 = none), "minutes" (stalled),
     "webhook" (an extra http(s) URL for this rule, or None), "created_at"}

A rule that could never fire is refused (a 4xx naming the field): a threshold that is
not a finite number, a stall of no time, a value rule on a window that holds no plot.
"""

import math
import secrets

from ..common import VisdomError

KINDS = ("nan", "above", "below", "stalled", "run")
LEVELS = ("info", "warn", "error")
VALUE_KINDS = ("nan", "above", "below")  # evaluated on the points that arrive
PLOT_TYPES = ("plot",)
DEFAULT_NAN_ID = "default-nan"


def _number(body, field):
    value = body.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise VisdomError(f"'{field}' must be a number, got {value!r}", field)
    if not math.isfinite(value):
        raise VisdomError(f"'{field}' must be a finite number (the rule could never fire)", field)
    return float(value)


def _optional_str(body, field):
    value = body.get(field)
    if value is not None and not isinstance(value, str):
        raise VisdomError(f"'{field}' must be a string or null", field)
    return value


def check_webhook(url, field="webhook"):
    """Return `url` if it is an http(s) URL; otherwise a 400 naming `field`."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) < 9:
        raise VisdomError(f"'{field}' must be an http:// or https:// URL, got {url!r}", field)
    return url


def check_rule(body, eid, window_type):
    """Return the rule `body` asks for in env `eid` (a new id), or raise a 4xx.

    `window_type(win)` returns the type of window `win` in the env, or None if absent.
    """
    kind = body.get("kind")
    if kind not in KINDS:
        raise VisdomError(f"'kind' must be one of {', '.join(KINDS)}; got {kind!r}", "kind")
    rule = {"eid": eid, "kind": kind, "win": None, "trace": _optional_str(body, "trace")}
    win = body.get("win")
    if kind == "run":
        win = None
    elif win is None and kind != "nan":
        raise VisdomError(f"'win' is required for a {kind} rule", "win")
    if win is not None:
        if not isinstance(win, str):
            raise VisdomError("'win' must be a window id", "win")
        wtype = window_type(win)
        if wtype is None:
            raise VisdomError(f"window '{win}' does not exist in env '{eid}'", "win", 404)
        if kind in VALUE_KINDS and wtype not in PLOT_TYPES:
            raise VisdomError(
                f"window '{win}' is a {wtype} window: a {kind} rule on it could never fire",
                "win",
            )
        rule["win"] = win
    if kind in ("above", "below"):
        rule["threshold"] = _number(body, "threshold")
        smoothing = body.get("smoothing")
        if smoothing is None:
            smoothing = 0.0
        smoothing = _number({"smoothing": smoothing}, "smoothing")
        if not 0 <= smoothing < 1:
            raise VisdomError("'smoothing' must be in [0, 1) (0: no smoothing)", "smoothing")
        rule["smoothing"] = smoothing
    if kind == "stalled":
        minutes = _number(body, "minutes")
        if minutes <= 0:
            raise VisdomError("'minutes' must be > 0 (the rule could never fire)", "minutes")
        rule["minutes"] = minutes
    webhook = body.get("webhook")
    rule["webhook"] = None if webhook in (None, "") else check_webhook(webhook)
    rule["id"] = "rule_" + secrets.token_hex(6)
    return rule


def check_alert(body, eid):
    """Return the explicit alert {eid, title, text, level} `body` asks for, or a 400."""
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise VisdomError("'title' must be a non-empty string", "title")
    text = body.get("text")
    text = "" if text is None else text
    if not isinstance(text, str):
        raise VisdomError("'text' must be a string", "text")
    level = body.get("level") or "info"
    if level not in LEVELS:
        raise VisdomError(f"'level' must be one of {', '.join(LEVELS)}; got {level!r}", "level")
    return {"eid": eid, "title": title[:500], "text": text[:10_000], "level": level}


def describe(rule):
    """Return a short human description of a rule ("loss above 2.5 (smoothed 0.9)")."""
    where = rule.get("win") or "any window"
    if rule.get("trace"):
        where += f" / {rule['trace']}"
    kind = rule.get("kind")
    if kind == "nan":
        return f"{where} gets NaN or ±Inf"
    if kind in ("above", "below"):
        text = f"{where} {kind} {rule.get('threshold'):g}"
        if rule.get("smoothing"):
            text += f" (smoothed {rule['smoothing']:g})"
        return text
    if kind == "stalled":
        return f"{where}: no new point for {rule.get('minutes'):g} min"
    return "run crashed or failed"
