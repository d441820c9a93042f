"""Env endpoints, views, the polling channel and the health check."""

import json
import os

import pytest

from tests.support.waiting import wait_for


def body_text(response):
    return response.get_data(as_text=True)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# -- /env_state, /save, /fork_env, /delete_env ------------------------------------------


def test_env_state_lists_env_ids_in_creation_order(post, plot):
    plot(eid="b_env")
    plot(eid="a_env")
    response = post("/env_state", "{}")
    assert response.status_code == 200
    assert json.loads(body_text(response)) == ["main", "b_env", "a_env"]
    assert json.loads(body_text(post("/env_state", ""))) == ["main", "b_env", "a_env"]


def test_env_state_lists_envs_found_on_disk_first(make_app, env_path):
    with open(os.path.join(env_path, "disk.json"), "w", encoding="utf-8") as f:
        json.dump({"jsons": {}, "reload": {}}, f)
    client = make_app().test_client()
    assert json.loads(body_text(client.post("/env_state", data="{}"))) == ["disk", "main"]


def test_save_writes_upstream_files_and_answers_the_ids_written(post, plot, env_path):
    plot(eid="exp")
    response = post("/save", {"data": ["exp", "unknown"]})
    assert json.loads(body_text(response)) == ["exp"]
    saved = read_json(os.path.join(env_path, "exp.json"))
    assert saved["jsons"]["L"]["command"] == "window"
    assert saved["reload"] == {}
    assert not os.path.exists(os.path.join(env_path, "unknown.json"))


def test_fork_env_copies_and_writes_the_new_env(post, plot, store, env_path):
    plot(eid="src")
    response = post("/fork_env", {"prev_eid": "src", "eid": "dst"})
    assert body_text(response) == "dst"
    assert store.windows("dst") == store.windows("src")
    assert read_json(os.path.join(env_path, "dst.json"))["jsons"]["L"]["id"] == "L"


def test_delete_env_removes_memory_and_file(post, plot, store, env_path):
    plot(eid="gone")
    post("/save", {"data": ["gone"]})
    response = post("/delete_env", {"eid": "gone"})
    assert response.status_code == 200 and body_text(response) == ""
    assert "gone" not in store.env_ids()
    assert not os.path.exists(os.path.join(env_path, "gone.json"))


def test_delete_env_of_a_never_saved_env(post, plot, store):
    # upstream: 500 after the env already left memory
    plot(eid="fresh")
    assert post("/delete_env", {"eid": "fresh"}).status_code == 200
    assert "fresh" not in store.env_ids()


def test_changes_are_saved_without_pressing_save(make_app, env_path):
    client = make_app(SAVE_INTERVAL=0.05).test_client()
    body = {"eid": "auto", "win": "T", "data": [{"type": "text", "content": "kept"}]}
    assert client.post("/events", data=json.dumps(body)).status_code == 200
    path = os.path.join(env_path, "auto.json")
    wait_for(lambda: os.path.exists(path) and "T" in read_json(path)["jsons"], 5, path, 0.02)
    assert read_json(path)["jsons"]["T"]["content"] == "kept"


def test_everything_survives_an_app_restart(make_app, post, plot, store):
    plot(eid="keep")
    post(
        "/update",
        {
            "eid": "keep",
            "win": "L",
            "name": "a",
            "append": True,
            "data": [{"x": [2], "y": [3], "type": "scatter", "name": "a"}],
        },
    )
    before = store.windows("keep")
    store.close()
    again = make_app().extensions["visdom_store"]
    assert again.windows("keep") == before


# -- /env/<eid> POST (the upstream client's constructor) --------------------------------


def test_env_post_creates_the_env_and_sets_a_client_cookie(post, store):
    response = post("/env/newenv", {"eid": "newenv"})
    assert response.status_code == 200 and body_text(response) == ""
    assert "newenv" in store.env_ids()
    assert "user_password=" in response.headers.get("Set-Cookie", "")


def test_env_post_with_an_existing_env_changes_nothing(post, plot, store):
    plot()
    before = store.windows("main")
    assert post("/env/main", {"eid": "main"}).status_code == 200
    assert store.windows("main") == before
    assert store.env_ids() == ["main"]


# -- /compare and /api/env --------------------------------------------------------------


def test_compare_post_answers_the_merged_view(post, plot):
    plot("wa", eid="a")
    plot("wb", eid="b")
    response = post("/compare/a+b", {"sid": "ignored"})
    view = json.loads(body_text(response))
    assert view["eids"] == ["a", "b"]
    plots = [w for w in view["windows"] if w.get("type") == "plot"]
    assert len(plots) == 1
    assert [t["name"] for t in plots[0]["content"]["data"]] == ["0_a", "1_a"]
    assert view["windows"][-1]["id"] == "window_compare_legend"


def test_api_env_answers_windows_sorted_by_index_and_layouts(client, post, plot, store):
    plot("second")
    plot("first")
    store.set_layout_item("main", "first", {"x": 1, "y": 2, "w": 3, "h": 4})
    response = client.get("/api/env/main")
    assert response.status_code == 200
    content = response.get_json()
    assert content["eid"] == "main"
    assert [w["id"] for w in content["windows"]] == ["second", "first"]
    assert content["reload"] == {"first": {"x": 1, "y": 2, "w": 3, "h": 4}}


def test_api_env_of_an_unknown_env_is_a_404(client, error_of):
    error_of(client.get("/api/env/nothing_here"), 404, "eid")


def test_api_compare(client, plot):
    plot("w", eid="x1")
    plot("w", eid="x2")
    content = client.get("/api/compare/x1+x2").get_json()
    assert content["eids"] == ["x1", "x2"]


# -- /api/views -------------------------------------------------------------------------


def test_views_get_and_post(client, post, env_path):
    assert client.get("/api/views").get_json() == {}
    views = {"main": {"v1": {"L": [0, 3, 4]}}}
    response = post("/api/views", {"views": views})
    assert response.status_code == 200
    assert response.get_json() == views
    assert client.get("/api/views").get_json() == views
    assert read_json(os.path.join(env_path, "view", "layouts.json")) == views


# -- pages and health -------------------------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and body_text(response) == "ok"


@pytest.mark.parametrize("path", ["/", "/env/main", "/env/unknown", "/compare/main+other"])
def test_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"


# -- /vis_socket_wrap (upstream client polling) ------------------------------------------


def test_vis_socket_wrap_init_query_send(post):
    opened = json.loads(body_text(post("/vis_socket_wrap", {"message_type": "init"})))
    assert opened["success"] is True
    sid = opened["sid"]
    first = json.loads(body_text(post("/vis_socket_wrap", {"message_type": "query", "sid": sid})))
    assert first["success"] is True
    assert [json.loads(m) for m in first["messages"]] == [{"command": "alive", "data": "vis_alive"}]
    again = json.loads(body_text(post("/vis_socket_wrap", {"message_type": "query", "sid": sid})))
    assert again["messages"] == []
    echo = {"cmd": "echo", "data": "hello"}
    sent = post(
        "/vis_socket_wrap", {"message_type": "send", "sid": sid, "message": json.dumps(echo)}
    )
    assert json.loads(body_text(sent)) == {"success": True}
    got = json.loads(body_text(post("/vis_socket_wrap", {"message_type": "query", "sid": sid})))
    assert [json.loads(m) for m in got["messages"]] == [echo]


@pytest.mark.parametrize(
    "body, answer",
    [
        ({"message_type": "query", "sid": "unknown"}, {"success": False, "reason": "closed"}),
        ({"message_type": "send", "sid": "SID"}, {"success": False, "reason": "no msg"}),
        ({"message_type": "dance", "sid": "SID"}, {"success": False, "reason": "invalid"}),
    ],
)
def test_vis_socket_wrap_refusals_like_upstream(post, body, answer):
    sid = json.loads(body_text(post("/vis_socket_wrap", {"message_type": "init"})))["sid"]
    body = {k: (sid if v == "SID" else v) for k, v in body.items()}
    assert json.loads(body_text(post("/vis_socket_wrap", body))) == answer


def test_vis_socket_wrap_get_is_405(client, error_of):
    error_of(client.get("/vis_socket_wrap"), 405)


def test_api_env_post_is_not_a_route(post, store, error_of):
    # docs/socket-protocol.md defines GET only; a POST is a clean 4xx, never a 500
    before = store.env_ids()
    error_of(post("/api/env/other", {"eid": "other"}))
    assert store.env_ids() == before


def test_user_css_concatenates_config_and_env_path_files(make_app, env_path, tmp_path, monkeypatch):
    config_dir = tmp_path / "xdg"
    (config_dir / "visdom").mkdir(parents=True)
    (config_dir / "visdom" / "style.css").write_text("body { color: red; }")
    with open(f"{env_path}/style.css", "w") as f:
        f.write(".window { border: 0; }")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_dir))
    response = make_app().test_client().get("/user/style.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    text = response.get_data(as_text=True)
    assert text.index("color: red") < text.index("border: 0")


@pytest.mark.parametrize("path", ["/favicon.ico", "/no/such/page", "/robots.txt"])
def test_unknown_get_is_404_not_405(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_get_on_a_post_endpoint_is_still_405(client):
    assert client.get("/events").status_code == 405
