"""Alert rules and explicit alerts (the server's /api/alert_rules and /api/alerts)."""

import json

from .errors import bad_type, bad_value

KINDS = ("nan", "above", "below", "stalled", "run")
LEVELS = ("info", "warn", "error")


class AlertMixin:
    """vis.alert_rule(...) and vis.alert(...); each returns what the server stored."""

    def _alert_post(self, endpoint, msg):
        answer = self._send(msg, endpoint=endpoint, quiet=True, create=False)
        if not isinstance(answer, str):
            return answer  # offline (True), or a logged failure (False)
        try:
            return json.loads(answer)
        except ValueError:
            return answer

    def alert_rule(
        self,
        win=None,
        kind="nan",
        threshold=None,
        minutes=None,
        smoothing=None,
        env=None,
        trace=None,
        webhook=None,
    ):
        """Create an alert rule on window `win` of `env`; return the rule (with its "id").

        kind: "nan" (a trace gets NaN or ±Inf; `win` None: any window of the env), "above"
        / "below" (`threshold`, optionally after an EMA of strength `smoothing` in [0, 1)),
        "stalled" (no new point for `minutes`), "run" (the run crashed or failed; no win).
        `trace` limits the rule to one trace name; `webhook` adds an http(s) URL to post to.
        """
        if kind not in KINDS:
            raise bad_value("kind", " / ".join(KINDS), repr(kind))
        if win is not None and not isinstance(win, str):
            raise bad_type("win", "a window id (str) or None", win)
        msg = {"eid": self.env if env is None else env, "kind": kind, "win": win}
        for name, value in (
            ("threshold", threshold),
            ("minutes", minutes),
            ("smoothing", smoothing),
            ("trace", trace),
            ("webhook", webhook),
        ):
            if value is not None:
                msg[name] = value
        return self._alert_post("api/alert_rules", msg)

    def alert(self, title, text="", level="info", env=None):
        """Fire an alert now: a toast on every open page and the server's webhooks.

        level: "info", "warn" or "error". The server sends one alert per env and title per
        minute; it answers {"alert": the alert, or None when that limit held it back}.
        """
        if not isinstance(title, str) or not title:
            raise bad_type("title", "a non-empty string", title)
        if level not in LEVELS:
            raise bad_value("level", " / ".join(LEVELS), repr(level))
        msg = {
            "eid": self.env if env is None else env,
            "title": title,
            "text": str(text),
            "level": level,
        }
        return self._alert_post("api/alerts", msg)
