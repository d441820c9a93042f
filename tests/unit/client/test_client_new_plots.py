"""Builders of 0.3.0's other additions: violin, 2-D histogram, parallel coordinates, sankey,
table, 3-D lines, plot history, free-form labels, images and the slider index."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from visdom_client import ArgumentError, ArgumentTypeError
from visdom_client.builders import (
    charts,
    distributions,
    html,
    image_extras,
    images,
    lines,
    plotly,
    traces,
)
from visdom_client.transport import encode


def decode(src):
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))


def test_violin_one_trace_per_column_and_horizontal_option():
    req = distributions.violin(np.array([[1.0, 2.0], [3.0, 4.0]]), opts={"legend": ["a", "b"]})
    first = req.body["data"][0]
    assert first["name"] == "a" and first["y"] == [1.0, 3.0] and first["jitter"] == 0.3
    assert first["box"] == {"visible": True} and first["points"] is False
    h = distributions.violin([1.0, 2.0], opts={"orientation": "h"}).body["data"][0]
    assert h["x"] == [1.0, 2.0] and h["orientation"] == "h" and "y" not in h
    with pytest.raises(ArgumentError, match="side"):
        distributions.violin([1.0], opts={"side": "left"})


def test_histogram2d_maps_bin_opts_to_plotly():
    trace = distributions.histogram2d([1, 2], [3, 4], opts={"xnumbins": 4}).body["data"][0]
    assert trace == {
        "x": [1, 2],
        "y": [3, 4],
        "type": "histogram2d",
        "colorscale": "Viridis",
        "nbinsx": 4,
    }
    with pytest.raises(ArgumentError, match="Y"):
        distributions.histogram2d([1, 2], [3])


def test_parallel_coordinates_pads_ranges_and_colours_by_y():
    req = distributions.parallel_coordinates(
        np.array([[0.0, 10.0], [1.0, 20.0]]), [0.5, 0.9], opts={"title": "hp"}
    )
    trace = req.body["data"][0]
    assert trace["dimensions"][0]["range"] == [-0.05, 1.05]
    assert trace["dimensions"][1]["label"] == "Dim 2"
    assert trace["line"]["cmin"] == 0.5 and trace["domain"] == {"y": [0, 0.85]}
    assert req.body["layout"]["title"] == {"text": "hp", "x": 0.5, "xanchor": "center"}
    assert req.body["opts"]["width"] == 600 and req.body["opts"]["height"] == 450
    with pytest.raises(ArgumentError, match="2 columns"):
        distributions.parallel_coordinates([[1.0], [2.0]])


def test_sankey_nodes_links_and_label_coverage():
    req = charts.sankey([0, 1], [1, 2], [5, 3], labels=["A", "B", "C"])
    assert req.body["data"][0] == {
        "type": "sankey",
        "orientation": "h",
        "node": {"pad": 15, "thickness": 20, "label": ["A", "B", "C"]},
        "link": {"source": [0, 1], "target": [1, 2], "value": [5, 3]},
    }
    with pytest.raises(ArgumentError, match="labels"):
        charts.sankey([0], [3], [1], labels=["A"])
    with pytest.raises(ArgumentError, match="source"):
        charts.sankey([-1], [0], [1])


def test_table_escapes_cells_and_checks_row_length():
    req = html.table(["<h>"], [["a&b"]], win="T")
    content = req.body["data"][0]["content"]
    assert "<th>&lt;h&gt;</th>" in content and "<td>a&amp;b</td>" in content
    assert content.startswith("<style>") and req.body["data"][0]["type"] == "text"
    with pytest.raises(ArgumentError, match=r"data\[0\]"):
        html.table(["a", "b"], [["only one"]])
    with pytest.raises(ArgumentTypeError, match="headers"):
        html.table("a", [])


def test_3d_line_and_its_append():
    req = lines.line([1.0, 2.0], [0.0, 1.0], Z=[5.0, 6.0], win="L")
    trace = req.body["data"][0]
    assert trace["type"] == "scatter3d" and trace["z"] == [5.0, 6.0]
    assert "scene" in req.body["layout"]
    append = lines.line([3.0], [2.0], Z=[7.0], win="L", update="append")
    assert append.endpoint == "update" and append.body["data"][0]["z"] == [7.0]
    with pytest.raises(ArgumentError, match="Z"):
        lines.line([1.0], is3d=True)


def test_insert_sends_what_replace_sends():
    insert = lines.line([1.0, 2.0], [0, 1], win="L", update="insert", name="2")
    replace = lines.line([1.0, 2.0], [0, 1], win="L", update="replace", name="2")
    assert insert == replace and insert.body["append"] is False


def test_store_history_builds_a_plot_history_frame():
    req = traces.scatter(np.ones((2, 2)), win="H", opts={"store_history": True, "caption": "c"})
    frame = req.body["data"][0]
    assert frame["type"] == "plot_history" and frame["content"]["caption"] == "c"
    assert frame["content"]["data"][0]["type"] == "scatter" and "layout" in frame["content"]
    with pytest.raises(ArgumentError, match="store_history"):
        lines.line([1.0], [1.0], win="H", update="append", opts={"store_history": True})


def test_string_labels_name_traces_and_per_point_sizes():
    req = traces.scatter(
        np.ones((3, 2)), ["dog", "cat", "dog"], opts={"markersize": [1.0, 2.0, 3.0]}
    )
    cat, dog = req.body["data"]
    assert (cat["name"], dog["name"]) == ("cat", "dog")
    assert dog["marker"]["size"] == [1.0, 3.0] and "markersize" not in req.body["opts"]


def test_tight_layout_removes_margins_and_sets_automargin():
    layout = lines.line([1.0, 2.0], opts={"tight_layout": True, "xlabel": "x"}).body["layout"]
    assert layout["margin"] == {"l": 0, "r": 0, "t": 30, "b": 0}
    assert layout["xaxis"]["automargin"] is True


def test_images_gray_rgba_and_signed_floats():
    gray = decode(images.image(np.full((2, 3), 0.5)).body["data"][0]["content"]["src"])
    assert gray.mode == "L" and gray.getpixel((0, 0)) == 127
    rgba = images.image(np.ones((4, 2, 2)), opts={"jpgquality": 50})
    src = rgba.body["data"][0]["content"]["src"]
    assert src.startswith("data:image/png") and decode(src).mode == "RGBA"
    signed = decode(images.image(np.full((2, 2), -1.0)).body["data"][0]["content"]["src"])
    assert signed.getpixel((0, 0)) == 0
    scaled = images.image(np.array([[0.0, 20.0]]), opts={"normalize": True})
    assert decode(scaled.body["data"][0]["content"]["src"]).getpixel((1, 0)) == 255


def test_image_heatmap_blends_by_heat_and_alpha():
    img = np.zeros((3, 2, 2), dtype=np.uint8)
    heat = np.array([[0.0, 1.0], [0.0, 0.0]])
    req = image_extras.image_heatmap(img, heat, opts={"alpha": 1.0, "colormap": "gray"})
    out = decode(req.body["data"][0]["content"]["src"])
    assert out.getpixel((0, 0)) == (0, 0, 0) and out.getpixel((1, 0)) == (255, 255, 255)
    with pytest.raises(ArgumentError, match="heatmap"):
        image_extras.image_heatmap(img, np.zeros((3, 3)))
    with pytest.raises(ArgumentError, match="alpha"):
        image_extras.image_heatmap(img, heat, opts={"alpha": 2})


@pytest.mark.parametrize("index, expected", [(2, 2), (3.0, 3), (np.int64(4), 4), (np.array(5), 5)])
def test_slider_index_accepts_integral_values(index, expected):
    assert image_extras.slider_index(index) == expected


@pytest.mark.parametrize(
    "index, error", [(True, ArgumentTypeError), (1.5, ArgumentError), (float("nan"), ArgumentError)]
)
def test_slider_index_refuses_bools_fractions_and_nan(index, error):
    with pytest.raises(error, match="index"):
        image_extras.slider_index(index)


def test_plotly_binary_arrays_are_decoded():
    data = {"dtype": "f8", "bdata": base64.b64encode(np.array([1.5, 2.5]).tobytes()).decode()}
    fig = {"data": [{"y": data}], "layout": {"width": 300}}
    req = plotly.plotlyplot(fig)
    assert req.body["data"][0]["y"] == [1.5, 2.5] and req.body["opts"] == {"width": 300}


def test_bodies_are_strict_json():
    text = encode({"a": [1.0, float("nan")], "b": np.array([np.inf]), "c": {"d": -np.inf}})
    assert json.loads(text) == {"a": [1.0, None], "b": [None], "c": {"d": None}}
