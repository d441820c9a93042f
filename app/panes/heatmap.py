"""Heatmap updates: append or prepend rows and columns, or replace (protocol section 5.2)."""

from ..common import VisdomError

DIRECTIONS = ("appendRow", "prependRow", "appendColumn", "prependColumn", "replace")


def _matrix(value, field):
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise VisdomError(f"'{field}' must be a list of rows", field)
    return value


def check_heatmap_update(trace, new, direction):
    """Raise VisdomError unless `new` can be merged into heatmap `trace` along `direction`."""
    if direction not in DIRECTIONS:
        raise VisdomError(f"'updateDir' must be one of {', '.join(DIRECTIONS)}", "updateDir")
    dz = _matrix(new.get("z"), "data[0].z")
    if direction == "replace":
        return
    z = _matrix(trace.get("z"), "win")
    if direction.endswith("Row"):
        axis, what = "y", "rows"
        if z and dz and len(z[0]) != len(dz[0]):
            raise VisdomError(
                f"the heatmap has {len(z[0])} columns but the new rows have {len(dz[0])}",
                "data[0].z",
            )
    else:
        axis, what = "x", "columns"
        if len(z) != len(dz):
            raise VisdomError(
                f"the heatmap has {len(z)} rows but the new columns have {len(dz)}", "data[0].z"
            )
    old_labels, new_labels = trace.get(axis), new.get(axis)
    if new_labels is not None and not isinstance(new_labels, list):
        raise VisdomError(f"'data[0].{axis}' must be a list of {what} names", f"data[0].{axis}")
    if (old_labels is None) != (new_labels is None):
        raise VisdomError(
            f"label mismatch: the heatmap and the update must both name their {what} or neither",
            f"data[0].{axis}",
        )
    if old_labels is not None and set(map(str, new_labels)) & set(map(str, old_labels)):
        raise VisdomError(f"the new {what} names already exist in the heatmap", f"data[0].{axis}")


def merge_heatmap(trace, new, direction, append):
    """Merge a checked update into `trace` in place."""
    new = dict(new)
    dz = new.pop("z")
    if direction == "replace":
        trace["z"] = dz
    else:
        axis = "y" if direction.endswith("Row") else "x"
        labels = new.pop(axis, None)
        if direction == "appendRow":
            trace["z"].extend(dz)
        elif direction == "prependRow":
            trace["z"][:0] = dz
        elif direction == "appendColumn":
            for row, extra in zip(trace["z"], dz, strict=True):
                row.extend(extra)
        else:
            for row, extra in zip(trace["z"], dz, strict=True):
                row[:0] = extra
        if labels is not None:
            if direction.startswith("append"):
                trace[axis] = list(trace[axis]) + list(labels)
            else:
                trace[axis] = list(labels) + list(trace[axis])
    if append:
        new.pop("x", None)
        new.pop("y", None)
    for key, value in new.items():
        if value is not None or not append:
            trace[key] = value
