"""Every client function against a real server: the stored window is what was sent."""

import json

import numpy as np
import pytest

from .conftest import env_windows


@pytest.fixture
def stored(shared_server, eid):
    return lambda: env_windows(shared_server, eid)


def plot_types(window):
    return [trace["type"] for trace in window["content"]["data"]]


PLOTS = [
    ("line", lambda v: v.line(np.array([1.0, 2.0, 3.0]), win="w"), ["scatter"]),
    (
        "scatter",
        lambda v: v.scatter(np.random.rand(5, 2), [1, 2, 1, 2, 1], win="w"),
        ["scatter"] * 2,
    ),
    ("scatter3d", lambda v: v.scatter(np.random.rand(5, 3), win="w"), ["scatter3d"]),
    ("stem", lambda v: v.stem(np.random.rand(4, 2), win="w"), ["scatter", "scatter"]),
    ("quiver", lambda v: v.quiver(np.ones((2, 2)), np.ones((2, 2)), win="w"), ["scatter"]),
    ("heatmap", lambda v: v.heatmap(np.random.rand(3, 4), win="w"), ["heatmap"]),
    ("bar", lambda v: v.bar(np.random.rand(4, 2), win="w"), ["bar", "bar"]),
    ("histogram", lambda v: v.histogram(np.random.rand(40), win="w"), ["bar"]),
    ("boxplot", lambda v: v.boxplot(np.random.rand(10, 3), win="w"), ["box"] * 3),
    ("surf", lambda v: v.surf(np.random.rand(4, 4), win="w"), ["surface"]),
    ("contour", lambda v: v.contour(np.random.rand(4, 4), win="w"), ["contour"]),
    ("mesh", lambda v: v.mesh(np.random.rand(6, 3), win="w"), ["mesh3d"]),
    ("pie", lambda v: v.pie([1, 2, 3], win="w"), ["pie"]),
    ("sunburst", lambda v: v.sunburst(["r", "a"], ["", "r"], win="w"), ["sunburst"]),
    ("dual_axis", lambda v: v.dual_axis_lines([1, 2], [3, 4], [5, 6], win="w"), ["scatter"] * 2),
    (
        "plotly",
        lambda v: v.plotlyplot(
            {"data": [{"x": [1], "y": [2], "type": "bar"}], "layout": {}}, win="w"
        ),
        ["bar"],
    ),
    (
        "raw_send",
        lambda v: v._send(
            {"data": [{"x": [1], "y": [2], "type": "scatter"}], "layout": {}, "win": "w"}
        ),
        ["scatter"],
    ),
]


@pytest.mark.parametrize(("name", "call", "types"), PLOTS, ids=[p[0] for p in PLOTS])
def test_plot_functions_create_plot_windows(vis, stored, name, call, types):
    assert call(vis) == "w"
    window = stored()["w"]
    assert window["type"] == "plot"
    assert plot_types(window) == types


def test_plot_title_and_axis_labels_are_stored(vis, stored):
    vis.line([1.0, 2.0], [0, 1], win="w", opts={"title": "loss", "xlabel": "epoch"})
    window = stored()["w"]
    assert window["title"] == "loss"
    assert window["content"]["layout"]["xaxis"]["title"] == "epoch"


def test_text_and_append(vis, stored):
    vis.text("hello", win="t")
    vis.text("world", win="t", append=True)
    assert stored()["t"]["content"] == "hello<br>world"


def test_image_and_images(vis, stored):
    vis.image(np.random.rand(3, 8, 8), win="i", opts={"caption": "rand"})
    vis.images(np.random.rand(4, 3, 8, 8), nrow=2, win="g")
    windows = stored()
    assert windows["i"]["type"] == "image"
    assert windows["i"]["content"]["src"].startswith("data:image/png;base64,")
    assert windows["i"]["content"]["caption"] == "rand"
    assert windows["g"]["type"] == "image"


def test_image_history_keeps_every_image(vis, stored):
    for _ in range(3):
        vis.image(np.random.rand(8, 8), win="h", opts={"store_history": True})
    window = stored()["h"]
    assert window["type"] == "image_history"
    assert len(window["content"]) == 3


def test_html_panes(vis, stored, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().plot([1, 2])
    video = tmp_path / "v.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    vis.svg('<svg width="10" height="10"><circle r="4"/></svg>', win="svg")
    vis.matplot(fig, win="mpl")
    vis.audio(np.sin(np.arange(200) / 3.0), win="audio")
    vis.video(videofile=str(video), win="video")
    windows = stored()
    assert windows["svg"]["content"].startswith("<svg")
    assert "<svg" in windows["mpl"]["content"]
    assert 'src="data:audio/wav;base64,' in windows["audio"]["content"]
    assert 'type="video/mp4"' in windows["video"]["content"]
    assert all(windows[k]["type"] == "text" for k in ("svg", "mpl", "audio", "video"))


def test_properties(vis, stored):
    props = [
        {"type": "number", "name": "lr", "value": "0.1"},
        {"type": "button", "name": "go", "value": "Go"},
    ]
    vis.properties(props, win="p")
    window = stored()["p"]
    assert window["type"] == "properties"
    assert window["content"] == props


def test_graph(vis, stored):
    vis.graph([(0, 1), (1, 2)], win="net", opts={"directed": True})
    window = stored()["net"]
    assert window["type"] == "network"
    assert len(window["content"]["edges"]) == 2
    assert window["directed"] is True


def test_embeddings(vis, stored):
    features = np.random.RandomState(0).rand(12, 4)
    win = vis.embeddings(features, ["a"] * 6 + ["b"] * 6, win="emb")
    window = stored()["emb"]
    assert win == "emb" and window["type"] == "embeddings"
    assert len(window["content"]["data"]) == 12


def test_generated_window_ids_are_distinct(vis, stored):
    ids = [vis.text(str(i)) for i in range(5)]
    assert len(set(ids)) == 5
    assert set(ids) <= set(stored())


def test_env_and_window_management(vis, stored, shared_server, eid):
    vis.text("a", win="a")
    vis.text("b", win="b")
    assert vis.win_exists("a") is True
    assert vis.win_exists("zzz") is False
    assert len(vis.win_hash("a")) == 32
    assert vis.win_hash("zzz") is None
    assert json.loads(vis.get_window_data("a"))["content"] == "a"
    assert set(json.loads(vis.get_window_data())) == {"a", "b"}
    assert eid in vis.get_env_list()
    assert json.loads(vis.save([eid])) == [eid]
    assert vis.fork_env(eid, eid + "_fork") == eid + "_fork"
    assert set(env_windows(shared_server, eid + "_fork")) == {"a", "b"}
    vis.close("a")
    assert set(stored()) == {"b"}
    vis.close()
    assert stored() == {}
    vis.delete_env(eid + "_fork")
    assert eid + "_fork" not in vis.get_env_list()
    assert vis.check_connection() is True


def test_update_window_opts(vis, stored):
    vis.line([1.0, 2.0], win="w")
    vis.update_window_opts("w", {"title": "renamed", "xlabel": "x"})
    window = stored()["w"]
    assert window["title"] == "renamed"
    assert window["content"]["layout"]["xaxis"]["title"] == "x"
