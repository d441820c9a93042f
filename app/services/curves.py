"""Curve reads across envs and axes: the compare aggregate, x by another metric, envelopes.

A read side, not a mutation: it reads windows from the store (full columns: a window
copy shares its numeric columns, O(1)) and hands them to app.panes.aggregate.
"""

import numpy as np

from ..common import VisdomError
from ..panes import aggregate as agg
from ..panes import decimate
from ..panes.columns import Column
from ..panes.grouping import group_envs, parse_group
from ..state import get_store

XBY = "visdom_xby"  # where the joined x rides through the decimation
STEP = "visdom_step"  # the step of each point of an x-by answer


def _plots_by_title(windows):
    by_title = {}
    for window in windows:
        title = window.get("title")
        if agg.plot_traces(window) is not None and isinstance(title, str) and title:
            by_title.setdefault(title, window)
    return by_title


def aggregate_curves(
    eids, title, group=None, stat="mean", band="std", px=agg.DEFAULT_PX, x_kind="step", trace=None
):
    """Return the aggregate of the plots titled `title` across `eids` (docs: the compare
    aggregate endpoint): one curve per group, the envs left out in "missing"."""
    if not title:
        raise VisdomError("'title' (the plot title to aggregate) is required", "title")
    agg.check_options(stat, band, px, x_kind)
    kind, _key = parse_group(group)
    store = get_store()
    contents = {eid: store.env_content(eid) for eid in eids}
    heads = {}
    if kind in ("param", "tag"):
        tails = store.experiment_tails(eids=eids, with_metrics=False)
        heads = {eid: entry.get("record") for eid, entry in tails.items()}
    groups, missing = group_envs(eids, group, heads)
    placed = {eid for members in groups.values() for eid in members}
    curves, names, seqs = {}, [], {}
    counts = {"title": 0, "trace": 0, "x": 0}
    metric = x_kind[len("metric:") :] if x_kind.startswith("metric:") else None
    for eid in eids:
        content = contents[eid]
        seqs[eid] = content["seq"]
        plots = _plots_by_title(content["windows"])
        window = plots.get(title)
        if window is None:
            if eid in placed:
                missing.append({"env": eid, "reason": f"no plot titled {title!r}"})
            continue
        counts["title"] += 1
        names += [n for n in agg.trace_names(window) if n not in names]
        found = agg.find_trace(window, trace)
        if found is None:
            if eid in placed:
                missing.append({"env": eid, "reason": f"the plot has no trace {trace!r}"})
            continue
        counts["trace"] += 1
        x_window = plots.get(metric) if metric else None
        if metric and x_window is None:
            if eid in placed:
                missing.append({"env": eid, "reason": f"no plot titled {metric!r} for x"})
            continue
        counts["x"] += 1
        got = agg.trace_xy(window, found[0], found[1], x_kind, x_window)
        if isinstance(got, str):
            if eid in placed:
                missing.append({"env": eid, "reason": f"trace {trace or 'first'}: {got}"})
            continue
        curves[eid] = got
    if eids and not counts["title"]:
        raise VisdomError(f"'title': none of the envs has a plot titled {title!r}", "title", 404)
    if trace is not None and not counts["trace"]:
        raise VisdomError(f"'trace': no plot titled {title!r} has a trace {trace!r}", "trace")
    if metric and not counts["x"]:
        raise VisdomError(f"'x': none of the envs has a plot titled {metric!r}", "x")
    out = []
    for name, members in groups.items():
        runs = [eid for eid in members if eid in curves]
        if runs:
            curve = agg.aggregate([curves[eid] for eid in runs], px, stat, band)
            out.append(dict(curve, name=name, envs=runs))
    return {
        "title": title,
        "stat": stat,
        "band": band,
        "x_kind": x_kind,
        "px": px,
        "trace": trace,
        "traces": names,
        "groups": out,
        "missing": missing,
        "seqs": seqs,
    }


def _window_and_env(eid, win):
    content = get_store().env_content(eid)
    windows = {w.get("id"): w for w in content["windows"]}
    window = windows.get(win)
    if window is None or agg.plot_traces(window) is None:
        raise VisdomError(f"'{win}' is not a plot window in env '{eid}'", "win", 404)
    return content, windows, window


def window_view(eid, win, by=None, envelope=False, x0=None, x1=None, px=None):
    """Return /api/window's answer with x replaced by plot `by`'s y (joined on step), or
    each trace's min/max envelope, or both (docs/socket-protocol.md)."""
    content, windows, window = _window_and_env(eid, win)
    x_window = None
    if by is not None:
        x_window = windows.get(by)
        if x_window is None or agg.plot_traces(x_window) is None:
            raise VisdomError(f"'by': '{by}' is not a plot window in env '{eid}'", "by", 404)
    px = px or decimate.DEFAULT_PX
    budget = decimate.budget_for(px)
    head = {
        "eid": eid,
        "win": win,
        "contentID": window.get("contentID"),
        "seq": content["seq"],
        "x0": x0,
        "x1": x1,
        "budget": budget,
    }
    if x_window is not None:
        head["x_by"] = {"win": by, "title": x_window.get("title")}
    traces = []
    for index, trace in enumerate(agg.plot_traces(window)):
        name = str(trace.get("name", index + 1))
        kind = "metric:" if x_window is not None else "step"
        got = agg.trace_xy(window, index, trace, kind, x_window)
        total = decimate.length(trace.get("y"))
        if isinstance(got, str) or not decimate.decimatable(trace):
            traces.append({"index": index, "name": name, "total": total, "whole": True})
        elif envelope:
            bins = agg.envelope(got[0], got[1], px, x0, x1)
            traces.append(dict(bins, index=index, name=name, total=total))
        else:
            traces.append(dict(_joined_points(trace, x_window, got, x0, x1, budget), index=index))
    return dict(head, px=px, envelope=bool(envelope), traces=traces)


def _joined_points(trace, x_window, got, x0, x1, budget):
    """Decimate a trace whose x was replaced by another metric: points are chosen in step
    order (so a metric that is not monotonic keeps its shape), the x range applies to the
    new x, and `visdom_step` gives each point's step."""
    step, y = agg.step_and_y(trace)
    other = agg.find_trace(x_window, trace.get("name")) or agg.find_trace(x_window)
    ostep, oy = agg.step_and_y(other[1])
    hit, new_x = agg.join_on_step(step, ostep, oy)
    keep = np.ones(len(hit), dtype=bool)
    if x0 is not None:
        keep &= new_x >= (x0 if x1 is None else min(x0, x1))
    if x1 is not None:
        keep &= new_x <= (x1 if x0 is None else max(x0, x1))
    hit, new_x = hit[keep], new_x[keep]
    sub = {"type": trace.get("type"), "x": step[hit], "y": y[hit], XBY: new_x}
    for path, col in decimate.point_columns(trace).items():
        taken = col.array[hit] if isinstance(col, Column) else [col[i] for i in hit.tolist()]
        key, _dot, inner = path.partition(".")
        if inner:  # marker.color and the like: nested as plotly has them
            sub.setdefault(key, {})[inner] = taken
        elif key != XBY:
            sub[key] = taken
    points = decimate.trace_points(sub, None, budget)
    if points is None:  # nothing numeric left to choose from
        points = {"columns": {"x": [], "y": []}, "total": 0, "shown": 0, "raw": True}
    columns = points["columns"]
    columns[STEP] = columns.pop("x")
    columns["x"] = columns.pop(XBY, [])
    points["total"] = decimate.length(trace.get("y"))
    return points
