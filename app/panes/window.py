"""Build the stored window object (upstream protocol section 3) from an /events request."""

import uuid

from ..common import VisdomError

PLAIN_TYPES = ("image", "text", "properties")


def new_content_id():
    """Return a fresh contentID: the browser's re-render key."""
    return str(uuid.uuid4())


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
    }
    if ptype == "image_history":
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
        window["content"] = {"data": data, "layout": layout}
        window["type"] = "plot"
    return window
