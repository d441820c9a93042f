"""Update modes against a real server: append, replace, remove, NaN masking, heatmaps."""

import numpy as np
import pytest

from .conftest import env_windows


@pytest.fixture
def traces(shared_server, eid):
    def get(win="w"):
        window = env_windows(shared_server, eid)[win]
        return {t.get("name"): (t["x"], t["y"]) for t in window["content"]["data"]}

    return get


def test_append_extends_each_line(vis, traces):
    vis.line(np.array([[1.0, 10.0], [2.0, 20.0]]), np.array([0, 1]), win="w")
    vis.line(np.array([[3.0, 30.0]]), np.array([2]), win="w", update="append")
    assert traces() == {"1": ([0, 1, 2], [1, 2, 3]), "2": ([0, 1, 2], [10, 20, 30])}


def test_append_to_one_named_trace(vis, traces):
    vis.line(np.array([1.0, 2.0]), np.array([0, 1]), win="w", name="a")
    vis.line(np.array([5.0]), np.array([0]), win="w", name="b", update="append")
    vis.line(np.array([3.0]), np.array([2]), win="w", name="a", update="append")
    assert traces() == {"a": ([0, 1, 2], [1, 2, 3]), "b": ([0], [5])}


def test_replace_swaps_the_trace_data(vis, traces):
    vis.line(np.array([1.0, 2.0]), np.array([0, 1]), win="w", name="a")
    vis.line(np.array([7.0]), np.array([9]), win="w", name="a", update="replace")
    assert traces() == {"a": ([9], [7])}


def test_remove_deletes_the_named_trace(vis, traces):
    vis.line(np.array([1.0]), np.array([0]), win="w", name="a")
    vis.line(np.array([2.0]), np.array([0]), win="w", name="b", update="append")
    vis.line(None, win="w", name="b", update="remove")
    assert set(traces()) == {"a"}


def test_all_nan_append_is_masked(vis, traces):
    vis.line(np.array([[1.0, 1.0]]), np.array([0]), win="w")
    vis.line(np.array([[np.nan, 2.0]]), np.array([[np.nan, 1]]), win="w", update="append")
    assert traces() == {"1": ([0], [1]), "2": ([0, 1], [1, 2])}


def test_partial_nan_is_stored_as_a_gap(vis, traces):
    vis.line(np.array([1.0, np.nan, 3.0]), np.array([0, 1, 2]), win="w")
    assert traces() == {"1": ([0, 1, 2], [1, None, 3])}


def test_first_append_creates_the_window_with_its_layout(vis, shared_server, eid):
    opts = {"title": "loss", "xlabel": "step"}
    vis.line([0.5], [0], win="loss", update="append", opts=opts)
    vis.line([0.4], [1], win="loss", update="append", opts=opts)
    window = env_windows(shared_server, eid)["loss"]
    assert window["content"]["data"][0]["y"] == [0.5, 0.4]
    assert window["title"] == "loss"
    assert window["content"]["layout"]["xaxis"]["title"] == "step"


def test_scatter_append_to_label_trace(vis, traces):
    vis.scatter(
        np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([1, 2]), win="w", opts={"legend": ["p", "q"]}
    )
    vis.scatter(np.array([[2.0, 2.0]]), win="w", name="q", update="append")
    assert traces() == {"p": ([0], [0]), "q": ([1, 2], [1, 2])}


def test_heatmap_append_row_and_column(vis, shared_server, eid):
    vis.heatmap(np.array([[1.0, 2.0]]), win="h")
    vis.heatmap(np.array([[3.0, 4.0]]), win="h", update="appendRow")
    vis.heatmap(np.array([[5.0], [6.0]]), win="h", update="appendColumn")
    z = env_windows(shared_server, eid)["h"]["content"]["data"][0]["z"]
    assert z == [[1, 2, 5], [3, 4, 6]]


def test_heatmap_replace(vis, shared_server, eid):
    vis.heatmap(np.array([[1.0, 2.0]]), win="h")
    vis.heatmap(np.array([[9.0]]), win="h", update="replace")
    assert env_windows(shared_server, eid)["h"]["content"]["data"][0]["z"] == [[9]]
