"""Merge consecutive point appends to the same trace into one /update request."""

_GROWING = ("x", "y", "z", "text")


def window_key(endpoint, body):
    """Return (eid, win) for a request aimed at one window, or None for env-wide requests."""
    win = body.get("win")
    if win is None or endpoint not in ("events", "update", "close"):
        return None
    return body.get("eid"), win


def is_point_append(endpoint, body):
    """Return True for a scatter/line append that another append can be merged into."""
    return (
        endpoint == "update"
        and body.get("append") is True
        and not body.get("delete")
        and "updateDir" not in body
        and isinstance(body.get("data"), list)
        and all(isinstance(t, dict) and t.get("x") is not None for t in body["data"])
    )


def _same_shape(old, new):
    if old.keys() != new.keys():
        return False
    for key, value in new.items():
        if key in _GROWING:
            if not isinstance(value, list) or not isinstance(old[key], list):
                return False
        elif key == "marker":
            if not isinstance(value, dict) or not isinstance(old[key], dict):
                return False
            if {k: v for k, v in value.items() if k != "color"} != {
                k: v for k, v in old[key].items() if k != "color"
            }:
                return False
            if ("color" in value) != ("color" in old[key]):
                return False
        elif old[key] != value:
            return False
    return True


def try_merge(old, new):
    """Extend the append `old` with the points of append `new` in place; return success.

    Both are /update bodies accepted by is_point_append for the same window.
    """
    if old.get("name") != new.get("name") or old.get("opts") != new.get("opts"):
        return False
    if new.get("layout") and new.get("layout") != old.get("layout"):
        return False
    if len(old["data"]) != len(new["data"]):
        return False
    if not all(_same_shape(o, n) for o, n in zip(old["data"], new["data"], strict=True)):
        return False
    for o, n in zip(old["data"], new["data"], strict=True):
        for key in _GROWING:
            if key in n:
                o[key].extend(n[key])
        if "marker" in n and "color" in n["marker"]:
            o["marker"]["color"].extend(n["marker"]["color"])
    return True


class MergingQueue:
    """A FIFO of (endpoint, body) that folds each point append into the window's last one."""

    def __init__(self):
        self.items = []
        self._last = {}  # (eid, win) -> index in items of the window's latest request

    def __len__(self):
        return len(self.items)

    def put(self, endpoint, body, merge_key=None):
        """Queue a request, merged into an earlier append to the same trace when possible.

        merge_key: requests with equal keys differ only by their points (see fastpath).
        """
        key = window_key(endpoint, body)
        if key is None:
            self._last.clear()  # env-wide request: nothing may move across it
        else:
            index = self._last.get(key)
            if index is not None:
                old_endpoint, old_body, old_key = self.items[index]
                if merge_key is not None and merge_key == old_key:
                    for old, new in zip(old_body["data"], body["data"], strict=True):
                        old["x"].extend(new["x"])
                        old["y"].extend(new["y"])
                    return True
                if (
                    (merge_key is None or old_key is None)
                    and is_point_append(endpoint, body)
                    and is_point_append(old_endpoint, old_body)
                    and try_merge(old_body, body)
                ):
                    return True
        self.items.append((endpoint, body, merge_key))
        if key is not None:
            self._last[key] = len(self.items) - 1
        return False

    def take(self):
        """Remove and return every queued request, oldest first."""
        items, self.items, self._last = self.items, [], {}
        return items
