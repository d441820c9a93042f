"""Update semantics of heatmap, text, image history, embeddings and plain windows; hash; compare."""

import copy
import hashlib
import json

import pytest

from app.common import VisdomError
from app.panes import apply_update, build_window
from app.panes.compare import LEGEND_ID, compare_windows
from app.panes.hashing import window_hash


def heatmap(z, x=None, y=None, **extra):
    trace = dict({"z": z, "type": "heatmap", "colorscale": "Viridis"}, **extra)
    if x is not None:
        trace["x"] = x
    if y is not None:
        trace["y"] = y
    return build_window({"data": [trace], "layout": {}, "opts": {}}, "H")


def hm_update(direction, z, x=None, y=None, **extra):
    trace = dict({"z": z, "type": "heatmap"}, **extra)
    if x is not None:
        trace["x"] = x
    if y is not None:
        trace["y"] = y
    return {
        "data": [trace],
        "updateDir": direction,
        "append": direction != "replace",
        "layout": {},
        "opts": {},
    }


def trace_of(window):
    return window["content"]["data"][0]


# -- heatmap ----------------------------------------------------------------------------


def test_heatmap_append_row_with_labels():
    win = heatmap([[1, 2], [3, 4]], x=["a", "b"], y=["r1", "r2"])
    change = apply_update(win, hm_update("appendRow", [[5, 6]], y=["r3"]))
    t = trace_of(win)
    assert t["z"] == [[1, 2], [3, 4], [5, 6]]
    assert t["y"] == ["r1", "r2", "r3"]
    assert t["x"] == ["a", "b"]
    assert change == {"kind": "full"}


def test_heatmap_prepend_row_with_labels():
    win = heatmap([[1, 2]], x=["a", "b"], y=["r1"])
    apply_update(win, hm_update("prependRow", [[7, 8], [9, 10]], y=["p1", "p2"]))
    t = trace_of(win)
    assert t["z"] == [[7, 8], [9, 10], [1, 2]]
    assert t["y"] == ["p1", "p2", "r1"]


def test_heatmap_append_column_with_labels():
    win = heatmap([[1, 2], [3, 4]], x=["a", "b"], y=["r1", "r2"])
    apply_update(win, hm_update("appendColumn", [[5], [6]], x=["c"]))
    t = trace_of(win)
    assert t["z"] == [[1, 2, 5], [3, 4, 6]]
    assert t["x"] == ["a", "b", "c"]
    assert t["y"] == ["r1", "r2"]


def test_heatmap_prepend_column_with_labels():
    win = heatmap([[1, 2], [3, 4]], x=["a", "b"], y=["r1", "r2"])
    apply_update(win, hm_update("prependColumn", [[5, 50], [6, 60]], x=["y", "z"]))
    t = trace_of(win)
    assert t["z"] == [[5, 50, 1, 2], [6, 60, 3, 4]]
    assert t["x"] == ["y", "z", "a", "b"]


def test_heatmap_merge_without_labels_on_either_side():
    win = heatmap([[1, 2]])
    apply_update(win, hm_update("appendRow", [[3, 4]]))
    apply_update(win, hm_update("appendColumn", [[0], [0]]))
    t = trace_of(win)
    assert t["z"] == [[1, 2, 0], [3, 4, 0]]
    assert "x" not in t and "y" not in t


def test_heatmap_append_copies_non_null_keys_but_not_labels():
    win = heatmap([[1, 2]], x=["a", "b"], y=["r1"], zmin=0, zmax=5)
    apply_update(win, hm_update("appendRow", [[3, 4]], y=["r2"], zmax=9, zmin=None))
    t = trace_of(win)
    assert t["zmax"] == 9
    assert t["zmin"] == 0  # nulls are not copied on append
    assert t["x"] == ["a", "b"]


def test_heatmap_replace_overwrites_everything_including_nulls():
    win = heatmap([[1, 2]], x=["a", "b"], y=["r1"], zmin=0)
    apply_update(win, hm_update("replace", [[9]], x=["only"], y=["row"], zmin=None))
    t = trace_of(win)
    assert t["z"] == [[9]]
    assert t["x"] == ["only"] and t["y"] == ["row"]
    assert t["zmin"] is None


def test_heatmap_is_re_added_after_removal():
    win = heatmap([[1]])
    apply_update(win, {"data": [], "delete": True})
    assert win["content"]["data"] == []
    apply_update(win, hm_update("replace", [[2]]))
    assert trace_of(win)["z"] == [[2]]


@pytest.mark.parametrize(
    "args, field",
    [
        (hm_update("sideways", [[5, 6]], y=["r3"]), "updateDir"),
        (dict(hm_update("appendRow", [[5, 6]], y=["r3"]), updateDir=None), "updateDir"),
        (hm_update("appendRow", [[5, 6, 7]], y=["r3"]), "data[0].z"),  # column count
        (hm_update("appendColumn", [[5]], x=["c"]), "data[0].z"),  # row count
        (hm_update("appendRow", [[5, 6]]), "data[0].y"),  # only the heatmap has labels
        (hm_update("appendColumn", [[5], [6]]), "data[0].x"),
        (hm_update("appendRow", [[5, 6]], y=["r1"]), "data[0].y"),  # label exists
        (hm_update("prependColumn", [[5], [6]], x=["b"]), "data[0].x"),
        (hm_update("appendRow", "zz", y=["r3"]), "data[0].z"),
        (hm_update("appendRow", [5, 6], y=["r3"]), "data[0].z"),
        (hm_update("replace", None), "data[0].z"),
    ],
)
def test_heatmap_refusals_leave_the_window_unchanged(args, field):
    win = heatmap([[1, 2], [3, 4]], x=["a", "b"], y=["r1", "r2"])
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, args)
    assert info.value.field == field
    assert win == before


def test_heatmap_update_with_labels_refused_when_heatmap_has_none():
    win = heatmap([[1, 2]])
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, hm_update("appendRow", [[3, 4]], y=["r2"]))
    assert info.value.field == "data[0].y"
    assert win == before


@pytest.mark.parametrize("labels", [5, "r3", {"a": 1}])
def test_heatmap_labels_that_are_not_a_list_are_refused(labels):
    win = heatmap([[1, 2]], x=["a", "b"], y=["r1"])
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, hm_update("appendRow", [[3, 4]], y=labels))
    assert info.value.field == "data[0].y"
    assert win == before


# -- text -------------------------------------------------------------------------------


def text_window(content="hello"):
    return build_window({"data": [{"type": "text", "content": content}], "opts": {}}, "T")


def test_text_append_uses_br():
    win = text_window()
    change = apply_update(win, {"data": [{"type": "text", "content": "more"}]})
    assert win["content"] == "hello<br>more"
    assert change["kind"] == "append_text"
    assert change["text"] == "<br>more"


def test_text_append_ignores_opts_and_layout_of_upstream_requests():
    win = text_window()
    apply_update(win, {"data": [{"type": "text", "content": "x"}], "layout": {"a": 1}})
    assert win["content"] == "hello<br>x"
    assert "layout" not in win


@pytest.mark.parametrize(
    "args, field",
    [
        ({"data": [{"type": "text"}]}, "data[0].content"),
        ({"data": "more"}, "data"),
        ({"data": []}, "data"),
    ],
)
def test_text_refusals_leave_the_window_unchanged(args, field):
    win = text_window()
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, args)
    assert info.value.field == field
    assert win == before


# -- image history ----------------------------------------------------------------------


def history_window():
    return build_window(
        {"data": [{"type": "image_history", "content": {"src": "s0", "caption": "c0"}}]}, "I"
    )


def test_image_history_append_selects_the_new_image():
    win = history_window()
    change = apply_update(
        win, {"data": [{"type": "image_history", "content": {"src": "s1", "caption": "c1"}}]}
    )
    assert win["content"] == [{"src": "s0", "caption": "c0"}, {"src": "s1", "caption": "c1"}]
    assert win["selected"] == 1
    assert change == {
        "kind": "append_image",
        "image": {"src": "s1", "caption": "c1"},
        "selected": 1,
    }


@pytest.mark.parametrize("index, expected", [(0, 0), (1, 1), (7, 2), (-3, 0)])
def test_image_update_selected_is_clamped(index, expected):
    win = history_window()
    for n in (1, 2):
        apply_update(win, {"data": [{"type": "image_history", "content": {"src": f"s{n}"}}]})
    apply_update(win, {"data": [{"type": "image_update_selected", "selected": index}]})
    assert win["selected"] == expected
    assert len(win["content"]) == 3


@pytest.mark.parametrize(
    "args, field",
    [
        ({"data": [{"type": "image_update_selected", "selected": "one"}]}, "data[0].selected"),
        ({"data": [{"type": "image_update_selected", "selected": True}]}, "data[0].selected"),
        ({"data": [{"type": "image", "content": {}}]}, "data[0].type"),
        ({"data": None, "opts": 4}, "opts"),
    ],
)
def test_image_history_refusals_leave_the_window_unchanged(args, field):
    win = history_window()
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, args)
    assert info.value.field == field
    assert win == before


# -- embeddings -------------------------------------------------------------------------


def embeddings_window():
    points = [{"group": 1, "name": "Entity 0", "label": "a", "position": [0, 0], "idx": 0}]
    return build_window({"data": [{"type": "embeddings", "content": {"data": points}}]}, "E")


def test_embeddings_entity_selected():
    win = embeddings_window()
    selected = {"html": "<p>1</p>", "entityId": "Entity 0"}
    apply_update(win, {"data": {"update_type": "EntitySelected", "selected": selected}})
    assert win["content"]["selected"] == selected
    assert win["old_content"] == []


def test_embeddings_region_selected_pushes_the_old_points():
    win = embeddings_window()
    old_points = copy.deepcopy(win["content"]["data"])
    new_points = [{"group": 2, "name": "Entity 9", "position": [1, 1], "idx": 9}]
    apply_update(win, {"data": {"update_type": "RegionSelected", "points": new_points}})
    assert win["content"]["data"] == new_points
    assert win["content"]["has_previous"] is True
    assert win["content"]["selected"] is None
    assert win["old_content"] == [old_points]


@pytest.mark.parametrize(
    "data, field",
    [
        ([{"update_type": "EntitySelected"}], "data"),
        ({"update_type": "Zoom"}, "data.update_type"),
        ({"update_type": "RegionSelected", "points": "all"}, "data.points"),
    ],
)
def test_embeddings_refusals_leave_the_window_unchanged(data, field):
    win = embeddings_window()
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, {"data": data})
    assert info.value.field == field
    assert win == before


# -- image / properties / network (upstream: 500) ----------------------------------------


@pytest.mark.parametrize("ptype", ["image", "properties", "network"])
def test_plain_windows_get_their_content_replaced(ptype):
    win = build_window({"data": [{"type": ptype, "content": "old"}]}, "W")
    apply_update(win, {"data": [{"type": ptype, "content": "new"}], "opts": {"title": "T"}})
    assert win["content"] == "new"
    assert win["title"] == "T"


def test_plain_window_refuses_content_of_another_type():
    win = build_window({"data": [{"type": "image", "content": "old"}]}, "W")
    before = copy.deepcopy(win)
    with pytest.raises(VisdomError) as info:
        apply_update(win, {"data": [{"type": "text", "content": "new"}]})
    assert info.value.field == "data[0].type"
    assert win == before


# -- window hash (section 12) -----------------------------------------------------------


def md5(text):
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def test_window_hash_is_md5_of_canonical_json():
    window = {"b": 2.0, "a": [1.5, 3.0, {"z": 1, "y": None}], "c": "x"}
    assert window_hash(window) == md5('{"a":[1.5,3,{"y":null,"z":1}],"b":2,"c":"x"}')


def test_window_hash_follows_python_json_rules_for_nan_and_non_ascii():
    assert window_hash({"t": "é", "v": float("nan")}) == md5('{"t":"\\u00e9","v":NaN}')


def test_window_hash_ignores_key_order_and_integral_floats():
    assert window_hash({"a": 1, "b": [2]}) == window_hash({"b": [2.0], "a": 1.0})
    assert window_hash({"a": 1}) != window_hash({"a": 1.5})


# -- compare view (section 10, without upstream's merge bugs) ----------------------------


def loss_plot(win_id, trace_name, title="loss", i=0):
    win = build_window(
        {
            "data": [{"x": [0], "y": [1], "type": "scatter", "name": trace_name}],
            "layout": {"title": title},
            "opts": {"title": title},
        },
        win_id,
    )
    win["i"] = i
    return win


def test_compare_merges_plots_with_a_shared_title_in_url_order():
    a = {"w_a": loss_plot("w_a", "tr_a"), "only_a": loss_plot("only_a", "x", title="acc")}
    b = {"w_b": loss_plot("w_b", "tr_b")}
    merged = compare_windows([("a", a), ("b", b)])
    assert [w["id"] for w in merged] == ["w_a_compare", LEGEND_ID]
    plot = merged[0]
    assert [t["name"] for t in plot["content"]["data"]] == ["0_tr_a", "1_tr_b"]
    assert plot["has_compare"] is True
    assert plot["content"]["layout"]["showlegend"] is True
    # upstream duplicates b and drops a for /compare/b+a; here the order is respected
    merged = compare_windows([("b", b), ("a", a)])
    assert [t["name"] for t in merged[0]["content"]["data"]] == ["0_tr_b", "1_tr_a"]


def test_compare_does_not_change_its_inputs():
    a = {"w": loss_plot("w", "tr")}
    b = {"w": loss_plot("w", "tr")}
    before = copy.deepcopy((a, b))
    compare_windows([("a", a), ("b", b)])
    assert (a, b) == before


def test_compare_legend_escapes_env_names():
    merged = compare_windows([("<script>x</script>", {}), ("b", {})])
    legend = merged[-1]
    assert legend["id"] == LEGEND_ID and legend["type"] == "text"
    assert "<script>" not in legend["content"]
    assert "&lt;script&gt;" in legend["content"]
    assert legend["rows"] == [["0", "<script>x</script>"], ["1", "b"]]
    json.dumps(merged)  # everything in it is JSON data


# -- windows stored by /win_data with malformed content ----------------------------------


@pytest.mark.parametrize(
    "window",
    [
        {"id": "W", "type": "plot"},
        {"id": "W", "type": "plot", "content": {"data": "x"}},
        {"id": "W", "type": "plot", "content": {"data": [1]}},
        {"id": "W", "type": "image_history", "content": "x"},
        {"id": "W", "type": "embeddings", "content": [1]},
    ],
)
def test_malformed_stored_window_is_refused_with_409_and_not_changed(window):
    before = copy.deepcopy(window)
    with pytest.raises(VisdomError) as info:
        apply_update(window, {"data": [{"x": [1], "y": [1], "type": "scatter"}], "append": True})
    assert info.value.status == 409 and info.value.field == "win"
    assert window == before


def test_gate_message_of_a_window_with_odd_content():
    with pytest.raises(VisdomError) as info:
        apply_update({"id": "W", "type": "mystery", "content": "s"}, {"data": []})
    assert info.value.message.endswith("was mystery")
