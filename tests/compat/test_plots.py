"""Every plotting function of the upstream client creates the window it should."""

import pytest

SCRIPT = """
vis = connect()
x = np.arange(5.0)
out["line"] = vis.line(Y=np.column_stack([x, x ** 2]), X=x, win="line",
                       opts=dict(title="loss", legend=["a", "b"], xlabel="step"))
out["scatter"] = vis.scatter(X=np.random.rand(10, 2), Y=np.array([1, 2] * 5), win="scatter",
                             opts=dict(title="sc", legend=["one", "two"], markersize=5))
out["scatter3d"] = vis.scatter(X=np.random.rand(6, 3), win="scatter3d")
out["stem"] = vis.stem(X=np.sin(x), Y=x, win="stem")
out["quiver"] = vis.quiver(X=np.ones((3, 3)), Y=np.ones((3, 3)), win="quiver")
out["heatmap"] = vis.heatmap(X=np.arange(6.0).reshape(2, 3), win="heatmap",
                             opts=dict(columnnames=["a", "b", "c"], rownames=["r1", "r2"]))
out["bar"] = vis.bar(X=np.array([[1, 2], [3, 4]]), win="bar", opts=dict(stacked=True, legend=["u", "v"]))
out["histogram"] = vis.histogram(X=np.random.rand(100), win="histogram", opts=dict(numbins=10))
out["boxplot"] = vis.boxplot(X=np.random.rand(20, 2), win="boxplot", opts=dict(legend=["p", "q"]))
out["pie"] = vis.pie(X=np.array([1.0, 2.0, 3.0]), win="pie", opts=dict(legend=["x", "y", "z"]))
out["surf"] = vis.surf(X=np.random.rand(4, 4), win="surf")
out["contour"] = vis.contour(X=np.random.rand(4, 4), win="contour")
out["mesh"] = vis.mesh(X=np.random.rand(5, 3), win="mesh", opts=dict(opacity=0.5))
out["sunburst"] = vis.sunburst(labels=["root", "a", "b"], parents=["", "root", "root"],
                               values=np.array([0, 1, 2]), win="sunburst")
out["dual"] = vis.dual_axis_lines(X=x, Y1=x, Y2=-x, win="dual")
import plotly.graph_objects as go
out["plotly"] = vis.plotlyplot(go.Figure(data=[go.Bar(x=[1, 2], y=[3, 4])],
                                         layout=dict(title=dict(text="pl"))), win="plotly")
out["raw"] = vis._send({"data": [{"x": [1, 2], "y": [3, 4], "type": "scatter", "mode": "markers"}],
                        "layout": {"title": "raw"}, "win": "raw"})
"""

EXPECTED_TRACE = {
    "line": "scatter",
    "scatter": "scatter",
    "scatter3d": "scatter3d",
    "stem": "scatter",
    "quiver": "scatter",
    "heatmap": "heatmap",
    "bar": "bar",
    "histogram": "bar",
    "boxplot": "box",
    "pie": "pie",
    "surf": "surface",
    "contour": "contour",
    "mesh": "mesh3d",
    "sunburst": "sunburst",
    "dual": "scatter",
    "plotly": "bar",
    "raw": "scatter",
}


@pytest.fixture(scope="module")
def plots(upstream):
    result = upstream.run(SCRIPT, env="plots")
    return result, upstream.env("plots")


@pytest.mark.parametrize("name", sorted(EXPECTED_TRACE))
def test_plot_function_creates_window(plots, name):
    result, windows = plots
    assert result[name] == name, "the client must get the window id back"
    window = windows[name]
    assert window["type"] == "plot"
    assert window["content"]["data"][0]["type"] == EXPECTED_TRACE[name]


def test_line_content_and_options(plots):
    _, windows = plots
    line = windows["line"]
    assert line["title"] == "loss"
    names = [t["name"] for t in line["content"]["data"]]
    assert names == ["a", "b"]
    assert line["content"]["data"][1]["y"] == [0.0, 1.0, 4.0, 9.0, 16.0]
    assert line["content"]["layout"]["xaxis"]["title"] == "step"


def test_heatmap_labels(plots):
    _, windows = plots
    trace = windows["heatmap"]["content"]["data"][0]
    assert trace["x"] == ["a", "b", "c"] and trace["y"] == ["r1", "r2"]
    assert trace["z"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_windows_are_ordered_by_creation(plots):
    _, windows = plots
    order = sorted(windows.values(), key=lambda w: w["i"])
    assert [w["id"] for w in order][:3] == ["line", "scatter", "scatter3d"]
