"""Reads across runs: the compare aggregate (one curve per group of envs) and the runs
table's JSON (rows since a token, values at a step, group statistics, differences)."""

from .common import EIDS_PARAM, ENV_ID, json_response, operation, refusals

TAG = "experiments"
NUMBER = {"type": ["number", "null"]}
NUMBERS = {"type": "array", "items": NUMBER}
MISSING = {
    "type": "array",
    "description": "The envs left out, each with the reason.",
    "items": {
        "type": "object",
        "required": ["env", "reason"],
        "properties": {"env": ENV_ID, "reason": {"type": "string"}},
    },
}
GROUP_PARAM = {
    "name": "group",
    "in": "query",
    "description": "How runs are grouped: absent = one group `all`; `param:KEY` / `tag:KEY` "
    "(the env's experiment record); `re:REGEX` searched in the env id (its first capture "
    "group names the group). 400 `group` for a bad kind, a regex that does not compile or "
    "a key no env has.",
    "schema": {"type": "string"},
}
AGG_PARAM = {
    "name": "agg",
    "in": "query",
    "description": "Which value of each run counts (default `last`).",
    "schema": {"enum": ["last", "min", "max"]},
}
EID_FILTER = {
    "name": "eid",
    "in": "query",
    "description": "Limit to these runs (repeatable); absent: every run.",
    "schema": {"type": "array", "items": {"type": "string"}},
    "style": "form",
    "explode": True,
}


def _query(name, description, schema=None, required=False):
    param = {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema or {"type": "string"},
    }
    if required:
        param["required"] = True
    return param


METRIC_SUMMARY = {
    "type": "object",
    "properties": {
        "last": NUMBER,
        "min": NUMBER,
        "max": NUMBER,
        "count": {"type": "integer"},
        "step": NUMBER,
        "best_step_min": NUMBER,
        "best_step_max": NUMBER,
    },
}
RUN_ROW = {
    "type": "object",
    "description": "One run (an env holding an experiment). `status` reads `crashed` for a "
    "running run whose last heartbeat is older than RUN_TIMEOUT; `last_seen` (unix s) "
    "is there once heartbeats came.",
    "required": ["eid"],
    "properties": {
        "eid": ENV_ID,
        "name": {"type": ["string", "null"]},
        "status": {"type": ["string", "null"]},
        "created": NUMBER,
        "finished": NUMBER,
        "last_seen": {"type": "number"},
        "params": {"type": "object"},
        "tags": {"type": "object"},
        "metrics": {"type": "object", "additionalProperties": METRIC_SUMMARY},
    },
}
INTERVAL = {
    "type": "object",
    "required": ["mean", "lo", "hi", "n"],
    "properties": {
        "mean": NUMBER,
        "lo": NUMBER,
        "hi": NUMBER,
        "n": {"type": "integer"},
        "std": NUMBER,
    },
}
SIDE = {
    "type": "object",
    "required": ["name", "n", "mean"],
    "properties": {"name": {"type": "string"}, "n": {"type": "integer"}, "mean": NUMBER},
}
CURVE_GROUP = {
    "type": "object",
    "required": ["name", "envs", "x", "y", "lo", "hi", "n"],
    "properties": {
        "name": {"type": "string"},
        "envs": {"type": "array", "items": ENV_ID},
        "x": {"type": "array"},
        "y": NUMBERS,
        "lo": NUMBERS,
        "hi": NUMBERS,
        "n": {"type": "array", "items": {"type": "integer"}},
    },
}


def paths():
    """Return the path items of the cross-run reads."""
    return {
        "/api/compare/{eids}/aggregate": {
            "parameters": [EIDS_PARAM],
            "get": operation(
                "compare.aggregate",
                "envs",
                "The plots titled `title` across the envs: one curve per group with a band",
                description="Computed on the full stored columns: per group the mean or "
                "median of the runs per x grid point, with a band, and `n` runs present. "
                "404 `eid` (an env does not exist), 404 `title` (no env has the plot); 400 "
                "naming `trace`, `x`, `group`, `stat`, `band` or `px` "
                "(docs/socket-protocol.md, Compare aggregate).",
                parameters=[
                    _query("title", "The plot title to aggregate.", required=True),
                    GROUP_PARAM,
                    _query("stat", "The statistic (default `mean`).", {"enum": ["mean", "median"]}),
                    _query(
                        "band",
                        "The band (default `std`): stat ± std, ± std/√n, the 95 % interval "
                        "of the mean, or min..max.",
                        {"enum": ["std", "sem", "ci95", "minmax"]},
                    ),
                    _query(
                        "px",
                        "The grid size in x (default 1200).",
                        {"type": "integer", "minimum": 1, "maximum": 8192},
                    ),
                    _query(
                        "x",
                        "The x axis: `step` (default), `walltime`, `relative` or "
                        "`metric:<title>` (another plot of the same env, joined on step).",
                    ),
                    _query("trace", "The trace name (default each plot's first trace)."),
                ],
                responses={
                    200: json_response(
                        "The aggregate (strict JSON: never NaN).",
                        {
                            "type": "object",
                            "required": ["title", "stat", "band", "groups", "missing", "seqs"],
                            "properties": {
                                "title": {"type": "string"},
                                "stat": {"type": "string"},
                                "band": {"type": "string"},
                                "x_kind": {"type": "string"},
                                "px": {"type": "integer"},
                                "trace": {"type": ["string", "null"]},
                                "traces": {"type": "array", "items": {"type": "string"}},
                                "groups": {"type": "array", "items": CURVE_GROUP},
                                "missing": MISSING,
                                "seqs": {
                                    "type": "object",
                                    "additionalProperties": {"type": "integer"},
                                },
                            },
                        },
                    ),
                    **refusals(400, 404, 409),
                },
            ),
        },
        "/api/runs": {
            "get": operation(
                "runsapi.run_rows",
                TAG,
                "The runs table's rows: every run, or those changed since a token",
                description="With `since` (the `token` of an earlier answer) only the rows "
                "that changed since and the eids of runs `removed`; a token the server "
                "cannot answer exactly gets every row and `reset: true`.",
                parameters=[
                    _query(
                        "since",
                        "A token from an earlier answer (`<epoch>.<tick>`); 400 `since` for "
                        "a string that is not one.",
                    )
                ],
                responses={
                    200: json_response(
                        "The rows.",
                        {
                            "type": "object",
                            "required": ["token", "rows", "removed"],
                            "properties": {
                                "token": {"type": "string"},
                                "rows": {"type": "array", "items": RUN_ROW},
                                "removed": {"type": "array", "items": ENV_ID},
                                "reset": {"const": True},
                            },
                        },
                    ),
                    **refusals(400),
                },
            )
        },
        "/api/runs/at_step": {
            "get": operation(
                "runsapi.run_values_at_step",
                TAG,
                "Each run's value of a metric at a step (or the last step before it)",
                description="Runs with no value there are left out. 400 `metric` (absent, "
                "or no run logs it), 400 `step`.",
                parameters=[
                    _query("metric", "The metric key.", required=True),
                    _query("step", "The step.", {"type": "number"}, required=True),
                    EID_FILTER,
                ],
                responses={
                    200: json_response(
                        "The values.",
                        {
                            "type": "object",
                            "required": ["metric", "step", "values"],
                            "properties": {
                                "metric": {"type": "string"},
                                "step": {"type": "number"},
                                "values": {
                                    "type": "object",
                                    "additionalProperties": {
                                        "type": "object",
                                        "required": ["value", "step"],
                                        "properties": {"value": NUMBER, "step": NUMBER},
                                    },
                                },
                            },
                        },
                    ),
                    **refusals(400),
                },
            )
        },
        "/api/runs/groups": {
            "get": operation(
                "runsapi.run_groups",
                TAG,
                "Per group the run count and the mean ± 95 % CI of each metric",
                description="The mean of the runs' last (or min, max) value of each metric "
                "with its 95 % Student-t interval (n = 1: lo = hi = mean; n = 0: null). "
                "400 naming `group`, `agg` or `metrics`.",
                parameters=[
                    GROUP_PARAM,
                    _query(
                        "metrics",
                        "Comma-separated metric keys (absent: every metric logged).",
                    ),
                    AGG_PARAM,
                    EID_FILTER,
                ],
                responses={
                    200: json_response(
                        "The groups.",
                        {
                            "type": "object",
                            "required": ["group", "agg", "groups", "missing"],
                            "properties": {
                                "group": {"type": "string"},
                                "agg": {"enum": ["last", "min", "max"]},
                                "groups": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["name", "count", "eids", "metrics"],
                                        "properties": {
                                            "name": {"type": "string"},
                                            "count": {"type": "integer"},
                                            "eids": {"type": "array", "items": ENV_ID},
                                            "metrics": {
                                                "type": "object",
                                                "additionalProperties": INTERVAL,
                                            },
                                        },
                                    },
                                },
                                "missing": MISSING,
                            },
                        },
                    ),
                    **refusals(400),
                },
            )
        },
        "/api/runs/diff": {
            "get": operation(
                "runsapi.run_diff",
                TAG,
                "mean(a) − mean(b) of a metric between two groups, with its 95 % interval",
                description="By Welch's t or a percentile bootstrap (10,000 resamples, "
                "seed 0). 400 naming `a`/`b` for a group that does not exist or has fewer "
                "than 2 runs with the metric; 400 `method`, `metric`, `agg`, `group`.",
                parameters=[
                    GROUP_PARAM,
                    _query("a", "The first group's name.", required=True),
                    _query("b", "The second group's name.", required=True),
                    _query("metric", "The metric key.", required=True),
                    AGG_PARAM,
                    _query(
                        "method",
                        "The interval (default `welch`).",
                        {"enum": ["welch", "bootstrap"]},
                    ),
                    EID_FILTER,
                ],
                responses={
                    200: json_response(
                        "The difference.",
                        {
                            "type": "object",
                            "required": ["a", "b", "diff", "lo", "hi", "method", "metric", "agg"],
                            "properties": {
                                "a": SIDE,
                                "b": SIDE,
                                "diff": NUMBER,
                                "lo": NUMBER,
                                "hi": NUMBER,
                                "method": {"enum": ["welch", "bootstrap"]},
                                "metric": {"type": "string"},
                                "agg": {"enum": ["last", "min", "max"]},
                            },
                        },
                    ),
                    **refusals(400),
                },
            )
        },
    }
