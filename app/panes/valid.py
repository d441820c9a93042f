"""Make stored windows valid: every window in memory can be read, updated and closed.

Windows arrive whole from three places that bypass /events: /win_data writes, env files
read from disk and journal replays. Each goes through `normalize_window`, which repairs
what can be repaired (a missing id, contentID or title) and refuses the rest with a
VisdomError naming the field, so that no later request meets a window it cannot handle.
"""

from ..common import VisdomError
from . import walltime
from .columns import columnize_trace
from .window import new_content_id

# Pane types the UI draws; other string types are kept (the UI shows a placeholder).
KNOWN_TYPES = (
    "plot",
    "image",
    "image_history",
    "text",
    "properties",
    "network",
    "embeddings",
    "plot_history",
)


def _infer_type(content):
    if isinstance(content, dict) and isinstance(content.get("data"), list):
        return "plot"
    if isinstance(content, str):
        return "text"
    return None


def _check_content(wtype, window, field):
    """Raise VisdomError unless window["content"] has the shape its type needs; repair gaps."""
    content = window.get("content")
    if wtype == "plot":
        if not isinstance(content, dict):
            raise VisdomError("a plot window's 'content' must be an object", f"{field}.content")
        traces = content.setdefault("data", [])
        if not isinstance(traces, list) or not all(isinstance(t, dict) for t in traces):
            raise VisdomError(
                "a plot window's 'content.data' must be a list of trace objects",
                f"{field}.content.data",
            )
        for trace in traces:
            columnize_trace(trace)
        if content.get("layout") is None:
            content["layout"] = {}
        if not isinstance(content["layout"], dict):
            raise VisdomError(
                "a plot window's 'content.layout' must be an object", f"{field}.content.layout"
            )
    elif wtype == "image_history":
        if not isinstance(content, list):
            raise VisdomError(
                "an image_history window's 'content' must be a list of images", f"{field}.content"
            )
        selected = window.get("selected")
        if isinstance(selected, bool) or not isinstance(selected, int):
            window["selected"] = max(0, len(content) - 1)
    elif wtype == "embeddings":
        if not isinstance(content, dict):
            raise VisdomError(
                "an embeddings window's 'content' must be an object", f"{field}.content"
            )
        old = window.setdefault("old_content", [])
        if not isinstance(old, list):
            raise VisdomError(
                "an embeddings window's 'old_content' must be a list", f"{field}.old_content"
            )
    elif wtype == "plot_history":
        if not isinstance(content, list):
            raise VisdomError(
                "a plot_history window's 'content' must be a list of plots", f"{field}.content"
            )
    elif wtype == "text":
        if content is None:
            window["content"] = ""
        elif not isinstance(content, str):
            raise VisdomError("a text window's 'content' must be a string", f"{field}.content")


def normalize_window(window, win_id, field="data"):
    """Return `window` (a dict from a client or a file) made valid for id `win_id`.

    Mutates and returns the same dict. Raises VisdomError (400) naming `field` when the
    window cannot be repaired: not an object, no usable type, or content of the wrong shape.
    """
    if not isinstance(window, dict):
        raise VisdomError(f"'{field}': window '{win_id}' must be a JSON object", field)
    wtype = window.get("type")
    if wtype is None:
        wtype = _infer_type(window.get("content"))
        if wtype is None:
            raise VisdomError(
                f"window '{win_id}' has no 'type' and its content does not tell one",
                f"{field}.type",
            )
        window["type"] = wtype
    if not isinstance(wtype, str) or not wtype:
        raise VisdomError(f"window '{win_id}': 'type' must be a string", f"{field}.type")
    _check_content(wtype, window, field)
    window["id"] = win_id
    window.setdefault("command", "window")
    if not isinstance(window.get("contentID"), str):
        window["contentID"] = new_content_id()
    title = window.get("title")
    if title is None:
        window["title"] = ""
    elif not isinstance(title, str):
        if isinstance(title, (dict, list)):
            raise VisdomError(f"window '{win_id}': 'title' must be a string", f"{field}.title")
        window["title"] = str(title)
    walltime.normalize(window)
    i = window.get("i")
    if i is not None and (isinstance(i, bool) or not isinstance(i, int)):
        del window["i"]
    return window


def normalize_windows(data, field="data"):
    """Return a {win_id: window} map with every window normalized (ids are the keys)."""
    if not isinstance(data, dict):
        raise VisdomError("'data' must be a JSON object of window objects", field)
    return {str(k): normalize_window(w, str(k), field) for k, w in data.items()}


def pop_embeddings(window):
    """Restore the previous point set of an embeddings window (its "Back" button)."""
    if window.get("type") != "embeddings":
        raise VisdomError(f"'{window.get('id')}' is not an embeddings window", "win", 404)
    old = window.get("old_content") or []
    if not old:
        raise VisdomError("this embeddings window has no previous selection", "win", 409)
    window["content"]["data"] = old.pop()
    window["content"]["selected"] = None
    window["content"]["has_previous"] = bool(old)
    window["contentID"] = new_content_id()
