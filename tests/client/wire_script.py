"""Call every client function once with fixed inputs; run by both clients (not a test module).

Usage: python wire_script.py upstream|upstream3|ours PORT WORKDIR. `upstream` is visdom
0.2.4 and runs the calls it has; `upstream3` (visdom 0.3.0) and `ours` also run the calls
of the functions 0.3.0 added. Before each call it POSTs the call's name to /__mark__ so the
capturing server can group the requests by call.
"""

import json
import os
import sys
import traceback
import types

import numpy as np
import requests

FLAVOUR, PORT, WORKDIR = sys.argv[1], int(sys.argv[2]), sys.argv[3]
BASE = f"http://127.0.0.1:{PORT}"
TSNE_OUT = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 0.5], [1.5, 2.5], [3.0, 1.0], [0.5, 0.2]])
SVG = (
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    'height="345.6pt" width="460.8pt" viewBox="0 0 460 345">\n<rect x="1"/>\n</svg>\n'
)


class FakeFigure:
    """Stands in for a matplotlib figure: writes a fixed SVG."""

    def savefig(self, buffer, format):  # noqa: A002 - matplotlib's signature
        buffer.write(SVG)


def install_fakes():
    try:
        import plotly  # noqa: F401
    except ImportError:
        plotly_mod = types.ModuleType("plotly")
        plotly_mod.utils = types.SimpleNamespace(PlotlyJSONEncoder=json.JSONEncoder)
        sys.modules["plotly"] = plotly_mod
    if FLAVOUR == "upstream":
        fake = types.ModuleType("visdom.extra_deps.bhtsne.bhtsne")
        fake.run_bh_tsne = lambda X, **kwargs: TSNE_OUT[: len(X)]
        package = types.ModuleType("visdom.extra_deps.bhtsne")
        package.bhtsne = fake
        parent = types.ModuleType("visdom.extra_deps")
        parent.bhtsne = package
        sys.modules["visdom.extra_deps"] = parent
        sys.modules["visdom.extra_deps.bhtsne"] = package
        sys.modules["visdom.extra_deps.bhtsne.bhtsne"] = fake


def make_client():
    if FLAVOUR.startswith("upstream"):
        import visdom

        if FLAVOUR == "upstream3":
            visdom.do_tsne = lambda X: visdom._normalize_tsne(TSNE_OUT[: len(X)])
        return visdom.Visdom(
            port=PORT, server="http://127.0.0.1", use_incoming_socket=False, raise_exceptions=True
        )
    import visdom_client
    from visdom_client.builders import tsne

    tsne.tsne = lambda X, **kwargs: TSNE_OUT[: len(X)]
    return visdom_client.Visdom(port=PORT, server="http://127.0.0.1", use_incoming_socket=False)


def files():
    wav = os.path.join(WORKDIR, "a.wav")
    mp4 = os.path.join(WORKDIR, "v.mp4")
    with open(wav, "wb") as f:
        f.write(b"RIFF....WAVEfmt fake")
    with open(mp4, "wb") as f:
        f.write(b"\x00\x00\x00\x18ftypmp42fake")
    return wav, mp4


def calls(vis):
    """Yield (name, thunk) for every call of the script."""
    wav, mp4 = files()
    rng = np.random.RandomState(0)
    Y = np.array([[1.0, 2.0], [3.0, np.nan], [5.0, 6.0]])
    yield "text", lambda: vis.text("hello <b>x</b>", win="T", opts={"title": "t"})
    yield "text_num_title", lambda: vis.text("x", win="T2", opts={"title": 3})
    yield "text_none_title", lambda: vis.text("x", win="T3", opts={"title": None})
    yield "text_append", lambda: vis.text("more", win="T", append=True)
    yield "text_new_win", lambda: vis.text("generated id")
    yield "text_env", lambda: vis.text("other env", win="T", env="probe")
    yield (
        "properties",
        lambda: vis.properties(
            [
                {"type": "text", "name": "n", "value": "v"},
                {"type": "number", "name": "num", "value": "12"},
                {"type": "button", "name": "b", "value": "Go"},
                {"type": "checkbox", "name": "c", "value": True},
                {"type": "select", "name": "s", "value": 1, "values": ["a", "b"]},
            ],
            win="PR",
        ),
    )
    yield "svg", lambda: vis.svg(svgstr="junk " + SVG, win="S")
    yield "matplot", lambda: vis.matplot(FakeFigure(), win="M")
    yield "matplot_sized", lambda: vis.matplot(FakeFigure(), win="M2", opts={"height": 100})
    yield (
        "plotly",
        lambda: vis.plotlyplot(
            {
                "data": [{"x": [1, 2], "y": [3, 4], "type": "scatter"}],
                "layout": {"title": {"text": "pl"}},
            },
            win="PL",
        ),
    )
    yield (
        "plotly_str_title",
        lambda: vis.plotlyplot(
            {"data": [{"x": [1], "y": [2], "type": "bar"}], "layout": {"title": "plain"}}, win="PL2"
        ),
    )
    yield (
        "raw_send",
        lambda: vis._send(
            {
                "data": [{"x": [1, 2], "y": [1, 4], "type": "scatter"}],
                "layout": {"title": "raw"},
                "win": "RAW",
            }
        ),
    )
    yield "image_gray_float", lambda: vis.image(rng.rand(4, 5), win="I1", opts={"caption": "c"})
    yield (
        "image_rgb_uint8",
        lambda: vis.image(
            rng.randint(0, 255, (3, 4, 6)).astype(np.uint8), win="I2", opts={"title": "rgb"}
        ),
    )
    yield "image_jpeg", lambda: vis.image(rng.rand(3, 8, 8), win="I3", opts={"jpgquality": 80})
    yield "image_single_channel", lambda: vis.image(rng.rand(1, 4, 4), win="I4")
    yield (
        "image_history_1",
        lambda: vis.image(rng.rand(3, 4, 4), win="IH", opts={"store_history": True}),
    )
    yield (
        "image_history_2",
        lambda: vis.image(
            rng.rand(3, 4, 4), win="IH", opts={"store_history": True, "caption": "2"}
        ),
    )
    yield "images_grid", lambda: vis.images(rng.rand(5, 3, 4, 4), nrow=3, win="G1")
    yield "images_gray", lambda: vis.images(rng.rand(3, 1, 4, 4), padding=1, win="G2")
    yield "images_single", lambda: vis.images(rng.rand(1, 4, 4), win="G3")
    yield "audio_tensor", lambda: vis.audio(np.sin(np.arange(100) / 5.0), win="A1")
    yield "audio_file", lambda: vis.audio(audiofile=wav, win="A2", opts={"sample_frequency": 8000})
    yield "video_file", lambda: vis.video(videofile=mp4, win="V1", opts={"loop": True})
    yield (
        "line_basic",
        lambda: vis.line(
            np.array([1.0, 2.0]),
            np.array([0.0, 1.0]),
            win="L",
            opts={"title": "lines", "legend": ["a"]},
        ),
    )
    yield (
        "line_multi",
        lambda: vis.line(
            Y,
            np.array([1, 2, 3]),
            win="L2",
            opts={
                "markers": True,
                "fillarea": True,
                "xlabel": "step",
                "ytickmin": 0,
                "ytickmax": 9,
                "xtype": "log",
                "legend": ["p", "q"],
                "linecolor": np.array([[255, 0, 0], [0, 0, 255]]),
                "dash": np.array(["solid", "dash"]),
                "showlegend": False,
            },
        ),
    )
    yield "line_no_x", lambda: vis.line(np.array([3, 1, 2]), win="L3")
    yield (
        "line_int",
        lambda: vis.line(
            np.array([3, 1, 2]),
            np.array([1, 2, 3]),
            win="L4",
            opts={
                "layoutopts": {"plotly": {"hovermode": "x"}},
                "traceopts": {"plotly": {"1": {"opacity": 0.5}}},
            },
        ),
    )
    yield (
        "line_append",
        lambda: vis.line(np.array([3.0]), np.array([2.0]), win="L", update="append", name="a"),
    )
    yield (
        "line_append_int_x",
        lambda: vis.line(np.array([4.0]), np.array([3]), win="L", update="append"),
    )
    yield (
        "line_append_list",
        lambda: vis.line(
            [5.0], [4], win="L", update="append", opts={"title": "lines", "legend": ["a"]}
        ),
    )
    yield (
        "line_append_multi",
        lambda: vis.line(np.array([[7.0, 8.0]]), np.array([[4, 4]]), win="L2", update="append"),
    )
    yield (
        "line_append_nan",
        lambda: vis.line(
            np.array([np.nan]), np.array([np.nan]), win="L", update="append", name="a"
        ),
    )
    yield (
        "line_replace",
        lambda: vis.line(
            np.array([1.0, 0.0]), np.array([0, 1]), win="L", update="replace", name="a"
        ),
    )
    yield (
        "line_new_trace",
        lambda: vis.line(
            np.array([1.0, 2.0]), np.array([0, 1]), win="L", update="append", name="b"
        ),
    )
    yield "line_remove", lambda: vis.line(None, win="L", update="remove", name="b")
    yield (
        "scatter_2d",
        lambda: vis.scatter(
            rng.rand(6, 2),
            np.array([1, 2, 1, 2, 2, 1]),
            win="SC",
            opts={"legend": ["u", "v"], "markersize": 5, "title": "sc"},
        ),
    )
    yield (
        "scatter_3d",
        lambda: vis.scatter(
            rng.rand(4, 3),
            win="SC3",
            opts={"ztickmin": 0, "ztickmax": 1, "ztickstep": 0.25, "zlabel": "z", "xlabel": "x"},
        ),
    )
    yield (
        "scatter_colors",
        lambda: vis.scatter(
            rng.rand(4, 2),
            np.array([1, 1, 2, 2]),
            win="SC4",
            opts={"markercolor": np.array([0, 255, 128, 64]), "textlabels": ["a", "b", "c", "d"]},
        ),
    )
    yield (
        "scatter_rgb",
        lambda: vis.scatter(
            rng.rand(3, 2),
            np.array([1, 2, 2]),
            win="SC5",
            opts={
                "markercolor": np.array([[255, 0, 0], [0, 255, 0]]),
                "webgl": True,
                "markersymbol": "cross",
                "markerborderwidth": 1,
            },
        ),
    )
    yield "scatter_nan", lambda: vis.scatter(np.array([[1.0, np.nan], [2.0, 3.0]]), win="SC6")
    yield (
        "scatter_append",
        lambda: vis.scatter(np.array([[0.5, 0.5]]), win="SC", update="append", name="u"),
    )
    yield (
        "scatter_append_1d",
        lambda: vis.scatter(
            np.array([0.1, 0.2]), np.array([0.3, 0.4]), win="SC", update="append", name="v"
        ),
    )
    yield (
        "stem",
        lambda: vis.stem(np.array([[1.0, 2.0], [3.0, 4.0]]), win="ST", opts={"legend": ["a", "b"]}),
    )
    yield (
        "stem_y",
        lambda: vis.stem(np.array([1.0, 2.0, 0.5]), np.array([0.1, 0.2, 0.3]), win="ST2"),
    )
    yield (
        "quiver",
        lambda: vis.quiver(
            np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.5, 0.0], [1.0, 1.0]]), win="Q"
        ),
    )
    yield (
        "quiver_norm",
        lambda: vis.quiver(
            np.array([[1.0, 2.0]]),
            np.array([[0.5, 0.0]]),
            win="Q2",
            opts={"normalize": 0.9, "arrowheads": False},
        ),
    )
    yield (
        "heatmap",
        lambda: vis.heatmap(
            np.array([[1.0, 2.0], [3.0, np.nan]]),
            win="H",
            opts={"columnnames": ["a", "b"], "rownames": ["r1", "r2"], "xmin": 0, "xmax": 5},
        ),
    )
    yield (
        "heatmap_nancolor",
        lambda: vis.heatmap(
            np.array([[1, 2], [3, 4]]), win="H2", opts={"nancolor": "red", "colormap": "Hot"}
        ),
    )
    yield (
        "heatmap_append_row",
        lambda: vis.heatmap(
            np.array([[5.0, 6.0]]), win="H", update="appendRow", opts={"rownames": ["r3"]}
        ),
    )
    yield (
        "heatmap_prepend_col",
        lambda: vis.heatmap(np.array([[0.0], [0.0]]), win="H2", update="prependColumn"),
    )
    yield "heatmap_replace", lambda: vis.heatmap(np.array([[9.0]]), win="H2", update="replace")
    yield "heatmap_remove", lambda: vis.heatmap(None, win="H2", update="remove")
    yield "bar", lambda: vis.bar(np.array([1.0, 2.0]), win="B")
    yield (
        "bar_stacked",
        lambda: vis.bar(
            np.array([[1, 2], [3, 4], [5, 6]]),
            win="B2",
            opts={"stacked": True, "legend": ["a", "b"], "rownames": ["x", "y", "z"]},
        ),
    )
    yield (
        "bar_1d_legend",
        lambda: vis.bar(np.array([1, 2, 3]), win="B3", opts={"legend": ["a", "b", "c"]}),
    )
    yield "bar_y", lambda: vis.bar(np.array([1.0, 2.0]), np.array([10, 20]), win="B4")
    yield (
        "histogram",
        lambda: vis.histogram(np.array([1.0, 3.0, 3.0, 2.5, 7.0]), win="HI", opts={"numbins": 3}),
    )
    yield "histogram_default", lambda: vis.histogram(rng.rand(50), win="HI2")
    yield "boxplot", lambda: vis.boxplot(rng.rand(5, 2), win="BX", opts={"legend": ["a", "b"]})
    yield "boxplot_1d", lambda: vis.boxplot(rng.rand(5), win="BX2")
    yield "surf", lambda: vis.surf(rng.rand(3, 3), win="SU", opts={"title": "surface"})
    yield "contour", lambda: vis.contour(rng.rand(3, 4), win="CO", opts={"xmin": 0.1})
    yield "mesh_2d", lambda: vis.mesh(np.array([[0, 0], [1, 0], [0, 1]]), win="ME")
    yield (
        "mesh_3d",
        lambda: vis.mesh(
            np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]),
            np.array([[0, 1, 2], [0, 1, 3]]),
            win="ME2",
            opts={"color": "red", "opacity": 0.5},
        ),
    )
    yield "pie", lambda: vis.pie(np.array([1, 2, 3]), win="PI", opts={"legend": ["a", "b", "c"]})
    yield (
        "sunburst",
        lambda: vis.sunburst(
            np.array(["root", "a", "b"]),
            np.array(["", "root", "root"]),
            np.array([10, 4, 6]),
            win="SB",
            opts={"size": 12, "opacity": 0.7},
        ),
    )
    yield (
        "dual_axis",
        lambda: vis.dual_axis_lines(
            np.array([1, 2, 3]), np.array([1, 4, 9]), np.array([3, 2, 1]), win="DA"
        ),
    )
    yield (
        "dual_axis_opts",
        lambda: vis.dual_axis_lines(
            np.array([1, 2]),
            np.array([1, 4]),
            np.array([3, 2]),
            win="DA2",
            opts={"title": "t", "side": "left"},
        ),
    )
    yield "graph", lambda: vis.graph([(0, 1), (1, 2), (2, 0), (0, 3)], win="GR")
    yield (
        "graph_labels",
        lambda: vis.graph(
            [[2, 1], [0, 2]],
            edgeLabels=["x", "y"],
            nodeLabels=["n0", "n1", "n2"],
            win="GR2",
            opts={"scheme": "different", "directed": True},
        ),
    )
    yield "embeddings", lambda: vis.embeddings(rng.rand(6, 3), ["a"] * 6, win="E")
    yield "update_window_opts", lambda: vis.update_window_opts("L", {"title": "new", "xlabel": "X"})
    yield "win_exists", lambda: vis.win_exists("L")
    yield "win_hash", lambda: vis.win_hash("L")
    yield "get_window_data", lambda: vis.get_window_data("L")
    yield "get_window_data_all", lambda: vis.get_window_data(env="probe")
    yield "set_window_data", lambda: vis.set_window_data('{"id": "L"}', win="L")
    yield "get_env_list", lambda: vis.get_env_list()
    yield "save", lambda: vis.save(["main", "probe"])
    yield "fork_env", lambda: vis.fork_env("main", "copy")
    yield "close", lambda: vis.close("T2")
    yield "close_all", lambda: vis.close(env="probe")
    yield "delete_env", lambda: vis.delete_env("copy")
    if FLAVOUR != "upstream":
        yield from calls_030(vis, rng)


def plotly_figure():
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=np.arange(3), y=np.array([1.5, 2.5, 0.5])))
    figure.update_layout(width=400, height=300, title={"text": "bd"})
    return figure


def calls_030(vis, rng):
    """Yield the calls of the functions and arguments that visdom 0.3.0 added."""
    y_true, y_score = [0, 0, 1, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.7]
    yield (
        "experiment",
        lambda: vis.experiment("run1", {"lr": 0.1}, {"m": "mlp"}, "d", env="exp"),
    )
    yield "experiment_defaults", lambda: vis.experiment()
    yield "log_metrics", lambda: vis.log_metrics({"loss": 0.5, "acc": 0.9}, step=3, env="exp")
    yield "log_metrics_no_step", lambda: vis.log_metrics({"loss": 0.4})
    yield "finish_experiment", lambda: vis.finish_experiment("failed", env="exp")
    yield "finish_experiment_default", lambda: vis.finish_experiment()
    yield "get_env_state", lambda: vis.get_env_state("probe")
    yield "delete_envs", lambda: vis.delete_envs(["a", "b"])
    yield (
        "table",
        lambda: vis.table(
            ["name", "<b>v</b>"], [[1, "x & y"], (2.5, None)], win="TB", opts={"title": "t"}
        ),
    )
    yield "table_empty", lambda: vis.table(["a"], [], win="TB2")
    yield (
        "sankey",
        lambda: vis.sankey([0, 1], [1, 2], [5, 3], labels=["A", "B", "C"], win="SK"),
    )
    yield (
        "sankey_opts",
        lambda: vis.sankey(
            np.array([0, 0, 1]),
            np.array([1, 2, 2]),
            np.array([1.5, 2.0, 0.5]),
            win="SK2",
            opts={
                "labels": ["a", "b", "c"],
                "pad": 5,
                "thickness": 8,
                "orientation": "v",
                "nodecolor": "red",
                "linkcolor": ["#aaa", "#bbb", "#ccc"],
                "title": "flows",
            },
        ),
    )
    yield "violin", lambda: vis.violin(rng.rand(5, 2), win="VI", opts={"legend": ["a", "b"]})
    yield (
        "violin_h",
        lambda: vis.violin(
            rng.rand(6),
            win="VI2",
            opts={
                "orientation": "h",
                "bandwidth": 0.5,
                "opacity": 0.6,
                "points": "all",
                "side": "positive",
                "showbox": False,
                "jitter": None,
            },
        ),
    )
    yield (
        "confusion_matrix",
        lambda: vis.confusion_matrix(y_true=[0, 1, 2, 1, 0], y_pred=[0, 2, 2, 1, 1], win="CM"),
    )
    yield (
        "confusion_matrix_normalized",
        lambda: vis.confusion_matrix(
            cm=np.array([[5, 1], [2, 0]]),
            labels=["cat", "dog"],
            normalize="true",
            win="CM2",
            opts={"colormap": "Reds", "title": "cm"},
        ),
    )
    yield (
        "confusion_matrix_strings",
        lambda: vis.confusion_matrix(
            y_true=["a", "b", "a"], y_pred=["a", "a", "a"], normalize="all", win="CM3"
        ),
    )
    yield (
        "confusion_matrix_replace",
        lambda: vis.confusion_matrix(
            cm=[[1.5, 0.5], [0.25, 2.0]], update="replace", win="CM2", opts={"showPercent": True}
        ),
    )
    yield "confusion_matrix_remove", lambda: vis.confusion_matrix(update="remove", win="CM3")
    yield "roc_curve", lambda: vis.roc_curve(y_true=y_true, y_score=y_score, win="ROC")
    yield (
        "roc_curve_points",
        lambda: vis.roc_curve(
            fpr=[0.0, 1.0, 0.5],
            tpr=[0.0, 1.0, 0.8],
            win="ROC2",
            opts={"legend": ["model", "random"], "title": "roc"},
        ),
    )
    yield "pr_curve", lambda: vis.pr_curve(y_true=y_true, y_score=y_score, win="PRC")
    yield (
        "pr_curve_points",
        lambda: vis.pr_curve(precision=[1.0, 0.5, 0.75], recall=[0.0, 1.0, 0.5], win="PRC2"),
    )
    yield (
        "histogram2d",
        lambda: vis.histogram2d(
            rng.rand(20),
            rng.rand(20),
            win="H2D",
            opts={"xnumbins": 4, "ynumbins": 3, "histnorm": "percent", "colormap": "Hot"},
        ),
    )
    Z3 = np.array([1.0, 2.0, 3.0])
    yield "line_3d", lambda: vis.line(Z3, np.array([0.0, 1.0, 2.0]), win="L3D", Z=Z3 * 2)
    yield (
        "line_3d_multi",
        lambda: vis.line(
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            np.array([0.0, 1.0]),
            win="L3D2",
            Z=np.array([5.0, 6.0]),
            is3d=True,
            opts={"legend": ["p", "q"], "zlabel": "z"},
        ),
    )
    yield (
        "line_3d_append",
        lambda: vis.line(
            np.array([2.0]), np.array([2.0]), win="L3D", Z=np.array([4.0]), update="append"
        ),
    )
    yield "line_column", lambda: vis.line(np.array([[1.0], [2.0]]), np.array([[0], [1]]), win="LC1")
    yield (
        "line_insert",
        lambda: vis.line(
            np.array([1.0, 2.0]), np.array([0.0, 1.0]), win="L", update="insert", name="2"
        ),
    )
    yield (
        "line_tight",
        lambda: vis.line(
            np.array([1.0, 2.0]),
            win="LT",
            opts={"tight_layout": True, "xlabel": "x", "xtickmin": 0, "xtickmax": 0},
        ),
    )
    yield (
        "line_history",
        lambda: vis.line(
            np.array([1.0, 2.0]),
            np.array([0, 1]),
            win="LH",
            opts={"store_history": True, "title": "h", "caption": "epoch 1"},
        ),
    )
    yield (
        "scatter_history_new",
        lambda: vis.scatter(rng.rand(3, 2), opts={"store_history": True}),
    )
    yield (
        "scatter_string_labels",
        lambda: vis.scatter(rng.rand(3, 2), np.array(["dog", "cat", "dog"]), win="SCS"),
    )
    yield (
        "scatter_float_labels",
        lambda: vis.scatter(rng.rand(3, 2), np.array([0.5, 2.5, 0.5]), win="SCF"),
    )
    yield (
        "scatter_markersize",
        lambda: vis.scatter(
            rng.rand(3, 2),
            np.array([1, 2, 1]),
            win="SCM",
            opts={"markersize": np.array([4.0, 8.0]), "markercolor": np.array([10, 20, 30])},
        ),
    )
    yield (
        "scatter_3d_nan",
        lambda: vis.scatter(np.array([[1.0, 2.0, np.nan], [np.inf, 1.0, 0.0]]), win="SCN"),
    )
    yield "surf_nan", lambda: vis.surf(np.array([[1.0, np.nan], [2.0, 3.0]]), win="SUN")
    yield (
        "parallel_coordinates",
        lambda: vis.parallel_coordinates(
            np.array([[0.1, 32, 0.9], [0.01, 64, 0.95], [0.001, 128, 0.8]]),
            np.array([0.9, 0.95, 0.8]),
            win="PC",
            opts={
                "dimensions": ["lr", "bs", "acc"],
                "title": "hp",
                "ranges": {0: [0, 0.2]},
                "tickvals": {1: [32, 64, 128]},
                "ticktext": {1: ["s", "m", "l"]},
                "reversescale": True,
            },
        ),
    )
    yield (
        "parallel_coordinates_plain",
        lambda: vis.parallel_coordinates(np.array([[1.0, 2.0], [1.0, 3.0]]), win="PC2"),
    )
    yield (
        "parallel_coordinates_top",
        lambda: vis.parallel_coordinates(
            rng.rand(5, 3), np.array([0.1, 0.5, 0.3, 0.9, 0.7]), opts={"max_experiments": 2}
        ),
    )
    yield (
        "learning_curve",
        lambda: vis.learning_curve({"train": [1.0, 0.8], "val": [1.1, 0.9]}, win="LCV"),
    )
    yield (
        "learning_curve_append",
        lambda: vis.learning_curve({"train": 0.7, "val": 0.85}, step=2, win="LCV", update="append"),
    )
    yield (
        "image_heatmap",
        lambda: vis.image_heatmap(rng.rand(3, 4, 5), rng.rand(4, 5), win="IHM"),
    )
    yield (
        "image_heatmap_opts",
        lambda: vis.image_heatmap(
            (rng.rand(4, 5) * 255).astype(np.uint8),
            rng.rand(4, 5) * 2,
            win="IHM2",
            opts={"alpha": 0.3, "colormap": "viridis", "caption": "c", "jpgquality": 90},
        ),
    )
    yield "image_select", lambda: vis.image_select("IH", 1)
    yield "update_image_slider", lambda: vis.update_image_slider("IH", np.int64(2), env="probe")
    yield "update_image_slider_float", lambda: vis.update_image_slider("IH", 3.0)
    yield "image_rgba", lambda: vis.image(rng.rand(4, 5, 6), win="IRGBA", opts={"jpgquality": 80})
    yield (
        "image_normalize",
        lambda: vis.image(rng.rand(3, 4, 4) * 10, win="INORM", opts={"normalize": True}),
    )
    yield "image_signed", lambda: vis.image(rng.rand(4, 4) * 2 - 1, win="ISIGN")
    yield "image_clipped", lambda: vis.image(rng.rand(1, 4, 4) * 500, win="ICLIP")
    yield "plotly_binary", lambda: vis.plotlyplot(plotly_figure(), win="PLB")
    yield (
        "audio_caption",
        lambda: vis.audio(np.zeros(20), win="A3", opts={"caption": "<silence>"}),
    )
    yield (
        "embeddings_int_labels",
        lambda: vis.embeddings(
            rng.rand(6, 3),
            [1, 3, 1, 3, 2, 2],
            win="E2",
            opts={"register_embedding_events": False},
        ),
    )


def main():
    install_fakes()
    vis = make_client()
    for name, thunk in calls(vis):
        requests.post(BASE + "/__mark__", data=name, timeout=10)
        try:
            result = thunk()
        except Exception:  # noqa: BLE001 - recorded for the test's report
            result = "EXC " + traceback.format_exc(limit=2).replace("\n", " | ")
        requests.post(BASE + "/__result__", data=json.dumps([name, repr(result)]), timeout=10)
    flush = getattr(vis, "flush", None)
    if flush is not None:
        flush()


if __name__ == "__main__":
    main()
