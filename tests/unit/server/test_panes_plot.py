"""Update semantics of plot windows (upstream protocol section 5.2, scatter family)."""

import copy
import math

import pytest

from app.common import VisdomError
from app.panes import apply_update, build_window


def scatter(name, x, y, **extra):
    return dict({"x": x, "y": y, "name": name, "type": "scatter", "mode": "lines"}, **extra)


def plot(*traces, layout=None, opts=None, win="L"):
    return build_window(
        {"data": list(traces), "layout": layout or {"title": "t"}, "opts": opts or {}}, win
    )


def names(window):
    return [t.get("name") for t in window["content"]["data"]]


# -- build_window -----------------------------------------------------------------------


def test_build_window_plot_has_upstream_keys():
    win = plot(scatter("a", [1], [2]), opts={"title": 5, "width": 300})
    assert win["command"] == "window"
    assert win["id"] == "L"
    assert win["type"] == "plot"
    assert win["title"] == "5"  # numeric titles become strings
    assert win["width"] == 300 and win["height"] is None and win["inflate"] is True
    assert win["content"] == {"data": [scatter("a", [1], [2])], "layout": {"title": "t"}}
    assert len(win["contentID"]) == 36


@pytest.mark.parametrize(
    "ptype, extra",
    [
        ("image", {}),
        ("text", {}),
        ("properties", {}),
        ("network", {"directed": False, "showEdgeLabels": "hover", "showVertexLabels": "hover"}),
    ],
)
def test_build_window_plain_types(ptype, extra):
    win = build_window({"data": [{"type": ptype, "content": "C"}], "opts": {}}, "W")
    assert win["type"] == ptype
    assert win["content"] == "C"
    for key, value in extra.items():
        assert win[key] == value


def test_build_window_image_history_and_embeddings():
    hist = build_window({"data": [{"type": "image_history", "content": {"src": "s"}}]}, "H")
    assert hist["content"] == [{"src": "s"}]
    assert hist["selected"] == 0 and hist["show_slider"] is True
    emb = build_window({"data": [{"type": "embeddings", "content": {"data": []}}]}, "E")
    assert emb["content"] == {"data": [], "has_previous": False}
    assert emb["old_content"] == []


@pytest.mark.parametrize(
    "args, field",
    [
        ({}, "data"),
        ({"data": []}, "data"),
        ({"data": {"type": "scatter"}}, "data"),
        ({"data": [1, 2]}, "data"),
        ({"data": [{"type": 3}]}, "data[0].type"),
        ({"data": [{"type": "scatter"}], "opts": []}, "opts"),
        ({"data": [{"type": "scatter"}], "layout": "x"}, "layout"),
        ({"data": [{"type": "scatter"}], "opts": {"title": {"a": 1}}}, "opts.title"),
        ({"data": [{"type": "embeddings", "content": 3}]}, "data[0].content"),
        ({"data": [{"type": "scatter"}], "func": "plot"}, "func"),
    ],
)
def test_build_window_refuses_bad_input(args, field):
    with pytest.raises(VisdomError) as info:
        build_window(args, "W")
    assert info.value.field == field
    assert info.value.status == 400


# -- append / replace -------------------------------------------------------------------


def test_append_extends_target_trace_and_returns_only_new_points():
    win = plot(scatter("a", [0, 1], [5, 6]), scatter("b", [0], [9]))
    old_cid = win["contentID"]
    change = apply_update(
        win, {"data": [scatter("a", [2, 3], [7, 8])], "name": "a", "append": True, "opts": {}}
    )
    a, b = win["content"]["data"]
    assert a["x"] == [0, 1, 2, 3] and a["y"] == [5, 6, 7, 8]
    assert b["x"] == [0] and b["y"] == [9]
    assert win["contentID"] != old_cid
    assert change["kind"] == "append_traces"
    assert change["traces"] == [{"index": 0, "x": [2, 3], "y": [7, 8]}]


def test_append_without_name_updates_every_trace_in_order():
    win = plot(scatter("a", [0], [1]), scatter("b", [0], [2]))
    change = apply_update(
        win, {"data": [scatter("a", [1], [3]), scatter("b", [1], [4])], "append": True}
    )
    assert win["content"]["data"][0]["y"] == [1, 3]
    assert win["content"]["data"][1]["y"] == [2, 4]
    assert [t["index"] for t in change["traces"]] == [0, 1]


def test_replace_overwrites_x_and_y_only():
    win = plot(scatter("a", [0, 1], [5, 6], line={"dash": "dot"}))
    change = apply_update(
        win, {"data": [scatter("a", [9], [8], mode="markers")], "name": "a", "append": False}
    )
    trace = win["content"]["data"][0]
    assert trace["x"] == [9] and trace["y"] == [8]
    assert trace["mode"] == "lines"  # other trace fields are not touched
    assert trace["line"] == {"dash": "dot"}
    assert change == {"kind": "full"}


# -- remove -----------------------------------------------------------------------------


def test_remove_one_named_trace():
    win = plot(scatter("a", [0], [1]), scatter("b", [0], [2]))
    change = apply_update(win, {"data": [], "name": "b", "delete": True})
    assert names(win) == ["a"]
    assert change["kind"] == "full"


def test_remove_several_traces_with_the_same_name():
    # upstream fails with IndexError after the first deletion (protocol section 5.2 step 4)
    win = plot(scatter("b", [0], [1]), scatter("a", [0], [2]), scatter("b", [1], [3]))
    apply_update(win, {"data": [], "name": "b", "delete": True})
    assert names(win) == ["a"]


def test_remove_unknown_name_changes_no_trace():
    win = plot(scatter("a", [0], [1]))
    apply_update(win, {"data": [], "name": "zzz", "delete": True})
    assert names(win) == ["a"]


# -- inject -----------------------------------------------------------------------------


def test_named_append_with_unknown_name_injects_a_new_trace():
    win = plot(scatter("a", [0], [1]))
    change = apply_update(win, {"data": [scatter("other", [5], [6])], "name": "c", "append": True})
    assert names(win) == ["a", "c"]  # name forced to args.name
    assert win["content"]["data"][1]["x"] == [5]
    assert change["kind"] == "new_trace"
    assert change["trace"]["name"] == "c"


def test_inject_into_an_empty_plot():
    # upstream: IndexError (500)
    win = plot(scatter("a", [0], [1]))
    apply_update(win, {"data": [], "name": "a", "delete": True})
    assert names(win) == []
    apply_update(win, {"data": [scatter("n", [1], [2])], "name": "n", "append": True})
    assert names(win) == ["n"]
    assert win["content"]["data"][0]["y"] == [2]


# -- NaN / null masking -----------------------------------------------------------------


@pytest.mark.parametrize("xs", [[None], [None, None], [float("nan")], [None, float("nan")]])
def test_all_missing_x_is_skipped_silently(xs):
    win = plot(scatter("a", [0], [1]))
    change = apply_update(
        win, {"data": [scatter("a", xs, [1] * len(xs))], "name": "a", "append": True}
    )
    trace = win["content"]["data"][0]
    assert trace["x"] == [0] and trace["y"] == [1]
    assert change["kind"] == "append_traces"
    assert change["traces"] == []


def test_partly_missing_x_is_appended():
    win = plot(scatter("a", [0], [1]))
    apply_update(win, {"data": [scatter("a", [None, 2], [3, 4])], "name": "a", "append": True})
    assert win["content"]["data"][0]["x"] == [0, None, 2]


def test_nan_in_y_is_kept():
    win = plot(scatter("a", [0], [1]))
    apply_update(win, {"data": [scatter("a", [1], [float("nan")])], "name": "a", "append": True})
    assert math.isnan(win["content"]["data"][0]["y"][-1])


# -- marker.color -----------------------------------------------------------------------


def test_marker_color_is_appended():
    win = plot(scatter("a", [0], [1], marker={"color": ["#000000"], "size": 3}))
    change = apply_update(
        win,
        {
            "data": [scatter("a", [1], [2], marker={"color": ["#ffffff"], "size": 9})],
            "name": "a",
            "append": True,
        },
    )
    marker = win["content"]["data"][0]["marker"]
    assert marker["color"] == ["#000000", "#ffffff"]
    assert marker["size"] == 3  # other marker properties are ignored
    assert change["traces"][0]["marker_color"] == ["#ffffff"]


def test_marker_color_list_is_created_when_missing():
    win = plot(scatter("a", [0], [1]))
    apply_update(
        win,
        {"data": [scatter("a", [1], [2], marker={"color": ["red"]})], "name": "a", "append": True},
    )
    assert win["content"]["data"][0]["marker"]["color"] == ["red"]


def test_marker_color_is_replaced_on_replace():
    win = plot(scatter("a", [0], [1], marker={"color": ["red"]}))
    apply_update(
        win,
        {"data": [scatter("a", [5], [6], marker={"color": ["blue"]})], "name": "a"},
    )
    assert win["content"]["data"][0]["marker"]["color"] == ["blue"]


# -- opts, layout, legend ---------------------------------------------------------------


def test_opts_are_copied_to_the_top_level_and_layout_merged():
    win = plot(scatter("a", [0], [1]), layout={"title": "t", "showlegend": True})
    change = apply_update(
        win,
        {
            "opts": {"title": "new", "width": 400, "markersize": 3, "height": None},
            "layout": {"title": "new", "xaxis": {"title": "X"}, "showlegend": None},
        },
    )
    assert win["title"] == "new" and win["width"] == 400 and win["markersize"] == 3
    assert win["height"] is None  # null opts are not copied
    assert win["content"]["layout"] == {"title": "new", "showlegend": True, "xaxis": {"title": "X"}}
    assert names(win) == ["a"]
    assert change["kind"] == "full"


def test_legend_renames_traces_in_order():
    win = plot(scatter("1", [0], [1]), scatter("2", [0], [2]))
    apply_update(win, {"opts": {"legend": ["loss", "acc"]}})
    assert names(win) == ["loss", "acc"]
    assert win["legend"] == ["loss", "acc"]


def test_short_legend_renames_only_the_first_traces():
    # upstream: IndexError (500)
    win = plot(scatter("1", [0], [1]), scatter("2", [0], [2]))
    apply_update(win, {"opts": {"legend": ["loss"]}})
    assert names(win) == ["loss", "2"]


def test_append_with_opts_reports_changed_props():
    win = plot(scatter("a", [0], [1]))
    change = apply_update(
        win,
        {"data": [scatter("a", [1], [2])], "name": "a", "append": True, "opts": {"title": "z"}},
    )
    assert change["props"] == {"title": "z", "version": 2}  # 0.3.0 counts versions
    assert win["title"] == "z"


# -- type gate --------------------------------------------------------------------------


@pytest.mark.parametrize("ttype", ["bar", "box", "pie", "surface", "contour", "mesh3d"])
def test_type_gate_refuses_other_plot_types(ttype):
    win = plot({"type": ttype, "y": [1]})
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, {"data": [{"type": ttype, "y": [2]}], "append": True})
    assert info.value.message == (
        f"win is not scatter, heatmap, custom, image_history, plot_history, embeddings, or text; was {ttype}"
    )
    assert info.value.field == "win"
    assert win == before


@pytest.mark.parametrize("ttype", ["scatter", "scattergl", "custom"])
def test_type_gate_accepts_scatter_family(ttype):
    win = plot({"type": ttype, "x": [0], "y": [1], "name": "a"})
    apply_update(win, {"data": [{"x": [1], "y": [2]}], "name": "a", "append": True})
    assert win["content"]["data"][0]["y"] == [1, 2]


def test_type_gate_for_unknown_window_type():
    win = {"type": "mystery", "content": {}, "id": "W"}
    with pytest.raises(VisdomError) as info:
        apply_update(win, {"data": [{"x": [1], "y": [1]}]})
    assert info.value.message.endswith("was mystery")


# -- rejected updates leave the window unchanged ----------------------------------------


@pytest.mark.parametrize(
    "args, field",
    [
        ({"data": [scatter("a", [1], [2])], "name": "a", "layout": []}, "layout"),
        ({"data": [scatter("a", [1], [2])], "name": "a", "opts": "x"}, "opts"),
        ({"opts": {"legend": "ab"}}, "opts.legend"),
        ({"data": [{"x": 1, "y": [2]}], "name": "a", "append": True}, "data[0].x"),
        ({"data": [{"x": [1], "y": None}], "name": "a", "append": True}, "data[0].y"),
        ({"data": [scatter("a", [1], [1]), scatter("b", [1], [1])], "name": "a"}, "data"),
        ({"data": [scatter("a", [1], [1])], "append": True}, "data"),  # 2 targets, 1 trace
        ({"data": "nope", "name": "a"}, "data"),
        ({"data": [3], "name": "a"}, "data"),
        ({"name": "a", "append": True}, "data"),
        (
            {
                "data": [scatter("a", [1], [2])],
                "name": "a",
                "append": True,
                "layout": {"title": "changed"},
                "opts": {"title": {"not": "a string"}},
            },
            "opts.title",
        ),
    ],
)
def test_rejected_plot_update_leaves_window_unchanged(args, field):
    win = plot(scatter("a", [0], [1]), scatter("b", [0], [2]))
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, args)
    assert info.value.field == field
    assert win == before
