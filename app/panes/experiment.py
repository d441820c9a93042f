"""Experiment records (upstream 0.3.0's /experiments/log): pure functions, no I/O.

An env holds at most one experiment, stored under the env file's top-level key
"experiment" in 0.3.0's shape:

    {"env_id", "name", "description", "status", "created_at", "finished_at",
     "params": [{"key", "value", "dtype"}], "metrics": [{"key", "value", "step",
     "timestamp"}], "tags": [{"key", "value"}]}

`apply_experiment` is deterministic given `now`, so that a journal record
({"args", "now"}) replays to the same record.
"""

from ..common import VisdomError

ACTIONS = ("log", "metrics", "finish")
TERMINAL = ("finished", "failed")


def _dtype(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _object(args, key, message):
    value = args.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise VisdomError(message, key)
    return value


def _merge(entries, values, with_dtype):
    """Replace the entries whose key is in `values`, append the new ones (order kept)."""
    index = {entry.get("key"): n for n, entry in enumerate(entries)}
    for key, value in values.items():
        entry = {"key": str(key), "value": value}
        if with_dtype:
            entry["dtype"] = _dtype(value)
        if key in index:
            entries[index[key]] = entry
        else:
            index[key] = len(entries)
            entries.append(entry)


def new_experiment(eid, now, name=None):
    return {
        "env_id": eid,
        "name": eid if name is None else name,
        "description": "",
        "status": "running",
        "created_at": now,
        "finished_at": None,
        "params": [],
        "metrics": [],
        "tags": [],
    }


def check_experiment_args(args, current, eid):
    """Raise the VisdomError (400/404/409) that `args` would get against `current`."""
    action = args.get("action", "log")
    if action is None:
        action = "log"
    if action not in ACTIONS:
        raise VisdomError(f"unknown action {action!r}", "action")
    if action == "log":
        _object(args, "params", "'params' must be an object")
        _object(args, "tags", "'tags' must be an object")
        for key in ("name", "description"):
            value = args.get(key)
            if value is not None and not isinstance(value, str):
                raise VisdomError(f"'{key}' must be a string", key)
    elif action == "metrics":
        metrics = args.get("metrics")
        if not isinstance(metrics, dict) or not metrics:
            raise VisdomError("'metrics' must be a non-empty object", "metrics")
    else:
        status = args.get("status", "finished")
        status = "finished" if status is None else status
        if status not in TERMINAL:
            raise VisdomError(
                f"finish status must be 'finished' or 'failed', got {status!r}", "status"
            )
        if current is None:
            raise VisdomError(f"no experiment logged for env '{eid}'", "eid", 404)
    if current is not None and current.get("status") in TERMINAL:
        what = "finish" if action == "finish" else "log to"
        raise VisdomError(
            f"experiment '{current.get('name')}' is {current.get('status')}; "
            f"cannot {what} a terminal experiment",
            "action",
            409,
        )
    return action


def apply_experiment(current, args, now, eid):
    """Return the experiment after the /experiments/log request `args`.

    `current` (the stored record, or None) is changed in place and returned; a new
    record is returned when there was none. The request is checked first: a refusal
    raises VisdomError and changes nothing.
    """
    action = check_experiment_args(args, current, eid)
    record = current
    if record is None:
        record = new_experiment(eid, now, args.get("name") if action == "log" else None)
    for key in ("params", "tags", "metrics"):
        if not isinstance(record.get(key), list):
            record[key] = []
    if action == "log":
        if args.get("name") is not None:
            record["name"] = args["name"]
        if args.get("description") is not None:
            record["description"] = args["description"]
        _merge(record["params"], _object(args, "params", ""), with_dtype=True)
        _merge(record["tags"], _object(args, "tags", ""), with_dtype=False)
    elif action == "metrics":
        step = args.get("step")
        for key, value in args["metrics"].items():
            record["metrics"].append(
                {"key": str(key), "value": value, "step": step, "timestamp": now}
            )
    else:
        status = args.get("status") or "finished"
        record["status"] = status
        record["finished_at"] = now
    return record


def with_liveness(record, beat, now, timeout):
    """Return a copy of `record` with "last_seen" and, for a silent run, status "crashed".

    `beat` is the run's last heartbeat ({"last_seen", "pid", "host"}) or None. Only a run
    that sent heartbeats can be judged: a "running" record whose last beat is older than
    `timeout` seconds reads "crashed"; without beats (upstream clients) it stays as stored,
    and "last_seen" is its newest metric or its creation time.
    """
    out = dict(record)
    if beat and isinstance(beat.get("last_seen"), (int, float)):
        out["last_seen"] = beat["last_seen"]
        for key in ("pid", "host"):
            if beat.get(key) is not None:
                out[key] = beat[key]
        if out.get("status") == "running" and now - beat["last_seen"] > timeout:
            out["status"] = "crashed"
        return out
    stamps = [m.get("timestamp") for m in record.get("metrics") or [] if isinstance(m, dict)]
    stamps = [t for t in stamps if isinstance(t, (int, float))] + [record.get("created_at")]
    stamps = [t for t in stamps if isinstance(t, (int, float))]
    out["last_seen"] = max(stamps) if stamps else None
    return out
