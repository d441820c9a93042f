"""Merging of queued appends for the non-blocking mode."""

from visdom_client.builders import lines, text
from visdom_client.merge import MergingQueue, try_merge


def append(y, x, win="W", name=None, env="e", opts=None):
    return lines.line([y], [x], win=win, env=env, update="append", name=name, opts=opts)


def test_consecutive_appends_to_one_trace_become_one_request():
    queue = MergingQueue()
    for i in range(5):
        queue.put(*append(float(i), i))
    items = queue.take()
    assert len(items) == 1
    trace = items[0][1]["data"][0]
    assert trace["x"] == [0, 1, 2, 3, 4] and trace["y"] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_interleaved_windows_each_merge_separately_in_order():
    queue = MergingQueue()
    for i in range(3):
        queue.put(*append(1.0, i, win="A"))
        queue.put(*append(2.0, i, win="B"))
    items = queue.take()
    assert [b["win"] for _, b, _ in items] == ["A", "B"]
    assert all(b["data"][0]["x"] == [0, 1, 2] for _, b, _ in items)


def test_different_traces_or_opts_are_not_merged():
    queue = MergingQueue()
    queue.put(*append(1.0, 0, name="a"))
    queue.put(*append(1.0, 1, name="b"))
    queue.put(*append(1.0, 2, name="b", opts={"title": "other"}))
    assert len(queue.take()) == 3


def test_a_non_append_request_to_the_window_is_a_barrier():
    queue = MergingQueue()
    queue.put(*append(1.0, 0))
    queue.put(*text("hello", win="W", env="e"))
    queue.put(*append(1.0, 1))
    assert [item[0] for item in queue.take()] == ["update", "events", "update"]


def test_env_wide_request_stops_merging_across_it():
    queue = MergingQueue()
    queue.put(*append(1.0, 0))
    queue.put("close", {"win": None, "eid": "e"})
    queue.put(*append(1.0, 1))
    assert len(queue.take()) == 3


def test_replace_is_never_merged():
    queue = MergingQueue()
    queue.put(*append(1.0, 0))
    queue.put(*lines.line([1.0, 2.0], [0, 1], win="W", env="e", update="replace"))
    queue.put(*append(1.0, 3))
    assert len(queue.take()) == 3


def test_first_append_layout_is_kept_and_later_empty_layouts_merge():
    first = lines.line([1.0], [0], win="W", update="append", opts={"title": "t"}, first_append=True)
    later = lines.line([2.0], [1], win="W", update="append", opts={"title": "t"})
    assert try_merge(first.body, later.body)
    assert first.body["layout"]["title"] == "t"
    assert first.body["data"][0]["y"] == [1.0, 2.0]


def test_marker_colors_are_concatenated():
    a = {
        "name": None,
        "opts": {},
        "layout": {},
        "data": [{"x": [1], "y": [1], "marker": {"color": ["#000000"], "size": 3}}],
    }
    b = {
        "name": None,
        "opts": {},
        "layout": {},
        "data": [{"x": [2], "y": [2], "marker": {"color": ["#ffffff"], "size": 3}}],
    }
    assert try_merge(a, b)
    assert a["data"][0]["marker"]["color"] == ["#000000", "#ffffff"]
    c = {
        "name": None,
        "opts": {},
        "layout": {},
        "data": [{"x": [3], "y": [3], "marker": {"size": 4}}],
    }
    assert not try_merge(a, c)
