"""Experiment tracking (upstream 0.3.0): metadata, metrics and the final status of an env's run."""

import json

from .errors import bad_type, bad_value

FINISH_STATUSES = ("finished", "failed")


class ExperimentMixin:
    """Methods that POST to /experiments/log; each returns the stored experiment dict."""

    def _experiment_send(self, msg, env):
        msg["eid"] = self.env if env is None else env
        answer = self._send(msg, endpoint="experiments/log", quiet=True)
        if not isinstance(answer, str):
            return answer  # True offline, False after a logged failure, (msg, endpoint) unsent
        # The run is alive while this client runs (liveness.py); finishing it stops that.
        if msg["action"] == "finish":
            self._forget_run(msg["eid"])
        else:
            self.keep_alive(msg["eid"])
        try:
            return json.loads(answer)
        except ValueError:
            return answer

    def experiment(self, name=None, params=None, tags=None, description=None, env=None):
        """Create or update the experiment of `env`: params and tags merge by key.

        params, tags: dicts {name: value}. Returns the experiment as the server stores it:
        {"env_id", "name", "description", "status", "created_at", "finished_at",
        "params": [{"key", "value", "dtype"}], "metrics": [...], "tags": [{"key", "value"}]}.
        """
        for argument, value in (("params", params), ("tags", tags)):
            if value is not None and not isinstance(value, dict):
                raise bad_type(argument, "a dict {name: value} or None", value)
        msg = {
            "action": "log",
            "name": name,
            "params": params,
            "tags": tags,
            "description": description,
        }
        return self._experiment_send(msg, env)

    def log_metrics(self, metrics, step=None, env=None):
        """Append one observation per metric {name: value}, all at `step`; return the experiment.

        The experiment is created if `env` has none yet.
        """
        if not isinstance(metrics, dict) or not metrics:
            raise bad_type("metrics", "a non-empty dict {name: value}", metrics)
        return self._experiment_send({"action": "metrics", "metrics": metrics, "step": step}, env)

    def finish_experiment(self, status="finished", env=None):
        """Mark the experiment of `env` "finished" or "failed"; a finished one takes no writes."""
        if status not in FINISH_STATUSES:
            raise bad_value("status", "'finished' or 'failed'", repr(status))
        return self._experiment_send({"action": "finish", "status": status}, env)
