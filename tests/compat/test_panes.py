"""Images, text, media, properties, graph and embeddings through the upstream client."""

import pytest

SCRIPT = """
vis = connect()
img = (np.random.rand(3, 8, 6) * 255).astype(np.uint8)
out["image"] = vis.image(img, win="image", opts=dict(caption="cap", title="img"))
out["images"] = vis.images(np.random.rand(4, 3, 8, 8), nrow=2, win="images")
out["history1"] = vis.image(img, win="history", opts=dict(store_history=True))
out["history2"] = vis.image(img, win="history", opts=dict(store_history=True))
out["text"] = vis.text("hello <b>x</b>", win="text", opts=dict(title="t"))
out["text_append"] = vis.text("more", win="text", append=True)
out["text_missing"] = vis.text("nope", win="no_such_text", append=True)
out["svg"] = vis.svg(svgstr='<svg height="30" width="30"><circle cx="15" cy="15" r="10"/></svg>', win="svg")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.plot([1, 2, 3], [4, 5, 6])
out["matplot"] = vis.matplot(plt, win="matplot")
out["audio"] = vis.audio(tensor=np.sin(np.linspace(0, 100, 4000)), win="audio",
                         opts=dict(sample_frequency=8000))
path = os.path.join(os.environ["TMPDIR_VIDEO"], "clip.mp4")
with open(path, "wb") as f:
    f.write(b"\\x00\\x00\\x00\\x18ftypmp42fake")
out["video"] = vis.video(videofile=path, win="video")
props = [
    {"type": "text", "name": "Text input", "value": "initial"},
    {"type": "number", "name": "Number input", "value": "12"},
    {"type": "button", "name": "Button", "value": "Start"},
    {"type": "checkbox", "name": "Checkbox", "value": True},
    {"type": "select", "name": "Select", "value": 1, "values": ["Red", "Green", "Blue"]},
]
out["properties"] = vis.properties(props, win="properties")
out["graph"] = vis.graph([[0, 1], [1, 2]], edgeLabels=["a", "b"], nodeLabels=["n0", "n1", "n2"],
                         win="graph", opts=dict(directed=True))
visdom.do_tsne = lambda X: np.asarray(X)[:, :2].tolist()
feats = np.random.rand(30, 4)
labels = [i % 3 for i in range(30)]
out["embeddings"] = connect(use_incoming_socket=True).embeddings(feats, labels, win="embeddings")
out["opts"] = vis.update_window_opts(win="image", opts=dict(title="renamed", width=300))
"""


@pytest.fixture(scope="module")
def panes(upstream, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("video")
    result = upstream.run(SCRIPT, env="panes", extra_env={"TMPDIR_VIDEO": str(tmp)})
    return result, upstream.env("panes")


@pytest.mark.parametrize(
    "win,wtype",
    [
        ("image", "image"),
        ("images", "image"),
        ("history", "image_history"),
        ("text", "text"),
        ("svg", "text"),
        ("matplot", "text"),
        ("audio", "text"),
        ("video", "text"),
        ("properties", "properties"),
        ("graph", "network"),
        ("embeddings", "embeddings"),
    ],
)
def test_pane_type(panes, win, wtype):
    _, windows = panes
    assert windows[win]["type"] == wtype


def test_image_content(panes):
    result, windows = panes
    assert result["image"] == "image"
    content = windows["image"]["content"]
    assert content["src"].startswith("data:image/png;base64,")
    assert content["caption"] == "cap"


def test_update_window_opts_changes_title_and_width(panes):
    _, windows = panes
    assert windows["image"]["title"] == "renamed"
    assert windows["image"]["width"] == 300


def test_image_history_keeps_both_images(panes):
    _, windows = panes
    history = windows["history"]
    assert len(history["content"]) == 2 and history["selected"] == 1


def test_text_append_and_missing_window(panes):
    result, windows = panes
    assert windows["text"]["content"] == "hello <b>x</b><br>more"
    assert result["text_missing"] == "win does not exist"
    assert "no_such_text" not in windows


def test_media_are_html(panes):
    _, windows = panes
    assert windows["svg"]["content"].startswith("<svg")
    assert "<svg" in windows["matplot"]["content"]
    assert "data:audio/wav;base64," in windows["audio"]["content"]
    assert "data:video/mp4;base64," in windows["video"]["content"]


def test_properties_graph_embeddings(panes):
    _, windows = panes
    props = windows["properties"]["content"]
    assert [p["type"] for p in props] == ["text", "number", "button", "checkbox", "select"]
    graph = windows["graph"]
    assert graph["directed"] is True
    assert len(graph["content"]["edges"]) == 2 and len(graph["content"]["nodes"]) == 3
    emb = windows["embeddings"]["content"]
    assert len(emb["data"]) == 30 and emb["has_previous"] is False
