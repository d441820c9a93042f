"""The functions visdom 0.3.0 added, through our client against a real server."""

import json

import numpy as np
import pytest
import requests

from tests.support.waiting import wait_for

from .conftest import env_windows


@pytest.fixture
def stored(shared_server, eid):
    return lambda: env_windows(shared_server, eid)


PLOTS = [
    ("sankey", lambda v: v.sankey([0, 1], [1, 2], [5, 3], win="w"), ["sankey"]),
    ("violin", lambda v: v.violin(np.random.rand(8, 2), win="w"), ["violin", "violin"]),
    (
        "histogram2d",
        lambda v: v.histogram2d(np.random.rand(9), np.random.rand(9), win="w"),
        ["histogram2d"],
    ),
    (
        "parallel_coordinates",
        lambda v: v.parallel_coordinates(np.random.rand(4, 3), np.random.rand(4), win="w"),
        ["parcoords"],
    ),
    (
        "confusion_matrix",
        lambda v: v.confusion_matrix(y_true=[0, 1, 1], y_pred=[0, 1, 0], win="w"),
        ["heatmap"],
    ),
    (
        "roc_curve",
        lambda v: v.roc_curve(y_true=[0, 1, 1, 0], y_score=[0.2, 0.9, 0.6, 0.4], win="w"),
        ["scatter", "scatter"],
    ),
    (
        "pr_curve",
        lambda v: v.pr_curve(y_true=[0, 1, 1, 0], y_score=[0.2, 0.9, 0.6, 0.4], win="w"),
        ["scatter", "scatter"],
    ),
    (
        "learning_curve",
        lambda v: v.learning_curve({"train": [1.0, 0.5], "val": [1.2, 0.8]}, win="w"),
        ["scatter", "scatter"],
    ),
    ("line_3d", lambda v: v.line([1.0, 2.0], [0.0, 1.0], Z=[3.0, 4.0], win="w"), ["scatter3d"]),
]


@pytest.mark.parametrize(("name", "call", "types"), PLOTS, ids=[p[0] for p in PLOTS])
def test_new_plot_functions_create_plot_windows(vis, stored, name, call, types):
    assert call(vis) == "w"
    window = stored()["w"]
    assert window["type"] == "plot"
    assert [t["type"] for t in window["content"]["data"]] == types


def test_table_is_an_escaped_html_text_window(vis, stored):
    vis.table(["k", "v"], [["<x>", 1]], win="t")
    window = stored()["t"]
    assert window["type"] == "text" and "<td>&lt;x&gt;</td>" in window["content"]


def test_confusion_matrix_replace_then_remove(vis, stored):
    """Needs /update with "delete": true to delete the window (issue 10, part 1)."""
    vis.confusion_matrix(cm=[[1, 2], [3, 4]], win="cm")
    vis.confusion_matrix(cm=[[9, 0], [0, 9]], win="cm", update="replace")
    assert stored()["cm"]["content"]["data"][0]["z"] == [[9, 0], [0, 9]]
    vis.confusion_matrix(win="cm", update="remove")
    assert "cm" not in stored()


def test_learning_curve_append_adds_one_point_per_metric(vis, stored):
    """Needs opts.legend with a name to rename only that trace (delta doc 3.5)."""
    vis.learning_curve({"train": [1.0, 0.5], "val": [1.2, 0.8]}, win="lc")
    vis.learning_curve({"train": 0.4, "val": 0.7}, step=2, win="lc", update="append")
    traces = {t["name"]: t for t in stored()["lc"]["content"]["data"]}
    assert traces["train"]["x"] == [0, 1, 2] and traces["val"]["y"] == [1.2, 0.8, 0.7]


def test_insert_adds_a_trace_like_upstream_demo(vis, stored):
    vis.line([1.0, 2.0], [0.0, 1.0], win="ins")
    vis.line([5.0, 6.0], [0.0, 1.0], win="ins", update="insert", name="2")
    assert [t["name"] for t in stored()["ins"]["content"]["data"]] == ["1", "2"]


def test_image_heatmap_and_slider(vis, stored):
    assert vis.image_heatmap(np.random.rand(3, 6, 5), np.random.rand(6, 5), win="hm") == "hm"
    assert stored()["hm"]["content"]["src"].startswith("data:image/png;base64,")
    for _ in range(3):
        vis.image(np.random.rand(3, 4, 4), win="ih", opts={"store_history": True})
    vis.image_select("ih", 0)
    assert stored()["ih"]["selected"] == 0
    vis.update_image_slider("ih", np.int64(1))
    assert stored()["ih"]["selected"] == 1


def test_get_env_state_returns_the_window_map(vis, eid):
    vis.text("hello", win="t1")
    state = vis.get_env_state(eid)
    assert set(state) == {"t1"} and state["t1"]["content"] == "hello"
    assert vis.get_env_state("c_no_such_env_030") is None


def test_delete_envs_deletes_each(shared_server, vis, eid):
    for suffix in ("x", "y"):
        vis.text("t", win="t", env=f"{eid}_{suffix}")
    vis.delete_envs([f"{eid}_x", f"{eid}_y"])
    assert env_windows(shared_server, f"{eid}_x") == {}
    assert f"{eid}_y" not in vis.get_env_list()


def test_socket_alive_after_connecting(vis):
    assert vis.socket_alive is True


def test_nan_values_are_stored_as_null(shared_server, vis, eid):
    vis.surf(np.array([[1.0, np.nan], [2.0, 3.0]]), win="s")
    body = requests.post(
        f"{shared_server.url}/win_data", json={"eid": eid, "win": "s"}, timeout=10
    ).text
    assert json.loads(body)["content"]["data"][0]["z"] == [[1.0, None], [2.0, 3.0]]


def test_experiment_life_cycle(vis, eid):
    """Needs POST /experiments/log (delta doc 3.2.1)."""
    first = vis.experiment("run1", {"lr": 0.1}, {"model": "mlp"}, "a run")
    assert first["name"] == "run1" and first["status"] == "running"
    assert first["params"] == [{"key": "lr", "value": 0.1, "dtype": "float"}]
    logged = vis.log_metrics({"loss": 0.5}, step=1)
    assert [(m["key"], m["value"], m["step"]) for m in logged["metrics"]] == [("loss", 0.5, 1)]
    done = vis.finish_experiment("failed")
    assert done["status"] == "failed" and done["finished_at"] is not None
    assert done["env_id"] == eid


def test_3d_line_append_extends_z(vis, stored):
    """Needs scatter3d appends with z on /update (delta doc 3.5)."""
    vis.line([1.0], [0.0], Z=[5.0], win="l3")
    vis.line([2.0], [1.0], Z=[6.0], win="l3", update="append")
    trace = stored()["l3"]["content"]["data"][0]
    assert trace["x"] == [0.0, 1.0] and trace["z"] == [5.0, 6.0]


def test_line_store_history_adds_frames(vis, stored):
    """Needs plot_history panes: created by /events, a frame added by /update (3.5, 3.6)."""
    for step in range(3):
        vis.line([1.0, float(step)], win="ph", opts={"store_history": True, "caption": str(step)})
    window = wait_for(lambda: stored().get("ph"))
    assert window["type"] == "plot_history"
    assert [frame["caption"] for frame in window["content"]] == ["0", "1", "2"]


def test_idle_session_is_closed_and_reopened(shared_server, eid):
    from visdom_client import Visdom

    vis = Visdom(
        port=shared_server.port,
        server="http://127.0.0.1",
        env=eid,
        use_incoming_socket=False,
        session_idle_timeout=0.2,
        session_idle_check_interval=0.05,
    )
    try:
        assert wait_for(lambda: vis._transport._session is None, timeout=5)
        assert vis.text("again", win="t") == "t"
        assert vis._transport._session is not None
    finally:
        vis.shutdown()


def test_pytorch_logger_makes_one_window_per_metric(vis, stored):
    from visdom_client.pytorch import VisdomLogger

    with VisdomLogger(vis, env=vis.env, log_every=2) as tracker:
        for value in (1.0, 0.5, 0.25):
            tracker.log("loss", value)
        tracker.log("acc", np.float64(0.9))
    windows = {w["title"]: w for w in stored().values()}
    assert set(windows) == {"loss", "acc"}
    loss = windows["loss"]["content"]["data"][0]
    assert loss["x"] == [1, 2, 3] and loss["y"] == [1.0, 0.5, 0.25]
