"""Line/scatter builders: traces, updates, NaN, the one-point fast path, validation."""

import json
import math

import numpy as np
import pytest

from visdom_client import ArgumentError, ArgumentTypeError
from visdom_client.builders import lines, traces


def general_line(monkeypatch, *args, **kwargs):
    monkeypatch.setattr(lines, "point_append", lambda *a, **k: None)
    return lines.line(*args, **kwargs)


def test_line_makes_one_trace_per_column():
    req = lines.line(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1]), win="L", env="e")
    assert req.endpoint == "events"
    assert [t["name"] for t in req.body["data"]] == ["1", "2"]
    assert req.body["data"][1]["y"] == [2.0, 4.0]
    assert req.body["data"][1]["x"] == [0.0, 1.0]


def test_line_without_x_spreads_points_over_unit_interval():
    req = lines.line(np.array([5, 6, 7]))
    assert req.body["data"][0]["x"] == [0.0, 0.5, 1.0]


def test_line_opts_fill_in_defaults_and_layout():
    req = lines.line([1.0, 2.0], [0, 1], opts={"title": 3, "xlabel": "step"})
    opts = req.body["opts"]
    assert opts["title"] == "3"
    assert opts["mode"] == "lines" and opts["markers"] is False
    assert req.body["layout"]["xaxis"] == {"title": "step"}
    assert req.body["layout"]["title"] == "3"


def test_caller_opts_are_not_mutated():
    opts = {"title": "t", "markercolor": np.array([1, 2])}
    traces.scatter(np.ones((2, 2)), opts=opts)
    assert set(opts) == {"title", "markercolor"}


@pytest.mark.parametrize(
    ("y", "x"),
    [
        (np.array([3.0]), np.array([2.0])),
        (np.array([3.0]), np.array([2])),
        (np.array([3]), np.array([2])),
        ([3.0], [2]),
        (3.5, 7),
        (np.float64(1.5), np.int64(4)),
        (np.array([np.nan]), np.array([1.0])),
        (float("nan"), float("nan")),
    ],
)
@pytest.mark.parametrize(
    "opts", [None, {"title": "t", "legend": ["a"]}, {"markers": True, "fillarea": True}]
)
@pytest.mark.parametrize("first", [False, True])
def test_single_point_fast_path_equals_general_path(monkeypatch, y, x, opts, first):
    fast = lines.line(
        y, x, win="W", env="e", opts=opts, update="append", name="n", first_append=first
    )
    slow = general_line(
        monkeypatch,
        y,
        x,
        win="W",
        env="e",
        opts=opts,
        update="append",
        name="n",
        first_append=first,
    )
    assert json.dumps(fast.body, sort_keys=True) == json.dumps(slow.body, sort_keys=True)


def test_append_goes_to_update_with_empty_layout_unless_first():
    req = lines.line([1.0], [1.0], win="W", update="append", opts={"title": "t"})
    assert req.endpoint == "update"
    assert req.body["append"] is True and req.body["layout"] == {}
    first = lines.line(
        [1.0], [1.0], win="W", update="append", opts={"title": "t"}, first_append=True
    )
    assert first.body["layout"]["title"] == "t"


def test_replace_is_an_update_without_append():
    req = lines.line([1.0, 2.0], [0, 1], win="W", update="replace", name="a")
    assert req.endpoint == "update" and req.body["append"] is False
    assert req.body["name"] == "a"


def test_remove_sends_delete_for_the_named_trace():
    req = lines.line(None, win="W", env="e", update="remove", name="a")
    assert req.endpoint == "update"
    assert req.body == {"data": [], "name": "a", "delete": True, "win": "W", "eid": "e"}


def test_nan_becomes_null_in_x_and_y():
    req = traces.scatter(np.array([[1.0, np.nan], [np.nan, 2.0]]))
    trace = req.body["data"][0]
    assert trace["x"] == [1.0, None] and trace["y"] == [None, 2.0]


def test_scatter_labels_make_traces_with_legend_names():
    req = traces.scatter(np.ones((3, 2)), [1, 2, 2], opts={"legend": ["a", "b"]})
    assert [(t["name"], len(t["x"])) for t in req.body["data"]] == [("a", 1), ("b", 2)]
    assert req.body["layout"]["showlegend"] is True


def test_scatter_3d_uses_scene_layout():
    req = traces.scatter(np.ones((2, 3)), opts={"zlabel": "depth"})
    assert req.body["data"][0]["type"] == "scatter3d"
    assert req.body["data"][0]["z"] == [1.0, 1.0]
    assert req.body["layout"]["scene"]["zaxis"]["title"] == "depth"
    assert req.body["layout"]["margin"] == {"l": 0, "r": 60, "t": 20, "b": 0}


def test_marker_colors_per_point_and_per_label():
    per_point = traces.scatter(np.ones((2, 2)), opts={"markercolor": np.array([0, 255])})
    assert per_point.body["data"][0]["marker"]["color"] == [
        "rgba(0, 0, 255, 0.0)",
        "rgba(0, 0, 255, 1.0)",
    ]
    rgb = traces.scatter(np.ones((2, 2)), [1, 2], opts={"markercolor": [[255, 0, 0], [0, 0, 16]]})
    assert [t["marker"]["color"] for t in rgb.body["data"]] == [["#ff0000"], ["#000010"]]
    assert "markercolor" not in rgb.body["opts"]


def test_stem_interleaves_null_separated_segments():
    req = lines.stem(np.array([2.0, 3.0]))
    trace = req.body["data"][0]
    assert trace["x"] == [1.0, 1.0, None, 2.0, 2.0, None]
    assert trace["y"] == [0.0, 2.0, None, 0.0, 3.0, None]


def test_quiver_without_heads_draws_one_segment_per_arrow():
    req = lines.quiver([[1.0, 0.0]], [[0.0, 2.0]], opts={"arrowheads": False})
    trace = req.body["data"][0]
    assert trace["x"] == [0.0, 1.0, None, 0.0, 0.0, None]
    assert trace["y"] == [0.0, 0.0, None, 1.0, 3.0, None]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: lines.line(np.ones((2, 2, 2))), ArgumentError, ["Y", "1-D or 2-D", "(2, 2, 2)"]),
        (lambda: lines.line([1, 2], [1, 2, 3]), ArgumentError, ["X", "(2,)", "(3,)"]),
        (lambda: lines.line([1.0], win="W", update="append"), ArgumentError, ["X", "None"]),
        (lambda: lines.line([1.0], [1.0], update="append"), ArgumentError, ["win", "None"]),
        (lambda: lines.line([1.0], [1.0], update="bogus"), ArgumentError, ["update", "bogus"]),
        (lambda: lines.line("abc"), ArgumentTypeError, ["Y", "str"]),
        (lambda: lines.line({"a": 1}), ArgumentTypeError, ["Y", "dict"]),
        (lambda: traces.scatter(np.ones((3, 4))), ArgumentError, ["X", "Nx2 or Nx3", "(3, 4)"]),
        (lambda: traces.scatter(np.ones((2, 2)), [np.nan, 1]), ArgumentError, ["Y", "finite"]),
        (lambda: traces.scatter(np.ones((2, 2)), [1]), ArgumentError, ["Y", "2 labels"]),
        (
            lambda: traces.scatter(np.ones((2, 2)), [1, 2], opts={"legend": ["a"]}),
            ArgumentError,
            ["legend", "at least 2"],
        ),
        (lambda: lines.line([1.0], opts={"markersize": -1}), ArgumentError, ["markersize"]),
        (lambda: lines.line([1.0], opts={"title": ["x"]}), ArgumentTypeError, ["title"]),
        (lambda: lines.line([1.0], opts="t"), ArgumentTypeError, ["opts", "dict"]),
        (lambda: lines.line(None, win="W", update="remove"), ArgumentError, ["name"]),
        (
            lambda: traces.scatter(np.ones((2, 2)), opts={"markercolor": [300, 1]}),
            ArgumentError,
            ["markercolor", "[0, 255]"],
        ),
    ],
)
def test_invalid_input_names_argument_expected_and_received(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, (ValueError, TypeError))
    for word in words:
        assert word in str(info.value)


def test_torch_like_input_is_converted_without_importing_torch(monkeypatch):
    import sys
    import types

    class Tensor:
        def __init__(self, values):
            self.values = values

        def detach(self):
            return self

        def cpu(self):
            return self

        def numpy(self):
            return np.asarray(self.values)

    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(Tensor=Tensor))
    req = lines.line(Tensor([1.0, 2.0]), Tensor([0.0, 1.0]))
    assert req.body["data"][0]["y"] == [1.0, 2.0]
    assert not math.isnan(req.body["data"][0]["x"][1])
