"""Heatmap, surface and chart builders."""

import numpy as np
import pytest

from visdom_client import ArgumentError
from visdom_client.builders import charts, grids
from visdom_client.builders.common import layout_from_opts


def test_heatmap_nan_becomes_null_and_names_become_axes():
    req = grids.heatmap(
        np.array([[1.0, np.nan]]), win="H", opts={"columnnames": ["a", "b"], "rownames": ["r"]}
    )
    trace = req.body["data"][0]
    assert trace["z"] == [[1.0, None]]
    assert (trace["x"], trace["y"], trace["colorscale"]) == (["a", "b"], ["r"], "Viridis")


def test_heatmap_nancolor_adds_a_background_trace_first():
    req = grids.heatmap(np.ones((2, 2)), opts={"nancolor": "red"})
    assert [t.get("showscale") for t in req.body["data"]] == [False, None]
    assert req.body["data"][0]["colorscale"] == [[0, "red"], [1, "red"]]


@pytest.mark.parametrize(
    ("update", "append"), [("appendRow", True), ("prependColumn", True), ("replace", False)]
)
def test_heatmap_updates_carry_direction(update, append):
    req = grids.heatmap(np.ones((1, 2)), win="H", update=update)
    assert req.endpoint == "update"
    assert (req.body["append"], req.body["updateDir"], req.body["layout"]) == (append, update, {})


def test_heatmap_rejects_wrong_number_of_row_names():
    with pytest.raises(ArgumentError, match="rownames.*2 names.*got 1"):
        grids.heatmap(np.ones((2, 2)), opts={"rownames": ["a"]})


def test_surface_fills_range_and_uses_3d_layout():
    req = grids.surface(np.array([[1, 5], [2, 3]]), "surface")
    assert req.body["opts"]["xmin"] == 1.0 and req.body["opts"]["xmax"] == 5.0
    assert req.body["data"][0]["type"] == "surface"
    assert req.body["layout"]["scene"] == {}
    contour = grids.surface(np.array([[1, 5], [2, 3]]), "contour")
    assert "scene" not in contour.body["layout"]


def test_bar_one_trace_per_column_with_legend_and_stacking():
    req = charts.bar(np.array([[1, 2], [3, 4]]), opts={"stacked": True, "legend": ["a", "b"]})
    assert [(t["name"], t["y"], t["x"]) for t in req.body["data"]] == [
        ("a", [1, 3], [1, 2]),
        ("b", [2, 4], [1, 2]),
    ]
    assert req.body["layout"]["barmode"] == "stack"


def test_histogram_counts_into_bins():
    req = charts.histogram([1.0, 1.0, 3.0], opts={"numbins": 2})
    assert req.body["data"][0]["y"] == [2, 1]
    assert req.body["data"][0]["x"] == [1.0, 3.0]


def test_boxplot_names_columns():
    req = charts.boxplot(np.ones((3, 2)))
    assert [t["name"] for t in req.body["data"]] == ["column 0", "column 1"]


def test_pie_rejects_negative_values():
    with pytest.raises(ArgumentError, match="X: expected non-negative"):
        charts.pie([1, -1])


def test_mesh_3d_with_polygons():
    req = charts.mesh([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 1, 2]], opts={"opacity": 0.5})
    trace = req.body["data"][0]
    assert (trace["type"], trace["i"], trace["k"], trace["opacity"]) == ("mesh3d", [0], [2], 0.5)


def test_mesh_rejects_polygons_of_other_width():
    with pytest.raises(ArgumentError, match="Y: expected 2 columns"):
        charts.mesh([[0, 0], [1, 0]], [[0, 1, 2]])


def test_sunburst_checks_lengths():
    with pytest.raises(ArgumentError, match="parents"):
        charts.sunburst(["a", "b"], ["a"])


def test_dual_axis_lines_puts_second_trace_on_y2():
    req = charts.dual_axis_lines([1, 2], [3, 4], [5, 6], win="D", env="e")
    assert req.body["data"][1]["yaxis"] == "y2"
    assert req.body["layout"]["yaxis2"]["overlaying"] == "y"
    assert (req.body["opts"]["width"], req.body["opts"]["height"]) == (500, 300)


def test_layout_axis_range_needs_both_bounds_and_accepts_zero():
    assert layout_from_opts({"xtickmin": 0, "xtickmax": 5})["xaxis"]["range"] == [0, 5]
    assert "range" not in layout_from_opts({"xtickmin": 1})["xaxis"]


def test_layout_merges_plotly_layoutopts():
    layout = layout_from_opts({"layoutopts": {"plotly": {"hovermode": "x"}}})
    assert layout["hovermode"] == "x"
    assert layout["showlegend"] is False
