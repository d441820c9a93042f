"""Group runs (envs) by an experiment param, a tag, or a regular expression over env ids.

A group spec is the `group` query argument of the compare aggregate and of the runs
table's group rows:

    (empty)       every env in one group, "all"
    param:KEY     the value of the experiment param KEY (app.panes.experiment records)
    tag:KEY       the value of the experiment tag KEY
    re:REGEX      a regular expression searched in the env id: its first capture group
                  is the group name; without a group (or when it took no part in the
                  match), the whole match

Envs that cannot be placed (no experiment, no such param, no match) are listed in
`missing` with the reason; a key that no env has at all is a 400 naming `group`.
Group names are strings: a param's string value as it is, any other value as JSON
(0.0003, true, [1, 2]).
"""

import json
import re

from ..common import VisdomError

ALL = "all"


def parse_group(spec, field="group"):
    """Return (kind, key) for a group spec: ("all", None), ("param"|"tag", KEY), ("re", Pattern)."""
    spec = (spec or "").strip()
    if not spec or spec == ALL:
        return ALL, None
    kind, sep, key = spec.partition(":")
    if not sep or kind not in ("param", "tag", "re") or not key:
        raise VisdomError(f"'{field}' must be param:KEY, tag:KEY or re:REGEX, got {spec!r}", field)
    if kind == "re":
        try:
            return kind, re.compile(key)
        except (re.error, RecursionError, OverflowError) as exc:
            raise VisdomError(
                f"'{field}': the regular expression {key!r} is invalid: {exc}", field
            ) from None
    return kind, key


def _entries(record, kind):
    entries = record.get("params" if kind == "param" else "tags") if record else None
    return entries if isinstance(entries, list) else []


def record_value(record, kind, key):
    """Return (True, value) of param or tag `key` in an experiment record, else (False, None)."""
    for entry in _entries(record, kind):
        if isinstance(entry, dict) and entry.get("key") == key:
            return True, entry.get("value")
    return False, None


def group_name(value):
    """Return the group name of a param or tag value."""
    if isinstance(value, str):
        return value
    return json.dumps(value, allow_nan=True)


def group_envs(eids, spec, records, field="group"):
    """Place each env of `eids` in a group; return (groups, missing).

    `records`: {eid: experiment record or None}. groups is {name: [eid, ...]} in the
    order groups are first met; missing is [{"env", "reason"}].
    """
    kind, key = parse_group(spec, field)
    groups, missing = {}, []
    if kind == ALL:
        return ({ALL: list(eids)} if eids else {}), missing
    if kind == "re":
        for eid in eids:
            match = key.search(eid)
            if match is None:
                missing.append({"env": eid, "reason": f"env id does not match {key.pattern!r}"})
                continue
            name = match.group(1) if key.groups and match.group(1) is not None else match.group(0)
            groups.setdefault(name, []).append(eid)
        return groups, missing
    what = "param" if kind == "param" else "tag"
    for eid in eids:
        record = records.get(eid)
        if record is None:
            missing.append({"env": eid, "reason": "no experiment is logged in this env"})
            continue
        found, value = record_value(record, kind, key)
        if not found:
            missing.append({"env": eid, "reason": f"its experiment has no {what} {key!r}"})
            continue
        groups.setdefault(group_name(value), []).append(eid)
    if eids and not groups:
        raise VisdomError(f"'{field}': no run has the {what} {key!r}", field)
    return groups, missing
