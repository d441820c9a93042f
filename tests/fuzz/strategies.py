"""Hypothesis strategies: random JSON of every shape, junk values, valid-looking requests
for every endpoint and Socket.IO event, and one-field mutations of them."""

import json
import re
import string
from urllib.parse import quote

from hypothesis import strategies as st

EIDS = ("main", "fuzz", "fuzz_b")  # the envs the valid-looking requests aim at
WINS = ("L", "S", "H", "T", "I", "IH", "P", "N", "E", "X")

# -- random JSON ------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["eid", "win", "data", "type", "content", "x", "y", "z", "name", "opts", "layout", "id", "i"]
) | st.text(max_size=6)
NUMBERS = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, -1, 1e308, -1e308, 5e-324, -0.0])
)
TEXTS = st.text(max_size=12) | st.sampled_from(["", " main ", "../etc", "a/b", "\u2603", "\ud800"])
SCALARS = st.none() | st.booleans() | NUMBERS | TEXTS
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _nested(depth):
    value = 1
    for _ in range(depth):
        value = [value] if depth % 2 else {"a": value}
    return value


JUNK = (
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            -1,
            -(10**30),
            10**30,
            float("nan"),
            float("inf"),
            float("-inf"),
            "",
            "x" * 5000,
            "\u2603\U0001f600",
            "\ud800",
            "<script>alert(1)</script>",
            [],
            {},
            [None],
            [[]],
            [{}],
            {"": None},
            _nested(60),
        ]
    )
    | ANY_JSON
)

# -- valid-looking requests -------------------------------------------------------------

EID = st.sampled_from(EIDS)
WIN = st.sampled_from(WINS)
POINT = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-1000, 1000)
POINTS = st.lists(POINT, min_size=1, max_size=4)


@st.composite
def trace(draw, kind="scatter"):
    n = draw(st.integers(1, 3))
    t = {"x": draw(st.lists(POINT, min_size=n, max_size=n)), "type": kind}
    t["y"] = draw(st.lists(POINT, min_size=n, max_size=n))
    t["name"] = draw(st.sampled_from(["a", "b", "1"]))
    t["mode"] = "lines"
    if draw(st.booleans()):
        t["marker"] = {"color": draw(st.lists(st.sampled_from(["#f00", "#00f"]), min_size=n))}
    return t


@st.composite
def heatmap_trace(draw):
    cols = draw(st.integers(1, 3))
    rows = draw(st.integers(1, 3))
    z = [draw(st.lists(POINT, min_size=cols, max_size=cols)) for _ in range(rows)]
    return {"z": z, "type": "heatmap", "colorscale": "Viridis"}


def _window_data():
    image = {"src": "data:image/png;base64,iVBORw0KGgo=", "caption": "c"}
    return st.one_of(
        st.lists(trace(), min_size=1, max_size=2).map(lambda d: ("plot", d)),
        st.lists(trace("scattergl"), min_size=1, max_size=1).map(lambda d: ("plot", d)),
        heatmap_trace().map(lambda t: ("plot", [t])),
        st.just(("plot", [{"x": [0], "y": [1], "type": "bar"}])),
        TEXTS.map(lambda s: ("text", [{"content": s, "type": "text"}])),
        st.just(("image", [{"content": image, "type": "image"}])),
        st.just(("image_history", [{"content": image, "type": "image_history"}])),
        st.just(
            (
                "properties",
                [{"content": [{"type": "number", "name": "n", "value": 1}], "type": "properties"}],
            )
        ),
        st.just(("network", [{"content": {"nodes": [{"id": 0}], "edges": []}, "type": "network"}])),
        st.just(
            (
                "embeddings",
                [{"content": {"data": [{"position": [0, 1], "label": "0"}]}, "type": "embeddings"}],
            )
        ),
    )


@st.composite
def events_body(draw, eid=None, win=None):
    _kind, data = draw(_window_data())
    title = draw(st.sampled_from(["loss", "acc", ""]))
    return {
        "eid": eid or draw(EID),
        "win": win or draw(WIN),
        "data": data,
        "layout": {"title": title},
        "opts": {"title": title},
    }


@st.composite
def update_body(draw, eid=None, win=None):
    body = {"eid": eid or draw(EID), "win": win or draw(WIN)}
    kind = draw(
        st.sampled_from(
            ["append", "replace", "named", "delete", "opts", "heatmap", "text", "image", "select"]
            + ["embeddings", "legend"]
        )
    )
    if kind in ("append", "replace", "named"):
        n = draw(st.integers(1, 3))
        body["data"] = [{"x": draw(POINTS), "y": draw(POINTS), "type": "scatter"} for _ in range(n)]
        body["append"] = kind != "replace"
        if kind == "named":
            body["name"] = draw(st.sampled_from(["a", "b", "new"]))
            body["data"] = body["data"][:1]
    elif kind == "delete":
        body.update(name=draw(st.sampled_from(["a", "b"])), delete=True)
    elif kind == "opts":
        body["opts"] = {"title": draw(TEXTS), "width": 300}
        body["layout"] = {"xaxis": {"title": "x"}}
    elif kind == "legend":
        body["opts"] = {"legend": ["p", "q"]}
    elif kind == "heatmap":
        body["data"] = [draw(heatmap_trace())]
        body["updateDir"] = draw(
            st.sampled_from(["appendRow", "prependRow", "appendColumn", "prependColumn", "replace"])
        )
        body["append"] = True
    elif kind == "text":
        body["data"] = [{"content": draw(TEXTS), "type": "text"}]
        body["append"] = True
    elif kind == "image":
        body["data"] = [{"content": {"src": "data:,", "caption": "n"}, "type": "image_history"}]
        body["append"] = True
    elif kind == "select":
        body["data"] = [{"type": "image_update_selected", "selected": draw(st.integers(-2, 5))}]
    else:
        body["data"] = draw(
            st.sampled_from(
                [
                    {"update_type": "EntitySelected", "selected": 0},
                    {"update_type": "RegionSelected", "points": [0]},
                ]
            )
        )
    return body


@st.composite
def window_object(draw):
    """A window object as /win_data writes carry it: whole, or missing id/type/content."""
    body = draw(events_body())
    types = {"text": "text", "image": "image", "heatmap": "plot", "properties": "properties"}
    first = body["data"][0]
    wtype = types.get(first["type"], "plot")
    if wtype == "plot":
        content = {"data": body["data"], "layout": body["layout"]}
    else:
        content = first.get("content")
    window = {"id": body["win"], "type": wtype, "title": "loss", "content": content, "i": 0}
    for key in draw(st.sets(st.sampled_from(["id", "type", "content", "i", "title"]))):
        del window[key]
    return window


@st.composite
def win_data_body(draw):
    eid, win = draw(EID), draw(WIN)
    kind = draw(st.sampled_from(["read", "read_all", "write", "write_all", "write_object"]))
    if kind == "read":
        return {"eid": eid, "win": win}
    if kind == "read_all":
        return {"eid": eid, "win": None}
    if kind == "write_all":
        windows = draw(st.lists(window_object(), max_size=3))
        mapping = {w.get("id", f"w{n}"): w for n, w in enumerate(windows)}
        return {"eid": eid, "win": None, "data": json.dumps(mapping)}
    window = draw(window_object())
    if kind == "write_object":  # upstream sends a string; an object must not break anything
        return {"eid": eid, "win": win, "data": window}
    return {"eid": eid, "win": win, "data": json.dumps(window)}


VIEW = st.fixed_dictionaries({"v": st.fixed_dictionaries({"L": st.just([0, 10, 10])})})

LAYOUT_ITEM = st.fixed_dictionaries(
    {
        "x": st.integers(0, 12),
        "y": st.integers(0, 50),
        "w": st.integers(1, 12),
        "h": st.integers(1, 9),
    }
)

# Valid-looking bodies by endpoint (HTTP) ...
HTTP_BODIES = {
    "plotting.events": events_body(),
    "plotting.update": update_body(),
    "plotting.close": st.fixed_dictionaries({"eid": EID, "win": WIN | st.none()}),
    "plotting.win_exists": st.fixed_dictionaries({"eid": EID, "win": WIN}),
    "plotting.win_data": win_data_body(),
    "plotting.win_hash": st.fixed_dictionaries({"eid": EID, "win": WIN}),
    "envs.env_state": st.just({}),
    "envs.save": st.fixed_dictionaries({"data": st.lists(EID, max_size=3)}),
    "envs.fork_env": st.fixed_dictionaries({"prev_eid": EID, "eid": EID}),
    "envs.delete_env": st.fixed_dictionaries({"eid": st.sampled_from(["fuzz_b", "ghost"])}),
    "envs.env_post": st.fixed_dictionaries({"eid": EID}) | st.just({"sid": "abc"}),
    "envs.compare_post": st.just({}),
    "views.save_views": st.fixed_dictionaries({"views": st.fixed_dictionaries({"main": VIEW})}),
    "vis_socket.vis_socket_wrap": st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {
                "sid": st.text(max_size=8),
                "message_type": st.sampled_from(["query", "send", "init"]),
                "message": st.just(json.dumps({"cmd": "echo", "data": 1})),
            }
        ),
    ),
    "experiments.log": st.one_of(
        st.fixed_dictionaries(
            {
                "eid": EID,
                "action": st.just("log"),
                "name": st.text(max_size=8),
                "params": st.fixed_dictionaries({"lr": NUMBERS}),
                "tags": st.fixed_dictionaries({"m": st.text(max_size=4)}),
            }
        ),
        st.fixed_dictionaries(
            {
                "eid": EID,
                "action": st.just("metrics"),
                "metrics": st.fixed_dictionaries({"loss": NUMBERS}),
                "step": st.integers(0, 100) | st.none(),
            }
        ),
        st.fixed_dictionaries(
            {"eid": EID, "action": st.just("finish"), "status": st.sampled_from(["finished", "x"])}
        ),
    ),
    # A multipart upload; JSON bodies are junk to it, which it must refuse with a 4xx.
    "envs.upload_env": st.just({}),
    # Watching runs (app/alerts): heartbeats, rules (never a webhook: no request may leave
    # the machine), deleting one, explicit alerts.
    "alerts.heartbeat": st.fixed_dictionaries(
        {"eid": EID},
        optional={
            "status": st.sampled_from(["running", "finished", "failed", "x"]),
            "pid": st.integers(-1, 2**31) | st.text(max_size=4),
            "host": st.text(max_size=8),
        },
    ),
    "alerts.rule_create": st.fixed_dictionaries(
        {"eid": EID, "kind": st.sampled_from(["nan", "above", "below", "stalled", "run", "x"])},
        optional={
            "win": WIN,
            "trace": st.text(max_size=4) | st.none(),
            "threshold": NUMBERS | st.text(max_size=4),
            "smoothing": NUMBERS,
            "minutes": NUMBERS,
        },
    ),
    "alerts.rule_delete_post": st.just({}),
    "alerts.alert_send": st.fixed_dictionaries(
        {"eid": EID, "title": st.text(max_size=12)},
        optional={
            "text": st.text(max_size=20),
            "level": st.sampled_from(["info", "warn", "error", "x"]),
        },
    ),
    "auth.upstream_login": st.fixed_dictionaries(
        {"username": st.sampled_from(["ed", "nobody"]), "password": st.text(max_size=8)}
    ),
}

# ... and by Socket.IO event (the handler name without "on_").
SOCKET_PAYLOADS = {
    "join_env": st.fixed_dictionaries({"eid": EID})
    | st.fixed_dictionaries({"eids": st.lists(EID, min_size=1, max_size=3)}),
    "leave_env": st.fixed_dictionaries({"eid": EID}),
    "subscribe_events": st.fixed_dictionaries({"eid": EID}),
    "unsubscribe_events": st.fixed_dictionaries({"eid": EID}),
    "browser_event": st.fixed_dictionaries(
        {
            "eid": EID,
            "target": WIN,
            "event_type": st.sampled_from(["KeyPress", "PropertyUpdate", "Click", "close"]),
            "key": st.just("a"),
            "propertyId": st.integers(0, 2),
            "value": ANY_JSON,
        }
    ),
    "close_window": st.fixed_dictionaries({"eid": EID, "win": WIN}),
    "layout_item_update": st.fixed_dictionaries({"eid": EID, "win": WIN, "layout": LAYOUT_ITEM}),
    "pop_embeddings_pane": st.fixed_dictionaries({"eid": EID, "win": WIN}),
    "update_comment": st.fixed_dictionaries({"eid": EID, "win": WIN, "comment": TEXTS}),
    "update_plot_layout": st.fixed_dictionaries(
        {
            "eid": EID,
            "win": WIN,
            "layout": st.fixed_dictionaries(
                {"shapes": st.lists(st.fixed_dictionaries({"type": st.just("rect")}), max_size=2)}
            ),
        }
    ),
    "undo": st.fixed_dictionaries({"eid": EID}),
    "update_view": st.fixed_dictionaries(
        {
            "eid": EID,
            "win": WIN | st.none(),
            "view": st.fixed_dictionaries(
                {
                    "smoothing": st.floats(0, 0.999),
                    "log_y": st.booleans(),
                    "xaxis": st.sampled_from(["step", "wall", "relative"]),
                }
            ),
        }
    ),
    "save_all": st.just({}),
}

# -- mutation ---------------------------------------------------------------------------


def _paths(value, prefix=()):
    """Every path (tuple of keys/indices) inside a JSON value, the value itself first."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value[:4]):
            yield from _paths(item, prefix + (n,))


def _replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if new is _DELETE and not rest:
            del copy[head]
        else:
            copy[head] = _replaced(value[head], rest, new)
        return copy
    copy = list(value)
    if new is _DELETE and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(value[head], rest, new)
    return copy


_DELETE = object()


@st.composite
def mutated(draw, valid):
    """A valid-looking value with one field replaced by junk, removed, or junk added."""
    value = draw(valid)
    paths = list(_paths(value))
    path = draw(st.sampled_from(paths[1:] or paths))
    action = draw(st.sampled_from(["junk", "junk", "junk", "delete", "add"]))
    if action == "delete" and path:
        return _replaced(value, path, _DELETE)
    if action == "add" and isinstance(value, dict):
        return dict(value, **{draw(KEYS): draw(JUNK)})
    return _replaced(value, path, draw(JUNK))


def payload(valid):
    """A valid-looking payload, a mutated one, or random JSON of any shape."""
    return st.one_of(valid, mutated(valid), mutated(valid), ANY_JSON)


# -- HTTP bodies, paths and content types ---------------------------------------------

CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/octet-stream",
        "application/json; charset=latin-1",
        "text/html; charset=utf-16",
        "no/such-type",
    ]
)


def _dumps(value):
    return json.dumps(value)  # NaN and Infinity tokens included, as upstream clients send them


@st.composite
def garbled(draw, valid):
    """Bytes that are not quite a JSON object: truncated, re-encoded, invalid UTF-8, ..."""
    text = _dumps(draw(valid))
    kind = draw(
        st.sampled_from(
            ["truncate", "latin1", "utf16", "bytes", "invalid_utf8", "deep", "bom", "bignum"]
            + ["nul", "empty", "tokens"]
        )
    )
    if kind == "truncate":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))].encode()
    if kind == "latin1":
        return (text[:-1] + ', "\u00e9": "\u00e9"}').encode("latin-1", "replace")
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    if kind == "invalid_utf8":
        cut = draw(st.integers(0, len(text)))
        return text[:cut].encode() + b"\xff\xfe\xc3" + text[cut:].encode()
    if kind == "deep":
        depth = draw(st.sampled_from([100, 1000, 100_000]))
        return b"[" * depth + b"]" * depth
    if kind == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if kind == "bignum":
        return ('{"eid": "main", "win": "L", "x": ' + "9" * 5000 + "}").encode()
    if kind == "nul":
        return text.encode().replace(b'"', b'"\x00', 1)
    if kind == "empty":
        return draw(st.sampled_from([b"", b" ", b"\n", b"null", b"[]", b'""', b"0"]))
    return draw(st.sampled_from([b"NaN", b"Infinity", b"-Infinity", b'{"eid": NaN}', b"{,}"]))


@st.composite
def http_body(draw, valid):
    """A request body: JSON text of a valid, mutated or random value, or garbled bytes."""
    if draw(st.integers(0, 3)) == 0:
        return draw(garbled(valid))
    return _dumps(draw(payload(valid))).encode()


SEGMENT = st.one_of(
    EID,
    st.sampled_from(["ghost", "a b", "..", ".hidden", "x%2Fy", "\u00e9t\u00e9", "a:b", " "]),
    st.text(alphabet=string.printable + "\u00e9\u2603", min_size=1, max_size=12),
)


@st.composite
def path_value(draw, converter):
    """A value for one URL variable (`+`-joined lists for compare routes)."""
    if converter == "eids":
        parts = draw(st.lists(SEGMENT, min_size=1, max_size=3))
        raw = "+".join(parts)
    else:
        raw = draw(SEGMENT)
    # No empty path segment: Werkzeug answers "//" with a slash-merging redirect, and the
    # test client reads a leading "//" as a host name.
    raw = re.sub("/+", "/", raw).lstrip("/") or "x"
    return quote(raw, safe="/+")
