"""Image, text/HTML, plotly, graph and embeddings builders."""

import base64
import io
import wave

import numpy as np
import pytest
from PIL import Image

from visdom_client import ArgumentError, ArgumentTypeError
from visdom_client.builders import html, images, network, plotlyplot, tsne


def decode(src):
    header, payload = src.split(",", 1)
    return header, Image.open(io.BytesIO(base64.b64decode(payload)))


def test_float_gray_image_is_scaled_to_png():
    req = images.image(np.full((4, 6), 0.5), win="I", opts={"caption": "c"})
    header, img = decode(req.body["data"][0]["content"]["src"])
    assert header == "data:image/png;base64"
    # one channel (mode L), as 0.3.0 sends gray images
    assert img.mode == "L" and img.size == (6, 4) and img.getpixel((0, 0)) == 127
    assert (req.body["opts"]["width"], req.body["opts"]["height"]) == (6, 4)
    assert req.body["data"][0]["content"]["caption"] == "c"


def test_pil_image_and_hwc_array_are_accepted():
    pil = Image.new("RGB", (5, 7), (10, 20, 30))
    for value in (pil, np.asarray(pil)):
        req = images.image(value)
        _, img = decode(req.body["data"][0]["content"]["src"])
        assert img.size == (5, 7) and img.getpixel((1, 1)) == (10, 20, 30)


def test_jpeg_quality_switches_format():
    req = images.image(np.zeros((3, 4, 4)), opts={"jpgquality": 50})
    assert req.body["data"][0]["content"]["src"].startswith("data:image/jpeg;base64,")


def test_store_history_with_window_is_one_update_that_may_create():
    req = images.image(np.zeros((4, 4)), win="H", opts={"store_history": True}, history_append=True)
    assert req.endpoint == "update" and req.body["append"] is True
    assert req.body["data"][0]["type"] == "image_history"
    first = images.image(np.zeros((4, 4)), opts={"store_history": True})
    assert first.endpoint == "events"


def test_image_rejects_bad_shape():
    with pytest.raises(ArgumentError, match="img: expected an HxW or CxHxW"):
        images.image(np.zeros((2, 2, 2, 2)))


def test_grid_tiles_images_with_padding():
    out = images.grid(np.zeros((5, 3, 2, 2)), nrow=3, padding=1)
    assert out.shape == (3, 2 * 4, 3 * 4)
    assert out[0, 2, 2] == 0 and out[0, 0, 0] == 1


def test_grid_accepts_padding_zero_and_lists():
    out = images.grid([np.zeros((2, 2)), np.zeros((2, 2))], padding=0)
    assert out.shape == (3, 3, 5)


def test_text_append_goes_to_update():
    assert html.text("x", win="T", append=True).endpoint == "update"
    assert html.text(5).body["data"][0]["content"] == "5"
    with pytest.raises(ArgumentTypeError, match="text: expected a string"):
        html.text(["no"])


def test_properties_validate_item_types():
    req = html.properties([{"type": "checkbox", "name": "c", "value": True}])
    assert req.body["data"][0]["type"] == "properties"
    with pytest.raises(ArgumentError, match=r"data\[0\]\['type'\]"):
        html.properties([{"type": "slider", "name": "s", "value": 1}])


def test_svg_from_file_keeps_only_the_svg_element(tmp_path):
    path = tmp_path / "a.svg"
    path.write_text('<?xml version="1.0"?>\n<svg width="1">\n<g/>\n</svg>\n')
    req = html.svg(svgfile=str(path))
    assert req.body["data"][0]["content"] == '<svg width="1">\n<g/>\n</svg>'
    with pytest.raises(ArgumentError, match="svgfile"):
        html.svg(svgfile=str(tmp_path / "missing.svg"))


def test_matplot_sends_svg_sized_like_upstream():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    fig.add_subplot().plot([1, 2, 3])
    req = html.matplot(fig, opts={"title": "mpl"})
    content = req.body["data"][0]["content"]
    assert content.startswith("<svg ") and content.endswith("</svg>")
    assert req.body["opts"]["height"] == pytest.approx(1.4 * 216)
    assert req.body["opts"]["width"] == pytest.approx(1.35 * 288)
    resizable = html.matplot(fig, opts={"resizable": True})
    tag = resizable.body["data"][0]["content"].split(">", 1)[0]
    assert "width=" not in tag and "height=" not in tag
    assert resizable.body["opts"]["height"] == pytest.approx(1.4 * 216)


def test_audio_tensor_is_a_wav_data_uri():
    req = html.audio(np.sin(np.arange(64)), opts={"sample_frequency": 8000})
    content = req.body["data"][0]["content"]
    payload = content.split("base64,", 1)[1].split('"', 1)[0]
    with wave.open(io.BytesIO(base64.b64decode(payload))) as wav:
        assert (wav.getframerate(), wav.getnframes(), wav.getnchannels()) == (8000, 64, 1)
    assert (req.body["opts"]["width"], req.body["opts"]["height"]) == (330, 80)


def test_video_file_type_and_flags(tmp_path):
    path = tmp_path / "v.webm"
    path.write_bytes(b"webm")
    req = html.video(videofile=str(path), opts={"autoplay": True})
    content = req.body["data"][0]["content"]
    assert content.startswith("<video controls autoplay>")
    assert 'type="video/webm"' in content
    with pytest.raises(ArgumentError, match="videofile"):
        html.video(videofile=str(tmp_path / "v.txt"))


def test_plotly_figure_is_sent_unchanged_with_title_in_opts():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout={"title": {"text": "pl"}})
    req = plotlyplot(fig, win="P")
    assert req.body["data"][0]["y"] == [3, 4]
    assert req.body["opts"] == {"title": "pl"}
    assert plotlyplot({"data": [], "layout": {"title": "context"}}).body["opts"] == {
        "title": "context"
    }
    with pytest.raises(ArgumentTypeError, match="figure"):
        plotlyplot([1, 2])


def test_graph_orders_edges_like_networkx():
    req = network.graph([(0, 1), (1, 2), (2, 0), (0, 3), (1, 0)])
    content = req.body["data"][0]["content"]
    assert [(e["source"], e["target"]) for e in content["edges"]] == [
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 2),
    ]
    assert [n["name"] for n in content["nodes"]] == [0, 1, 2, 3]


def test_graph_requires_consecutive_node_numbers():
    with pytest.raises(ArgumentError, match="node 1 missing"):
        network.graph([(0, 2)])


def test_embedding_points_group_labels():
    points = network.embedding_points(["b", "a", "b"], [[0, 0], [1, 1], [2, 2]])
    assert [p["group"] for p in points] == [1, 0, 1]
    assert points[2] == {
        "group": 1,
        "name": "Entity 2",
        "label": "b",
        "position": [2.0, 2.0],
        "idx": 2,
    }


def test_tsne_separates_clusters_and_normalises():
    rng = np.random.default_rng(1)
    features = np.vstack([rng.normal(0, 0.1, (15, 5)), rng.normal(5, 0.1, (15, 5))])
    positions = tsne.embed(features)
    assert positions.shape == (30, 2)
    assert positions.min() == pytest.approx(-1) and positions.max() == pytest.approx(1)
    a, b = positions[:15].mean(axis=0), positions[15:].mean(axis=0)
    spread = max(positions[:15].std(axis=0).max(), positions[15:].std(axis=0).max())
    assert np.linalg.norm(a - b) > 3 * spread
