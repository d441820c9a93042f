"""What the 0.3.0 client sends besides experiments (delta doc §3, §5): /health,
/upload_env, window version/comment/caption, plot_history, 3-D appends, the image
slider update, the window-deleting update, long env names, caps, 401."""

import hashlib
import io
import json
import os

import pytest

from app.state import Store

LINE = {"x": [0, 1], "y": [1, 2], "type": "scatter", "mode": "lines", "name": "a"}


def body_of(response):
    return response.get_data(as_text=True)


def window(post, eid, win):
    return post("/win_data", {"eid": eid, "win": win}).get_json()


# -- /health ------------------------------------------------------------------------------


def test_health_answers_ok_json(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert client.get("/healthz").get_data(as_text=True) == "ok"  # still there


def test_health_needs_no_login_and_other_routes_answer_401(make_app):
    app = make_app(ENABLE_LOGIN=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    client = app.test_client()
    assert client.get("/health").get_json() == {"status": "ok"}
    for path in ("/experiments/log", "/upload_env", "/events", "/update", "/env_state"):
        assert client.post(path, data="{}").status_code == 401, path
    assert client.get("/api/experiments").status_code == 401


# -- window version, comment, caption -------------------------------------------------------


def test_windows_carry_version_comment_and_caption(post):
    opts = {"title": "t", "comment": "note", "caption": "cap"}
    body = {"eid": "v", "win": "P", "data": [LINE], "layout": {}, "opts": opts}
    assert body_of(post("/events", body)) == "P"
    got = window(post, "v", "P")
    assert got["version"] == 1 and got["comment"] == "note"
    assert got["content"]["caption"] == "cap" and "caption" not in got
    update = {"eid": "v", "win": "P", "opts": {"caption": "new", "title": "t2"}}
    post("/update", update)
    got = window(post, "v", "P")
    assert got["version"] == 2 and got["content"]["caption"] == "new" and got["title"] == "t2"
    post(
        "/update",
        {
            "eid": "v",
            "win": "P",
            "name": "a",
            "append": True,
            "data": [{"x": [2], "y": [3], "type": "scatter"}],
        },
    )
    assert window(post, "v", "P")["version"] == 3
    # re-creating the window keeps its comment (0.3.0)
    post("/events", dict(body, opts={"title": "t"}))
    assert window(post, "v", "P")["comment"] == "note"


def test_text_updates_keep_the_version(post):
    post("/events", {"eid": "v", "win": "T", "data": [{"type": "text", "content": "a"}]})
    post(
        "/update",
        {"eid": "v", "win": "T", "data": [{"type": "text", "content": "b"}], "append": True},
    )
    got = window(post, "v", "T")
    assert got["content"] == "a<br>b" and got["version"] == 1 and got["comment"] == ""


# -- plot_history -------------------------------------------------------------------------


def frame(y, caption=None):
    return {"data": [dict(LINE, y=y)], "layout": {"title": "f"}, "caption": caption}


def test_plot_history_create_append_and_select(post, error_of):
    create = {
        "eid": "h",
        "win": "PH",
        "opts": {"title": "hist"},
        "data": [{"type": "plot_history", "content": frame([1, 2], "c0")}],
    }
    assert body_of(post("/events", create)) == "PH"
    got = window(post, "h", "PH")
    assert got["type"] == "plot_history" and got["selected"] == 0
    assert got["content"] == [frame([1, 2], "c0")]
    for n in (1, 2):
        add = {
            "eid": "h",
            "win": "PH",
            "data": [{"type": "plot_history", "content": frame([n, n], f"c{n}")}],
        }
        assert body_of(post("/update", add)) == "PH"
    got = window(post, "h", "PH")
    assert [f["caption"] for f in got["content"]] == ["c0", "c1", "c2"]
    assert got["selected"] == 2 and got["version"] == 1
    select = {"eid": "h", "win": "PH", "data": [{"type": "plot_update_selected", "selected": 99}]}
    post("/update", select)
    assert window(post, "h", "PH")["selected"] == 2
    select["data"][0]["selected"] = 0
    post("/update", select)
    assert window(post, "h", "PH")["selected"] == 0
    bad = {"eid": "h", "win": "PH", "data": [{"type": "plot_history", "content": {"data": 3}}]}
    error_of(post("/update", bad), 400, "data[0].content.data")
    assert len(window(post, "h", "PH")["content"]) == 3


def test_plot_history_without_content_is_a_plain_plot(post):
    post("/events", {"eid": "h", "win": "X", "data": [{"type": "plot_history", "x": [1]}]})
    assert window(post, "h", "X")["type"] == "plot"


# -- 3-D appends ----------------------------------------------------------------------------


def test_a_3d_line_takes_appends_with_z(post):
    trace = {
        "x": [0.0, 1.0],
        "y": [0.0, 1.0],
        "z": [0.0, 1.0],
        "type": "scatter3d",
        "mode": "lines",
        "name": "1",
    }
    post("/events", {"eid": "d3", "win": "L3", "data": [trace], "layout": {}})
    append = {
        "eid": "d3",
        "win": "L3",
        "name": None,
        "append": True,
        "layout": {},
        "data": [{"x": [2.0], "y": [2.0], "z": [4.0], "type": "scatter3d", "mode": "lines"}],
    }
    assert body_of(post("/update", append)) == "L3"
    got = window(post, "d3", "L3")["content"]["data"][0]
    assert got["x"] == [0.0, 1.0, 2.0] and got["z"] == [0.0, 1.0, 4.0]


# -- image_update_selected ------------------------------------------------------------------


@pytest.fixture
def history(post):
    def make(frames=2):
        img = {"src": "data:image/png;base64,AA==", "caption": "c"}
        post(
            "/events",
            {"eid": "im", "win": "IH", "data": [{"type": "image_history", "content": img}]},
        )
        for _ in range(frames - 1):
            post(
                "/update",
                {"eid": "im", "win": "IH", "data": [{"type": "image_history", "content": img}]},
            )
        return "IH"

    return make


@pytest.mark.parametrize("selected, expected", [(99, 1), (-5, 0), (1.0, 1), (0, 0)])
def test_image_slider_update_is_clamped(post, history, selected, expected):
    history(2)
    body = {
        "eid": "im",
        "win": "IH",
        "data": [{"type": "image_update_selected", "selected": selected}],
    }
    assert body_of(post("/update", body)) == "IH"
    got = window(post, "im", "IH")
    assert got["selected"] == expected and got["version"] == 1


@pytest.mark.parametrize("selected", [True, 1.5, "1", None])
def test_bad_image_slider_indexes_are_plain_text_400s(post, history, selected):
    history(2)
    body = {
        "eid": "im",
        "win": "IH",
        "data": [{"type": "image_update_selected", "selected": selected}],
    }
    response = post("/update", body)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "integer frame index" in body_of(response)


def test_non_finite_slider_index_is_a_400(post, history):
    history(2)
    raw = (
        '{"eid": "im", "win": "IH", "data": [{"type": "image_update_selected", '
        '"selected": Infinity}]}'
    )
    assert post("/update", raw).status_code == 400
    assert window(post, "im", "IH")["selected"] == 1


def test_image_slider_on_a_plot_is_upstreams_plain_text_400(post):
    post("/events", {"eid": "im", "win": "P", "data": [LINE], "layout": {}})
    body = {"eid": "im", "win": "P", "data": [{"type": "image_update_selected", "selected": 0}]}
    response = post("/update", body)
    assert response.status_code == 400
    assert body_of(response) == "win is not image_history; was plot"


# -- confusion_matrix(update='remove') -------------------------------------------------------


def test_delete_update_with_no_data_deletes_the_window(post):
    post("/events", {"eid": "cm", "win": "CM", "data": [{"z": [[1]], "type": "heatmap"}]})
    response = post("/update", {"data": [], "delete": True, "win": "CM", "eid": "cm"})
    assert response.status_code == 200 and body_of(response) == "CM"
    assert body_of(post("/win_exists", {"eid": "cm", "win": "CM"})) == "false"


def test_delete_by_trace_name_still_deletes_only_the_trace(post):
    post("/events", {"eid": "cm", "win": "L", "data": [LINE, dict(LINE, name="b")]})
    post("/update", {"data": [], "delete": True, "win": "L", "eid": "cm", "name": "b"})
    traces = window(post, "cm", "L")["content"]["data"]
    assert [t["name"] for t in traces] == ["a"]


# -- delete_env main -------------------------------------------------------------------------


def test_delete_env_refuses_main(post, plot, error_of):
    plot("L", eid="main")
    error_of(post("/delete_env", {"eid": "main"}), 400, "eid")
    assert body_of(post("/win_exists", {"eid": "main", "win": "L"})) == "true"


# -- long env names ---------------------------------------------------------------------------

LONG = "run_" + "x" * 296


def test_long_env_names_are_stored_as_hash_files(make_app, env_path):
    app = make_app()
    client = app.test_client()
    body = {"eid": LONG, "win": "T", "data": [{"type": "text", "content": "hi"}]}
    assert client.post("/events", data=json.dumps(body)).status_code == 200
    assert client.post("/save", data=json.dumps({"data": [LONG]})).get_json() == [LONG]
    name = "hash_" + hashlib.sha256(LONG.encode()).hexdigest() + ".json"
    with open(os.path.join(env_path, name), encoding="utf-8") as f:
        saved = json.load(f)
    assert saved["name"] == LONG and saved["jsons"]["T"]["content"] == "hi"
    app.extensions["visdom_store"].close()
    again = Store(env_path)
    try:
        assert LONG in again.env_ids()
        assert again.window(LONG, "T")["content"] == "hi"
    finally:
        again.close()


def test_long_env_names_survive_a_crash_before_their_first_save(env_path):
    crashed = Store(env_path)
    crashed.put_window(LONG, {"win": "T", "data": [{"type": "text", "content": "j"}]})
    crashed.files.close()  # no snapshot: only the journal (hash-named) holds it
    recovered = Store(env_path)
    try:
        assert LONG in recovered.env_ids()
        assert recovered.window(LONG, "T")["content"] == "j"
    finally:
        recovered.close()


def test_env_files_written_by_030_load_with_their_extra_keys(env_path):
    long_name = "e" * 300
    digest = hashlib.sha256(long_name.encode()).hexdigest()
    win = {
        "command": "window",
        "id": "W",
        "title": "",
        "type": "text",
        "content": "x",
        "version": 3,
        "comment": "c",
        "i": 0,
        "contentID": "k",
    }
    with open(os.path.join(env_path, f"hash_{digest}.json"), "w", encoding="utf-8") as f:
        json.dump({"jsons": {"W": win}, "reload": {}, "name": long_name}, f)
    experiment = {"env_id": "ex", "name": "r", "status": "running", "metrics": []}
    with open(os.path.join(env_path, "ex.json"), "w", encoding="utf-8") as f:
        json.dump({"jsons": {}, "reload": {}, "experiment": experiment, "future": [1]}, f)
    store = Store(env_path)
    try:
        assert {long_name, "ex"} <= set(store.env_ids())
        got = store.window(long_name, "W")
        assert got["version"] == 3 and got["comment"] == "c"
        assert store.experiments()[0]["experiment"]["name"] == "r"
        store.put_window("ex", {"win": "n", "data": [{"type": "text", "content": "y"}]})
        store.save(["ex", long_name])
        with open(os.path.join(env_path, "ex.json"), encoding="utf-8") as f:
            saved = json.load(f)
        assert saved["experiment"] == experiment and saved["future"] == [1]
        with open(os.path.join(env_path, f"hash_{digest}.json"), encoding="utf-8") as f:
            assert json.load(f)["name"] == long_name
    finally:
        store.close()


# -- /upload_env ------------------------------------------------------------------------------


def upload(client, content, filename="myenv.json"):
    data = {} if content is None else {"file": (io.BytesIO(content), filename)}
    return client.post("/upload_env", data=data, content_type="multipart/form-data")


def test_upload_env_creates_and_saves_a_new_env(client, store, env_path):
    text = {"command": "window", "id": "T", "type": "text", "content": "up", "title": ""}
    env = {"jsons": {"T": text}, "reload": {"T": {"x": 1}}, "experiment": {"name": "drop"}}
    response = upload(client, json.dumps(env).encode())
    assert response.status_code == 200
    body = response.get_json()
    eid = body["eid"]
    assert body["success"] is True and eid.startswith("uploaded_myenv_") and len(eid) == 23
    assert body["message"] == f"Dashboard loaded successfully as '{eid}'"
    assert store.window(eid, "T")["content"] == "up"
    with open(os.path.join(env_path, eid + ".json"), encoding="utf-8") as f:
        saved = json.load(f)
    assert saved["reload"] == {"T": {"x": 1}} and "experiment" not in saved


@pytest.mark.parametrize("filename", ["main.json", "notes.txt"])
def test_upload_names_without_a_usable_stem(client, filename):
    body = upload(client, b'{"jsons": {}, "reload": {}}', filename).get_json()
    assert body["eid"].startswith("uploaded_") and len(body["eid"]) == len("uploaded_") + 8


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "No file uploaded"),
        (b"{not json", "Invalid JSON file"),
        (b'{"jsons": {}}', "This is not a valid Visdom JSON"),
        (b"[1, 2]", "This is not a valid Visdom JSON"),
    ],
)
def test_upload_refusals_are_upstreams_json(client, store, content, message):
    before = store.env_ids()
    response = upload(client, content)
    assert response.status_code == 400
    body = response.get_json()
    assert body["success"] is False and body["error"] == message
    assert store.env_ids() == before


def test_upload_is_refused_on_a_readonly_server(make_app):
    response = upload(make_app(READONLY=True).test_client(), b'{"jsons": {}, "reload": {}}')
    assert response.status_code == 403
    assert response.get_json()["error"] == (
        "Uploads are disabled while the server is in readonly mode"
    )


# -- caps (off by default) -------------------------------------------------------------------


def test_caps_are_off_by_default_and_drop_old_data_when_set(make_app):
    for caps, lines, frames in (({}, 7, 6), ({"TEXT_MAX_LINES": 5, "IMAGE_HISTORY_MAX": 4}, 5, 4)):
        client = make_app(**caps).test_client()

        def send(path, body, client=client):
            return client.post(path, data=json.dumps(body))

        send("/events", {"eid": "c", "win": "T", "data": [{"type": "text", "content": "0"}]})
        img = {"src": "data:image/png;base64,AA==", "caption": "c"}
        send(
            "/events", {"eid": "c", "win": "I", "data": [{"type": "image_history", "content": img}]}
        )
        for n in range(1, 7):
            send(
                "/update",
                {
                    "eid": "c",
                    "win": "T",
                    "append": True,
                    "data": [{"type": "text", "content": str(n)}],
                },
            )
        for _ in range(5):
            send(
                "/update",
                {"eid": "c", "win": "I", "data": [{"type": "image_history", "content": img}]},
            )
        text = send("/win_data", {"eid": "c", "win": "T"}).get_json()["content"]
        assert len(text.split("<br>")) == lines and text.endswith("<br>6")
        history = send("/win_data", {"eid": "c", "win": "I"}).get_json()
        assert len(history["content"]) == frames and history["selected"] == frames - 1
