"""Bad input: a 4xx JSON error naming the field, never a 500, and nothing stored is lost."""

import json
import os

import pytest

LINE = {"x": [1], "y": [2], "name": "a", "type": "scatter"}


@pytest.fixture
def seeded(post, plot, store):
    """main holds plot L (trace a) and text T; env 'other' holds plot L; all saved."""
    plot("L")
    plot("L", eid="other")
    post("/events", {"eid": "main", "win": "T", "data": [{"type": "text", "content": "t"}]})
    store.set_layout_item("main", "L", {"x": 0, "y": 0, "w": 4, "h": 4})
    post("/save", {"data": ["main", "other"]})
    return store


def j(value):
    return json.dumps(value)


BAD_REQUESTS = [
    # malformed or non-object bodies
    ("/events", "{bad", 400, "body"),
    ("/events", "[1, 2]", 400, "body"),
    ("/events", '"text"', 400, "body"),
    ("/events", "null", 400, "body"),
    ("/events", "NaN", 400, "body"),
    ("/events", b"\xff\xfe{", 400, "body"),
    ("/update", "{", 400, "body"),
    ("/close", "[]", 400, "body"),
    ("/win_data", "{'single': 'quotes'}", 400, "body"),
    ("/delete_env", "5", 400, "body"),
    ("/fork_env", "true", 400, "body"),
    ("/save", "{]", 400, "body"),
    ("/api/views", "[]", 400, "body"),
    ("/vis_socket_wrap", "{", 400, "body"),
    ("/env/main", "[1]", 400, "body"),
    # /events: missing and ill-typed fields
    ("/events", j({"eid": "main", "win": "w"}), 400, "data"),
    ("/events", j({"eid": "main", "win": "w", "data": []}), 400, "data"),
    ("/events", j({"eid": "main", "win": "w", "data": {"type": "text"}}), 400, "data"),
    ("/events", j({"eid": "main", "win": "w", "data": [5]}), 400, "data"),
    ("/events", j({"eid": "main", "data": [{"type": 7}]}), 400, "data[0].type"),
    ("/events", j({"eid": "main", "data": [LINE], "layout": [1]}), 400, "layout"),
    ("/events", j({"eid": "main", "data": [LINE], "opts": "x"}), 400, "opts"),
    ("/events", j({"eid": "main", "data": [LINE], "opts": {"title": [1]}}), 400, "opts.title"),
    ("/events", j({"eid": 5, "data": [LINE]}), 400, "eid"),
    ("/events", j({"eid": ["main"], "data": [LINE]}), 400, "eid"),
    ("/events", j({"eid": "main", "data": [LINE], "func": "f"}), 400, "func"),
    (
        "/events",
        j({"eid": "main", "data": [{"type": "embeddings", "content": "x"}]}),
        400,
        "data[0].content",
    ),
    # /update
    ("/update", j({"eid": "main"}), 400, "win"),
    ("/update", j({"eid": "main", "win": None, "append": True, "data": [LINE]}), 400, "win"),
    ("/update", j({"eid": "ghost", "win": "L", "data": [LINE], "append": True}), 404, "eid"),
    ("/update", j({"eid": "main", "win": "L", "name": "a", "data": "x"}), 400, "data"),
    ("/update", j({"eid": "main", "win": "L", "name": "a", "data": [7]}), 400, "data"),
    (
        "/update",
        j({"eid": "main", "win": "L", "name": "a", "data": [{"x": 1, "y": [1]}]}),
        400,
        "data[0].x",
    ),
    (
        "/update",
        j({"eid": "main", "win": "L", "name": "a", "data": [LINE, LINE]}),
        400,
        "data",
    ),
    ("/update", j({"eid": "main", "win": "L", "layout": "big"}), 400, "layout"),
    ("/update", j({"eid": "main", "win": "L", "opts": 3}), 400, "opts"),
    ("/update", j({"eid": "main", "win": "L", "opts": {"legend": "ab"}}), 400, "opts.legend"),
    (
        "/update",
        j({"eid": "main", "win": "L", "data": [LINE], "opts": {"title": {}}, "layout": {"a": 1}}),
        400,
        "opts.title",
    ),
    ("/update", j({"eid": "main", "win": "T", "data": [{"type": "text"}]}), 400, "data[0].content"),
    ("/update", j({"eid": "main", "win": "T", "data": 5}), 400, "data"),
    # /close
    ("/close", j({"eid": "ghost", "win": None}), 404, "eid"),
    ("/close", j({"eid": 3}), 400, "eid"),
    # /win_data
    ("/win_data", j({"eid": "main", "win": "nope"}), 404, "win"),
    ("/win_data", j({"eid": "ghost", "win": "L"}), 404, "eid"),
    ("/win_data", j({"eid": "ghost", "win": None}), 404, "eid"),
    ("/win_data", j({"eid": "main", "win": "L", "data": "{not json"}), 400, "data"),
    ("/win_data", j({"eid": "main", "win": "L", "data": "[1, 2]"}), 400, "data"),
    ("/win_data", j({"eid": "main", "win": "L", "data": 5}), 400, "data"),
    ("/win_data", j({"eid": "main", "win": None, "data": j({"L": 1})}), 400, "data"),
    ("/win_data", j({"eid": "main", "win": None, "data": "[]"}), 400, "data"),
    # /win_hash
    ("/win_hash", j({"eid": "ghost", "win": "L"}), 404, "eid"),
    # /delete_env: upstream deletes main when eid is missing
    ("/delete_env", j({}), 400, "eid"),
    ("/delete_env", j({"eid": None}), 400, "eid"),
    ("/delete_env", j({"eid": "ghost"}), 404, "eid"),
    ("/delete_env", j({"eid": 4}), 400, "eid"),
    # /fork_env
    ("/fork_env", j({"eid": "copy"}), 400, "prev_eid"),
    ("/fork_env", j({"prev_eid": "main"}), 400, "eid"),
    ("/fork_env", j({"prev_eid": "ghost", "eid": "copy"}), 404, "prev_eid"),
    ("/fork_env", j({"prev_eid": ["main"], "eid": "copy"}), 400, "prev_eid"),
    # /save
    ("/save", j({}), 400, "data"),
    ("/save", j({"data": "main"}), 400, "data"),
    ("/save", j({"data": [1]}), 400, "data"),
    # /compare, /env, views, polling
    ("/compare/main+ghost", j({"sid": "x"}), 404, "eid"),
    ("/env/main", j({"eid": 5}), 400, "eid"),
    ("/api/views", j({}), 400, "views"),
    ("/api/views", j({"views": [1]}), 400, "views"),
    ("/api/views", j({"views": "x"}), 400, "views"),
    ("/api/views", j({"views": {"main": [None, None]}}), 400, "views"),
    ("/api/views", j({"views": {"main": {"v": 3}}}), 400, "views"),
    ("/vis_socket_wrap", j({"sid": 5, "message_type": "query"}), 400, "sid"),
    # alert rules, explicit alerts and heartbeats (issue 18)
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "above", "win": "nope", "threshold": 1}),
        404,
        "win",
    ),
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "above", "win": "L", "threshold": "1"}),
        400,
        "threshold",
    ),
    (
        "/api/alert_rules",
        '{"eid": "main", "kind": "below", "win": "L", "threshold": NaN}',
        400,
        "threshold",
    ),
    ("/api/alert_rules", j({"eid": "main", "kind": "above", "win": "L"}), 400, "threshold"),
    ("/api/alert_rules", j({"eid": "main", "kind": "explode", "win": "L"}), 400, "kind"),
    ("/api/alert_rules", j({"eid": "main", "kind": "nan", "win": "T"}), 400, "win"),
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "stalled", "win": "L", "minutes": 0}),
        400,
        "minutes",
    ),
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "stalled", "win": "L", "minutes": "5"}),
        400,
        "minutes",
    ),
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "above", "win": "L", "threshold": 1, "smoothing": 1}),
        400,
        "smoothing",
    ),
    (
        "/api/alert_rules",
        j({"eid": "main", "kind": "nan", "win": "L", "webhook": "ftp://x.y/z"}),
        400,
        "webhook",
    ),
    ("/api/alert_rules", j({"eid": "main", "kind": "above", "threshold": 1}), 400, "win"),
    ("/api/alert_rules", j({"eid": "absent", "kind": "run"}), 404, "eid"),
    ("/api/alert_rules", "[1]", 400, "body"),
    ("/api/alerts", j({"eid": "main"}), 400, "title"),
    ("/api/alerts", j({"eid": "main", "title": "t", "level": "panic"}), 400, "level"),
    ("/api/alerts", j({"eid": "main", "title": "t", "text": 5}), 400, "text"),
    ("/api/heartbeat", j({"eid": "main", "status": "zombie"}), 400, "status"),
    ("/api/heartbeat", j({"eid": "main", "pid": "12"}), 400, "pid"),
    ("/api/heartbeat", j({"eid": "main", "host": 5}), 400, "host"),
]


@pytest.mark.parametrize(
    "path, body, status, field",
    BAD_REQUESTS,
    ids=[f"{p}-{i}" for i, (p, *_rest) in enumerate(BAD_REQUESTS)],
)
def test_bad_request_is_refused_and_changes_nothing(
    seeded, post, snapshot, error_of, path, body, status, field
):
    before = snapshot()
    response = post(path, body)
    error = error_of(response, status, field)
    if field is not None:
        assert field in error["error"] or status == 404 or field == "body"
    assert snapshot() == before


AGG = "/api/compare/main+other/aggregate?title=loss"

# GET reads with bad query arguments (compare aggregate, x by metric, envelope, runs).
BAD_QUERIES = [
    (AGG + "&group=param:lr", 400, "group"),
    (AGG + "&group=re:(", 400, "group"),
    (AGG + "&group=color:red", 400, "group"),
    (AGG + "&stat=mode", 400, "stat"),
    (AGG + "&band=iqr", 400, "band"),
    (AGG + "&px=0", 400, "px"),
    (AGG + "&px=100000", 400, "px"),
    (AGG + "&x=epoch", 400, "x"),
    (AGG + "&x=metric:nope", 400, "x"),
    (AGG + "&trace=zz", 400, "trace"),
    ("/api/compare/main+other/aggregate?title=nope", 404, "title"),
    ("/api/compare/main+ghost/aggregate?title=loss", 404, "eid"),
    ("/api/window/main/L?by=T", 404, "by"),
    ("/api/window/main/L?envelope=1&px=abc", 400, "px"),
    ("/api/runs?since=bad", 400, "since"),
    ("/api/runs/groups?group=re:[", 400, "group"),
    ("/api/runs/at_step?metric=loss&step=nan", 400, "step"),
    ("/api/runs/diff?group=re:x&a=1&b=2", 400, "metric"),
]


@pytest.mark.parametrize(
    "url, status, field", BAD_QUERIES, ids=[f"q{i}" for i in range(len(BAD_QUERIES))]
)
def test_bad_query_is_refused_and_changes_nothing(
    seeded, client, snapshot, error_of, url, status, field
):
    before = snapshot()
    error = error_of(client.get(url), status, field)
    assert field in error["error"] or status == 404
    assert snapshot() == before


# ("a\\..\\b" is no traversal: like 0.3.0, backslashes become "_", giving "a_.._b".)
TRAVERSAL = ["../x", "..\\x", "../../etc/passwd", "..", ".", "./main", "..\\..\\b", "..%2Fx"]


def bodies_with_eid(eid):
    return [
        ("/events", {"eid": eid, "win": "w", "data": [LINE]}, "eid"),
        ("/update", {"eid": eid, "win": "w", "append": True, "data": [LINE]}, "eid"),
        ("/close", {"eid": eid, "win": None}, "eid"),
        ("/win_exists", {"eid": eid, "win": "L"}, "eid"),
        ("/win_data", {"eid": eid, "win": None}, "eid"),
        ("/win_data", {"eid": eid, "win": "w", "data": j({"id": "w"})}, "eid"),
        ("/win_hash", {"eid": eid, "win": "L"}, "eid"),
        ("/delete_env", {"eid": eid}, "eid"),
        ("/fork_env", {"prev_eid": "main", "eid": eid}, "eid"),
        ("/fork_env", {"prev_eid": eid, "eid": "copy"}, "prev_eid"),
        ("/save", {"data": [eid]}, "data"),
        ("/env/main", {"eid": eid}, "eid"),
    ]


@pytest.mark.parametrize("eid", TRAVERSAL)
def test_traversal_eids_in_bodies_are_refused(seeded, post, snapshot, error_of, eid):
    before = snapshot()
    for path, body, field in bodies_with_eid(eid):
        error_of(post(path, body), 400, field)
    assert snapshot() == before


@pytest.mark.parametrize("eid", ["/etc/passwd", "/tmp/x", "a/../../b"])
def test_slash_eids_stay_inside_the_env_path(seeded, post, store, tmp_path, env_path, eid):
    outside = sorted(os.listdir(tmp_path))
    for path, body, _field in bodies_with_eid(eid):
        response = post(path, body)
        assert response.status_code < 500, (path, response.get_data(as_text=True))
    store.flush(force=True)
    assert sorted(os.listdir(tmp_path)) == outside
    for name in os.listdir(env_path):
        assert os.path.realpath(os.path.join(env_path, name)).startswith(env_path + os.sep)
    assert os.path.exists("/etc/passwd")


@pytest.mark.parametrize(
    "url",
    [
        "/api/env/..%2Fx",
        "/api/env/..%5Cx",
        "/api/env/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/api/env/..",
        "/api/compare/..%2Fx+main",
        "/env/..%5Cx",
        "/compare/main+..%2Fx",
    ],
)
def test_traversal_eids_in_urls_are_refused(seeded, client, snapshot, error_of, url):
    before = snapshot()
    error_of(client.get(url))
    assert snapshot() == before


@pytest.mark.parametrize("url", ["/env/..%2Fsecret", "/env/..%5Csecret", "/compare/..%2Fa+main"])
def test_traversal_eids_in_post_urls_are_refused(seeded, post, snapshot, error_of, url):
    before = snapshot()
    error_of(post(url, {"sid": "s"}))
    assert snapshot() == before


# -- oversized bodies -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/events", "/update", "/win_data", "/api/views"])
def test_oversized_body_is_a_413(make_app, path):
    app = make_app(MAX_CONTENT_LENGTH=2048)
    client = app.test_client()
    store = app.extensions["visdom_store"]
    before = store.windows("main")
    body = {"eid": "main", "win": "big", "data": [{"type": "text", "content": "x" * 4096}]}
    response = client.post(path, data=json.dumps(body))
    assert response.status_code == 413
    error = response.get_json()
    assert error["field"] == "body" and "2048" in error["error"]
    assert store.windows("main") == before
    # the limit is a limit, not a ban: a small request still works
    small = {"eid": "main", "win": "small", "data": [{"type": "text", "content": "x"}]}
    assert client.post("/events", data=json.dumps(small)).status_code == 200


# -- an env file that cannot be read ----------------------------------------------------


@pytest.fixture
def broken(env_path):
    path = os.path.join(env_path, "bad.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"jsons": {"w": ')
    with open(path, "rb") as f:
        return path, f.read()


@pytest.mark.parametrize("eager", [False, True])
def test_unreadable_env_file_is_answered_with_a_4xx_and_left_untouched(
    make_app, broken, error_of, eager
):
    path, original = broken
    app = make_app(EAGER_DATA_LOADING=eager)
    client = app.test_client()
    for url, body, field in [
        ("/events", {"eid": "bad", "win": "w", "data": [LINE]}, "eid"),
        ("/update", {"eid": "bad", "win": "w", "append": True, "data": [LINE]}, "eid"),
        ("/win_data", {"eid": "bad", "win": None}, "eid"),
        ("/win_data", {"eid": "bad", "win": "w", "data": j({"type": "text"})}, "eid"),
        ("/close", {"eid": "bad", "win": None}, "eid"),
        ("/fork_env", {"prev_eid": "bad", "eid": "copy"}, "prev_eid"),
    ]:
        error = error_of(client.post(url, data=j(body)), 409, field)
        assert "bad" in error["error"]
    assert client.post("/win_exists", data=j({"eid": "bad", "win": "w"})).status_code == 409
    error_of(client.get("/api/env/bad"), 409, "eid")
    assert json.loads(client.post("/save", data=j({"data": ["bad"]})).data) == []
    assert "bad" in json.loads(client.post("/env_state", data="{}").data)
    app.extensions["visdom_store"].close()
    with open(path, "rb") as f:
        assert f.read() == original
    assert not os.path.exists(os.path.join(os.path.dirname(path), "copy.json"))


# -- anything else: never a 500 ---------------------------------------------------------

ENDPOINTS = [
    "/events",
    "/update",
    "/close",
    "/win_exists",
    "/win_data",
    "/win_hash",
    "/delete_env",
    "/fork_env",
    "/env_state",
    "/save",
    "/env/main",
    "/compare/main+other",
    "/api/views",
    "/vis_socket_wrap",
]

ODD_BODIES = [
    "",
    "{}",
    "[]",
    "0",
    "Infinity",
    '{"eid": null}',
    '{"eid": {}}',
    '{"eid": "main", "win": []}',
    '{"eid": "main", "win": {}}',
    '{"eid": "main", "win": "L", "data": {}}',
    '{"eid": "main", "win": "L", "data": [null]}',
    '{"eid": "main", "win": "L", "data": [[]]}',
    '{"eid": "main", "win": "L", "data": [{}], "name": []}',
    '{"eid": "main", "win": "L", "data": [{"x": [NaN], "y": [1]}], "append": true}',
    '{"eid": "main", "win": "L", "data": [{"type": "heatmap", "z": 1}], "updateDir": 5}',
    '{"eid": "main", "win": "T", "data": [{"type": "text", "content": {"a": 1}}]}',
    '{"eid": "main", "win": "L", "data": "[]", "prev_eid": 1, "sid": [], "message_type": 2}',
    '{"data": [{"content": 1, "type": {}}], "opts": {"title": 1e999}}',
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_odd_bodies_never_give_a_500(seeded, make_app, post, path):
    for body in ODD_BODIES:
        response = post(path, body)
        assert response.status_code < 500, (path, body, response.get_data(as_text=True))


MALFORMED_WINDOWS = [
    {"id": "W", "type": "plot"},
    {"id": "W", "type": "plot", "content": "text"},
    {"id": "W", "type": "plot", "content": {"data": "x"}},
    {"id": "W", "type": "plot", "content": {"data": [1, 2]}},
    {"id": "W", "type": "image_history", "content": "x"},
    {"id": "W", "type": "embeddings", "content": [1]},
    {"id": "W", "type": "text", "content": 5},
    {"id": "W", "type": "image"},
    {"id": "W"},
    {"id": "W", "type": "mystery", "content": "s"},
    {"id": "W", "type": "pie", "content": {"data": [3]}},
    {"id": "W", "type": "plot", "content": {"data": [], "layout": "x"}},
    {"id": "W", "type": "embeddings", "content": {}, "old_content": "x"},
]

UPDATES = [
    {"data": [LINE], "name": "a", "append": True},
    {"data": [LINE]},
    {"data": [{"type": "image_history", "content": {"src": "s"}}]},
    {"data": [{"type": "text", "content": "t"}]},
    {"data": {"update_type": "RegionSelected", "points": []}},
    {"opts": {"title": "x"}, "layout": {"title": "x"}},
    {"data": [], "name": "a", "delete": True},
]


@pytest.mark.parametrize("window", MALFORMED_WINDOWS, ids=range(len(MALFORMED_WINDOWS)))
def test_win_data_stores_only_windows_that_later_requests_can_handle(post, window):
    """A window /win_data cannot repair is refused (400 naming the field, nothing stored);
    one it can is stored, and no later request on it gives a 500."""
    response = post("/win_data", {"eid": "main", "win": "W", "data": j(window)})
    if response.status_code == 400:
        assert response.get_json()["field"].startswith("data")
        assert post("/win_exists", {"eid": "main", "win": "W"}).get_data(as_text=True) == "false"
        return
    assert response.status_code == 200
    stored = post("/win_data", {"eid": "main", "win": "W"}).get_json()
    assert stored["id"] == "W" and isinstance(stored["type"], str)
    for update in UPDATES:
        response = post("/update", dict(update, eid="main", win="W"))
        assert response.status_code < 500, (update, response.get_data(as_text=True))
    assert post("/win_hash", {"eid": "main", "win": "W"}).status_code == 200
    assert post("/close", {"eid": "main", "win": "W"}).status_code == 200


def test_a_window_written_without_an_id_can_be_closed(post):
    """Fuzzing found a 500: /close after a /win_data write of a window with no "id"."""
    window = {"type": "text", "content": "hi"}
    assert post("/win_data", {"eid": "main", "win": "T", "data": j(window)}).status_code == 200
    everything = {"X": {"type": "text", "content": "x"}}
    assert post("/win_data", {"eid": "e2", "win": None, "data": j(everything)}).status_code == 200
    assert post("/win_data", {"eid": "e2", "win": "X"}).get_json()["id"] == "X"
    assert post("/close", {"eid": "main", "win": "T"}).status_code == 200
    assert post("/close", {"eid": "e2", "win": None}).status_code == 200
    assert post("/win_exists", {"eid": "e2", "win": "X"}).get_data(as_text=True) == "false"
