"""update='append'/'replace'/'remove', heatmap updates and NaN masking, as upstream sends them."""

import pytest

SCRIPT = """
vis = connect()
win = vis.line(Y=np.array([1.0, 2.0]), X=np.array([0.0, 1.0]), win="L", opts=dict(legend=["a"]))
out["append"] = vis.line(Y=np.array([3.0]), X=np.array([2.0]), win="L", update="append", name="a")
out["new_trace"] = vis.line(Y=np.array([5.0, 6.0]), X=np.array([0.0, 1.0]), win="L",
                            update="append", name="b")
out["nan"] = vis.line(Y=np.array([np.nan]), X=np.array([np.nan]), win="L", update="append", name="a")
out["replace"] = vis.line(Y=np.array([9.0, 8.0]), X=np.array([0.0, 1.0]), win="R")
vis.line(Y=np.array([7.0]), X=np.array([5.0]), win="R", update="replace")
vis.line(Y=np.array([1.0]), X=np.array([1.0]), win="D", opts=dict(legend=["keep"]))
vis.line(Y=np.array([2.0]), X=np.array([2.0]), win="D", update="append", name="drop")
out["remove"] = vis.line(X=None, Y=None, win="D", name="drop", update="remove")
out["created_by_append"] = vis.line(Y=np.array([1.0]), X=np.array([1.0]), win="fresh",
                                    update="append")
vis.scatter(X=np.array([[0.0, 0.0]]), win="S", opts=dict(markercolor=np.array([[255, 0, 0]])))
vis.scatter(X=np.array([[1.0, 1.0]]), win="S", update="append",
            opts=dict(markercolor=np.array([[0, 255, 0]])))
vis.heatmap(X=np.ones((2, 2)), win="H")
vis.heatmap(X=np.zeros((1, 2)), win="H", update="appendRow")
vis.heatmap(X=np.full((3, 1), 5.0), win="H", update="appendColumn")
"""


@pytest.fixture(scope="module")
def updated(upstream):
    result = upstream.run(SCRIPT, env="updates")
    return result, upstream.env("updates")


def test_append_extends_trace(updated):
    result, windows = updated
    assert result["append"] == "L"
    a = windows["L"]["content"]["data"][0]
    assert a["name"] == "a" and a["x"] == [0.0, 1.0, 2.0] and a["y"] == [1.0, 2.0, 3.0]


def test_append_with_new_name_adds_trace(updated):
    _, windows = updated
    names = [t["name"] for t in windows["L"]["content"]["data"]]
    assert names == ["a", "b"]


def test_all_nan_append_is_skipped_not_a_500(updated):
    result, windows = updated
    assert result["nan"] == "L"
    assert len(windows["L"]["content"]["data"][0]["x"]) == 3


def test_replace(updated):
    _, windows = updated
    trace = windows["R"]["content"]["data"][0]
    assert trace["x"] == [5.0] and trace["y"] == [7.0]


def test_remove(updated):
    result, windows = updated
    assert result["remove"] == "D"
    assert [t["name"] for t in windows["D"]["content"]["data"]] == ["keep"]


def test_append_to_missing_window_creates_it(updated):
    _, windows = updated
    assert windows["fresh"]["content"]["data"][0]["y"] == [1.0]


def test_marker_colors_append(updated):
    _, windows = updated
    colors = windows["S"]["content"]["data"][0]["marker"]["color"]
    assert len(colors) == 2


def test_heatmap_append_row_and_column(updated):
    _, windows = updated
    z = windows["H"]["content"]["data"][0]["z"]
    assert z == [[1.0, 1.0, 5.0], [1.0, 1.0, 5.0], [0.0, 0.0, 5.0]]
