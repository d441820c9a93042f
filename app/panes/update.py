"""Apply an /update request to a stored window (upstream protocol section 5).

Every function validates the whole request before it mutates anything, so a bad request
leaves the window as it was. Work is proportional to the new data, never to the window:
appends extend lists in place and the returned delta carries only the new points.
"""

import math

from ..common import VisdomError
from .columns import columnize_trace, extend_axis, is_sequence
from .heatmap import check_heatmap_update, merge_heatmap
from .window import check_data_list, check_frame, new_content_id, require_dict, title_of

UPDATABLE_TRACES = ("scatter", "scattergl", "custom", "heatmap", "scatter3d")
FULL = {"kind": "full"}


def gate_message(window):
    """Return upstream's refusal text for a window whose type cannot be updated."""
    content = window.get("content")
    traces = content.get("data") if isinstance(content, dict) else None
    traces = traces if isinstance(traces, list) else []
    was = traces[0].get("type") if traces and isinstance(traces[0], dict) else "empty"
    return (
        "win is not scatter, heatmap, custom, image_history, plot_history, embeddings, "
        "or text; "
        f"was {window.get('type') if window.get('type') != 'plot' else was}"
    )


def apply_update(window, args, caps=None):
    """Mutate `window` by the /update request `args`; return the change to broadcast.

    The result is {"kind": "full"} when browsers need the whole window, or a delta
    (kinds in docs/socket-protocol.md) that carries only what was added. `caps` holds
    the optional 0.3.0 limits ("text_lines", "image_history", "embeddings_history").
    Like 0.3.0, plot and options updates count a new `version`; text, image and
    plot history updates do not.
    """
    wtype = window.get("type")
    _check_slider_target(window, args)
    handler = _HANDLERS.get(wtype)
    if handler is None:
        raise VisdomError(gate_message(window), "win")
    _check_stored(window)
    if wtype != "plot" and args.get("data") is None:
        # update_window_opts on a non-plot window (upstream answers 500): options only.
        _apply_opts(window, require_dict(args, "opts"))
        _bump(window)
        window["contentID"] = new_content_id()
        return FULL
    change = handler(window, args, caps or {})
    empty = change.get("kind") == "append_traces" and not any(
        change.get(key) for key in ("traces", "props", "layout")
    )
    if wtype == "plot" and not empty:
        version = _bump(window)
        if (args.get("opts") or {}).get("caption") is not None:
            change = FULL  # the caption lives in content: send the whole window
        if change.get("kind") != "full":
            change["props"]["version"] = version
    window["contentID"] = new_content_id()
    return change


def _bump(window):
    version = window.get("version")
    ok = isinstance(version, int) and not isinstance(version, bool)
    window["version"] = (version if ok else 1) + 1
    return window["version"]


def _check_slider_target(window, args):
    """0.3.0: an image slider update on a window without history is a plain-text 400."""
    data = args.get("data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    if first.get("type") == "image_update_selected" and window.get("type") != "image_history":
        raise VisdomError(
            f"win is not image_history; was {window.get('type')}", "win", 400, plain=True
        )


def _index(raw, field):
    """Return a frame index: an int, or an integral float (0.3.0's coercion)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise VisdomError(f"'{field}' must be an integer frame index", field, 400, plain=True)
    if isinstance(raw, float):
        if not math.isfinite(raw) or raw != int(raw):
            raise VisdomError(f"'{field}' must be an integer frame index", field, 400, plain=True)
        raw = int(raw)
    return raw


def _check_stored(window):
    """Refuse a stored window whose content has the wrong shape (/win_data stores anything)."""
    wtype, content = window.get("type"), window.get("content")
    if wtype == "plot":
        traces = content.get("data", []) if isinstance(content, dict) else None
        ok = (
            isinstance(traces, list)
            and all(isinstance(t, dict) for t in traces)
            and isinstance(content.get("layout", {}), dict)
        )
    elif wtype == "image_history":
        ok = isinstance(content, list)
    elif wtype == "embeddings":
        ok = isinstance(content, dict) and isinstance(window.get("old_content", []), list)
    elif wtype == "plot_history":
        ok = isinstance(content, list) and all(isinstance(f, dict) for f in content)
    else:
        ok = True
    if not ok:
        raise VisdomError(
            f"window '{window.get('id')}' holds malformed {wtype} content and cannot be "
            "updated; replace it with /events or /win_data",
            "win",
            409,
        )


def _update_text(window, args, caps):
    data = check_data_list(args)
    text = data[0].get("content")
    if text is None:
        raise VisdomError("'data[0].content' is required for a text update", "data[0].content")
    text = text if isinstance(text, str) else str(text)
    if args.get("append") is False:
        window["content"] = text
        return FULL
    addition = "<br>" + text
    current = window.get("content")
    window["content"] = (current if isinstance(current, str) else "") + addition
    limit = caps.get("text_lines")
    if limit and window["content"].count("<br>") >= limit:
        window["content"] = "<br>".join(window["content"].split("<br>")[-limit:])
        return FULL
    return {"kind": "append_text", "text": addition}


def _update_image_history(window, args, caps):
    data = check_data_list(args)
    utype = data[0].get("type")
    history = window.setdefault("content", [])
    if utype == "image_history":
        window["content"].append(data[0].get("content"))
        limit = caps.get("image_history")
        if limit and len(history) > limit:
            del history[: len(history) - limit]
            window["selected"] = len(history) - 1
            return FULL
        window["selected"] = len(history) - 1
        return {"kind": "append_image", "image": history[-1], "selected": window["selected"]}
    if utype == "image_update_selected":
        raw = data[0].get("selected", data[0].get("content"))
        index = _index(raw, "data[0].selected")
        if history:  # no frames: nothing to select (0.3.0)
            window["selected"] = min(max(0, index), len(history) - 1)
        return FULL
    raise VisdomError(
        "'data[0].type' must be image_history or image_update_selected", "data[0].type"
    )


def _update_plot_history(window, args, caps):
    """Append a frame ({data, layout, caption}) or move the selection (clamped)."""
    data = check_data_list(args)
    utype = data[0].get("type")
    frames = window["content"]
    if utype == "plot_history":
        frames.append(check_frame(data[0].get("content"), "data[0].content"))
        window["selected"] = len(frames) - 1
        return FULL
    if utype == "plot_update_selected":
        index = _index(data[0].get("selected"), "data[0].selected")
        if frames:
            window["selected"] = min(max(0, index), len(frames) - 1)
        return FULL
    raise VisdomError("'data[0].type' must be plot_history or plot_update_selected", "data[0].type")


def _update_embeddings(window, args, caps):
    data = args.get("data")
    if not isinstance(data, dict):
        raise VisdomError("'data' must be an object for an embeddings update", "data")
    content = window["content"]
    kind = data.get("update_type")
    if kind == "EntitySelected":
        content["selected"] = data.get("selected")
    elif kind == "RegionSelected":
        points = data.get("points")
        if not isinstance(points, list):
            raise VisdomError("'data.points' must be a list", "data.points")
        old = window.setdefault("old_content", [])
        old.append(content.get("data"))
        limit = caps.get("embeddings_history")
        if limit and len(old) > limit:
            del old[: len(old) - limit]
        content["has_previous"] = True
        content["data"] = points
        content["selected"] = None
    else:
        raise VisdomError(
            "'data.update_type' must be EntitySelected or RegionSelected", "data.update_type"
        )
    return FULL


def _replace_content(window, args, caps):
    """Replace an image, properties or network window's content (upstream answers 500)."""
    data = check_data_list(args)
    if data[0].get("type") not in (None, window["type"]):
        raise VisdomError(
            f"'data[0].type' must be {window['type']} to update this window", "data[0].type"
        )
    opts = require_dict(args, "opts")
    title_of(opts)  # validate before anything changes
    window["content"] = data[0].get("content")
    _apply_opts(window, opts)
    return FULL


def _apply_opts(window, opts):
    title = title_of(opts)  # raises before any key is copied
    changed = {}
    for key, value in opts.items():
        if value is None:
            continue
        if key == "caption" and window.get("type") == "plot":
            window["content"]["caption"] = value  # 0.3.0: a plot's caption is content
            continue
        window[key] = title if key == "title" else value
        changed[key] = window[key]
    return changed


def _is_missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def _update_plot(window, args, caps):
    content = window["content"]
    traces = content.setdefault("data", [])
    if traces and traces[0].get("type") not in UPDATABLE_TRACES:
        raise VisdomError(gate_message(window), "win")
    layout = require_dict(args, "layout")
    opts = require_dict(args, "opts")
    title_of(opts)  # validate before the layout is merged
    legend = opts.get("legend")
    if legend is not None and not isinstance(legend, list):
        raise VisdomError("'opts.legend' must be a list of names", "opts.legend")
    data = args.get("data")
    if data is not None:
        data = check_data_list(args) if data != [] else []
    name = args.get("name")
    delete = bool(args.get("delete"))
    append = bool(args.get("append"))

    targets = [i for i, t in enumerate(traces) if name is None or t.get("name") == name]
    plan = None
    if name is None and data is None:
        plan = "opts"
    elif delete:
        plan = "delete"
    elif not data:
        raise VisdomError("'data' must hold the traces to update", "data")
    elif name is not None and len(data) != 1:
        raise VisdomError("with 'name', 'data' must hold exactly one trace", "data")
    elif not targets and data[0].get("type") == "heatmap":
        plan = "add_heatmap"
    elif len(targets) == 1 and traces[targets[0]].get("type") == "heatmap":
        check_heatmap_update(traces[targets[0]], data[0], args.get("updateDir"))
        plan = "heatmap"
    elif not targets:
        plan = "inject"
    else:
        if len(data) < len(targets):
            raise VisdomError(
                f"'data' has {len(data)} traces but {len(targets)} traces are to be updated",
                "data",
            )
        for n in range(len(targets)):
            for axis in ("x", "y"):
                if not isinstance(data[n].get(axis), list):
                    raise VisdomError(f"'data[{n}].{axis}' must be a list", f"data[{n}].{axis}")
        plan = "traces"

    # Validation is over: from here on nothing raises.
    for key, value in layout.items():
        if value is not None:
            content.setdefault("layout", {})[key] = value
    props = _apply_opts(window, opts)
    if legend is not None and name is not None:
        # With a name, only that trace is renamed (0.3.0), and not when the legend already
        # lists its name (learning_curve sends every metric's name with each update).
        if legend and name not in legend:
            for idx in targets:
                traces[idx]["name"] = legend[0]
    elif legend is not None:
        for trace, label in zip(traces, legend, strict=False):
            trace["name"] = label

    if plan == "opts":
        return FULL
    if plan == "delete":
        for idx in reversed(targets):
            del traces[idx]
        return FULL
    if plan == "add_heatmap":
        traces.append(data[0])
        return FULL
    if plan == "heatmap":
        merge_heatmap(traces[targets[0]], data[0], args.get("updateDir"), append)
        return FULL
    if plan == "inject":
        new = data if name is None else [dict(data[0], name=name)]
        traces.extend(new)
        if len(new) == 1 and legend is None:
            return {"kind": "new_trace", "trace": new[0], "props": props, "layout": layout}
        return FULL

    extended = []
    for n, idx in enumerate(targets):
        new = data[n]
        if all(_is_missing(v) for v in new["x"]):
            continue
        trace = traces[idx]
        delta = {"index": idx}
        for axis in ("x", "y", "z"):
            if axis == "z" and not isinstance(new.get("z"), list):
                continue
            if append and is_sequence(trace.get(axis)):
                extend_axis(trace, axis, new[axis])
            else:
                trace[axis] = list(new[axis])
                columnize_trace(trace)
            delta[axis] = new[axis]
        color = (
            (new.get("marker") or {}).get("color") if isinstance(new.get("marker"), dict) else None
        )
        if color is not None:
            marker = trace.setdefault("marker", {})
            new_colors = color if isinstance(color, list) else [color]
            if append and isinstance(marker.get("color"), list):
                marker["color"].extend(new_colors)
            else:
                marker["color"] = list(new_colors) if append else color
            delta["marker_color"] = new_colors
        extended.append(delta)
    if not append or legend is not None:
        return FULL
    return {"kind": "append_traces", "traces": extended, "props": props, "layout": layout}


_HANDLERS = {
    "text": _update_text,
    "image_history": _update_image_history,
    "embeddings": _update_embeddings,
    "plot": _update_plot,
    "plot_history": _update_plot_history,
    "image": _replace_content,
    "properties": _replace_content,
    "network": _replace_content,
}
