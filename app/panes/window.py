"""Build the stored window object (upstream protocol section 3) from an /events request."""

import random
import uuid

from ..common import VisdomError
from .columns import columnize_trace

PLAIN_TYPES = ("image", "text", "properties")


def new_content_id():
    """Return a fresh contentID: the browser's re-render key (a version-4 UUID).

    Its bits come from the random module rather than uuid4's os.urandom: the id only has
    to differ from the window's previous ones, and a system call under the env's lock on
    every append costs a GIL hand-over under load. (The random module reseeds itself in
    a forked worker.)
    """
    return str(uuid.UUID(int=random.getrandbits(128), version=4))


def require_dict(args, key, default=None):
    """Return args[key] when it is a JSON object (or absent/null), else raise VisdomError."""
    value = args.get(key)
    if value is None:
        return {} if default is None else default
    if not isinstance(value, dict):
        raise VisdomError(f"'{key}' must be an object, got {type(value).__name__}", key)
    return value


def check_data_list(args):
    """Return the non-empty list of trace/content objects in args['data']."""
    data = args.get("data")
    if not isinstance(data, list) or not data:
        raise VisdomError("'data' must be a non-empty list of objects", "data")
    if not all(isinstance(item, dict) for item in data):
        raise VisdomError("every item of 'data' must be an object", "data")
    return data


def title_of(opts):
    """Return opts.title as the string the browser expects."""
    title = opts.get("title", "")
    if title is None:
        return ""
    if isinstance(title, (dict, list)):
        raise VisdomError("'opts.title' must be a string", "opts.title")
    return str(title)


def build_window(args, win_id):
    """Return the window object for an /events request (or an /update that creates)."""
    if args.get("func") is not None:
        raise VisdomError("'func' (Lua Torch plotting) is not supported", "func")
    data = check_data_list(args)
    opts = require_dict(args, "opts")
    ptype = data[0].get("type")
    if ptype is not None and not isinstance(ptype, str):
        raise VisdomError("'data[0].type' must be a string", "data[0].type")
    window = {
        "command": "window",
        "id": win_id,
        "title": title_of(opts),
        "inflate": opts.get("inflate", True),
        "width": opts.get("width"),
        "height": opts.get("height"),
        "contentID": new_content_id(),
        "version": _version(args.get("version")),
        "comment": _comment(opts),
    }
    if ptype == "plot_history" and "content" in data[0]:
        window["content"] = [check_frame(data[0]["content"], "data[0].content")]
        window["selected"] = 0
        window["type"] = ptype
        window["show_slider"] = opts.get("show_slider", True)
    elif ptype == "image_history":
        window["content"] = [data[0].get("content")]
        window["selected"] = 0
        window["type"] = ptype
        window["show_slider"] = opts.get("show_slider", True)
    elif ptype in PLAIN_TYPES:
        window["content"] = data[0].get("content")
        window["type"] = ptype
    elif ptype == "network":
        window["content"] = data[0].get("content")
        window["type"] = ptype
        window["directed"] = opts.get("directed", False)
        window["showEdgeLabels"] = opts.get("showEdgeLabels", "hover")
        window["showVertexLabels"] = opts.get("showVertexLabels", "hover")
    elif ptype == "embeddings":
        content = data[0].get("content")
        if not isinstance(content, dict):
            raise VisdomError(
                "'data[0].content' must be an object for embeddings", "data[0].content"
            )
        window["content"] = dict(content, has_previous=False)
        window["type"] = ptype
        window["old_content"] = []
    else:
        layout = require_dict(args, "layout")
        window["content"] = {"data": [columnize_trace(trace) for trace in data], "layout": layout}
        if opts.get("caption") is not None:
            window["content"]["caption"] = opts["caption"]
        window["type"] = "plot"
    return window


def _version(value):
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise VisdomError("'version' must be an integer", "version")
    return value


def _comment(opts):
    comment = opts.get("comment")
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise VisdomError("'opts.comment' must be a string", "opts.comment")
    return comment


def check_frame(frame, field):
    """Return a plot_history frame {data: [traces], layout: {}, caption} or raise."""
    if not isinstance(frame, dict):
        raise VisdomError(f"'{field}' must be an object {{data, layout, caption}}", field)
    traces = frame.get("data")
    if not isinstance(traces, list) or not all(isinstance(t, dict) for t in traces):
        raise VisdomError(f"'{field}.data' must be a list of trace objects", f"{field}.data")
    if frame.get("layout") is None:
        frame["layout"] = {}
    if not isinstance(frame["layout"], dict):
        raise VisdomError(f"'{field}.layout' must be an object", f"{field}.layout")
    return frame
