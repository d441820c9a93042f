"""Tour of visdom_client: every window type once, in a few envs, plus two callback demos.

Run a server (`make run`), then `python example/demo.py` and open http://localhost:8097.
The callback demos keep running until Ctrl-C (or --timeout); --once draws and exits.
"""

import argparse
import math
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from visdom_client import Visdom  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://localhost")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--base_url", default="/")
    parser.add_argument("--prefix", default="demo", help="env names start with this")
    parser.add_argument("--once", action="store_true", help="draw everything and exit")
    parser.add_argument("--timeout", type=float, default=None, help="stop after N seconds")
    return parser.parse_args(argv)


def plots(vis, env):
    """Every plot type once."""
    x = np.linspace(0, 4 * math.pi, 100)
    vis.line(
        np.column_stack([np.sin(x), np.cos(x)]),
        x,
        win="line",
        env=env,
        opts={"title": "line", "legend": ["sin", "cos"], "xlabel": "t"},
    )
    for step in range(10):
        vis.line(
            [math.exp(-step / 4)],
            [step],
            win="appended",
            env=env,
            update="append",
            opts={"title": "appended point by point"},
        )
    points = np.random.randn(60, 2)
    vis.scatter(
        points,
        (points[:, 0] > 0).astype(int) + 1,
        win="scatter",
        env=env,
        opts={"title": "scatter", "legend": ["left", "right"], "markersize": 6},
    )
    vis.scatter(np.random.randn(40, 3), win="scatter3d", env=env, opts={"title": "3-D scatter"})
    vis.stem(np.abs(np.sin(np.arange(12))), win="stem", env=env, opts={"title": "stem"})
    grid = np.meshgrid(np.linspace(-1, 1, 8), np.linspace(-1, 1, 8))
    vis.quiver(-grid[1], grid[0], win="quiver", env=env, opts={"title": "quiver"})
    vis.heatmap(
        np.outer(np.arange(1, 6), np.arange(1, 9)),
        win="heatmap",
        env=env,
        opts={"title": "heatmap", "colormap": "Electric"},
    )
    vis.bar(
        np.random.rand(4, 3),
        win="bar",
        env=env,
        opts={"title": "stacked bar", "stacked": True, "legend": ["a", "b", "c"]},
    )
    vis.histogram(
        np.random.randn(1000), win="histogram", env=env, opts={"title": "histogram", "numbins": 25}
    )
    vis.boxplot(
        np.random.randn(100, 3),
        win="boxplot",
        env=env,
        opts={"title": "boxplot", "legend": ["x", "y", "z"]},
    )
    surface = np.sin(grid[0] * 3) * np.cos(grid[1] * 3)
    vis.surf(surface, win="surf", env=env, opts={"title": "surface"})
    vis.contour(surface, win="contour", env=env, opts={"title": "contour"})
    vis.mesh(np.random.rand(20, 3), win="mesh", env=env, opts={"title": "mesh", "opacity": 0.5})
    vis.pie(
        np.array([30, 20, 50]),
        win="pie",
        env=env,
        opts={"title": "pie", "legend": ["train", "val", "test"]},
    )
    vis.sunburst(
        np.array(["all", "cats", "dogs", "tabby"]),
        np.array(["", "all", "all", "cats"]),
        win="sunburst",
        env=env,
        opts={"title": "sunburst"},
    )
    vis.dual_axis_lines(
        np.arange(10),
        np.arange(10) ** 2,
        np.sqrt(np.arange(10)),
        win="dual",
        env=env,
        opts={"title": "two y axes"},
    )


def media(vis, env):
    """Text, images, audio, svg, matplotlib, plotly, properties, graph, embeddings."""
    vis.text(
        "<h3>visdom_client demo</h3>Every window type, drawn by <code>example/demo.py</code>.",
        win="intro",
        env=env,
        opts={"title": "intro"},
    )
    vis.image(np.random.rand(3, 64, 64), win="image", env=env, opts={"caption": "noise"})
    vis.images(
        np.random.rand(8, 3, 32, 32), nrow=4, win="images", env=env, opts={"title": "a batch"}
    )
    for i in range(3):
        vis.image(
            np.full((32, 32), i / 2),
            win="history",
            env=env,
            opts={"store_history": True, "caption": f"step {i}"},
        )
    rate = 8000
    tone = np.sin(2 * math.pi * 440 * np.arange(rate) / rate)
    vis.audio(tone, win="audio", env=env, opts={"sample_frequency": rate})
    vis.svg(
        '<svg width="120" height="60"><circle cx="30" cy="30" r="25" fill="teal"/>'
        '<rect x="70" y="10" width="40" height="40" fill="orange"/></svg>',
        win="svg",
        env=env,
        opts={"title": "svg"},
    )
    video = os.path.join(tempfile.gettempdir(), "visdom-demo.webm")
    if os.path.exists(video):
        vis.video(videofile=video, win="video", env=env)
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        fig = Figure(figsize=(4, 3))
        fig.add_subplot().plot(np.cumsum(np.random.randn(50)))
        vis.matplot(fig, win="matplotlib", env=env, opts={"title": "matplotlib"})
    except ImportError:
        vis.text("matplotlib is not installed", win="matplotlib", env=env)
    try:
        import plotly.graph_objects as go

        fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2]), layout={"title": "plotly"})
        vis.plotlyplot(fig, win="plotly", env=env)
    except ImportError:
        vis.text("plotly is not installed", win="plotly", env=env)
    vis.graph(
        [(0, 1), (1, 2), (2, 0), (2, 3)],
        win="graph",
        env=env,
        opts={"title": "graph", "showVertexLabels": True},
    )
    features = np.vstack([np.random.randn(30, 8) + c for c in (0, 4)])
    labels = ["near"] * 30 + ["far"] * 30
    vis.embeddings(
        features,
        labels,
        data_getter=lambda i: f"<b>entity {i}</b>",
        data_type="html",
        win="embeddings",
        env=env,
    )


class TextPad:
    """An editable text window: keys typed into it (KeyPress events) edit its content."""

    def __init__(self, vis, env):
        self.vis, self.env, self.text = vis, env, ""
        self.draw()
        vis.register_event_handler(self.on_event, "pad", env=env)

    def draw(self):
        shown = self.text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
        self.vis.text(
            f"Type here (click first): {shown}|",
            win="pad",
            env=self.env,
            opts={"title": "text pad"},
        )

    def on_event(self, event):
        if event["event_type"] != "KeyPress":
            return
        key = event["key"]
        if key == "Enter":
            self.text += "\n"
        elif key == "Backspace":
            self.text = self.text[:-1]
        elif len(key) == 1:
            self.text += key
        else:
            return
        self.draw()


class WaveControls:
    """A properties panel whose edits redraw a plot."""

    def __init__(self, vis, env):
        self.vis, self.env = vis, env
        self.props = [
            {"type": "number", "name": "frequency", "value": "1"},
            {"type": "number", "name": "amplitude", "value": "1"},
            {"type": "select", "name": "shape", "value": 0, "values": ["sine", "square"]},
            {"type": "checkbox", "name": "markers", "value": False},
        ]
        vis.properties(self.props, win="controls", env=env, opts={"title": "wave controls"})
        self.redraw()
        vis.register_event_handler(self.on_event, "controls", env=env)

    def redraw(self):
        freq = float(self.props[0]["value"] or 0)
        amp = float(self.props[1]["value"] or 0)
        x = np.linspace(0, 2 * math.pi, 200)
        y = amp * np.sin(freq * x)
        if self.props[2]["value"] == 1:
            y = amp * np.sign(y)
        self.vis.line(
            y,
            x,
            win="wave",
            env=self.env,
            opts={"title": "wave", "markers": bool(self.props[3]["value"])},
        )

    def on_event(self, event):
        if event["event_type"] != "PropertyUpdate":
            return
        item = self.props[event["propertyId"]]
        value = event["value"]
        if item["type"] == "select":
            value = int(value)
        elif item["type"] == "number":
            try:
                float(value)
            except ValueError:
                return
        item["value"] = value
        self.vis.properties(
            self.props, win="controls", env=self.env, opts={"title": "wave controls"}
        )
        self.redraw()


def main(argv=None):
    args = parse_args(argv)
    vis = Visdom(
        server=args.server,
        port=args.port,
        base_url=args.base_url,
        env=f"{args.prefix}_plots",
        raise_exceptions=True,
    )
    if not vis.check_connection(timeout_seconds=5):
        raise SystemExit(f"no visdom server at {args.server}:{args.port}{args.base_url}")
    plots(vis, f"{args.prefix}_plots")
    media(vis, f"{args.prefix}_media")
    callbacks = f"{args.prefix}_callbacks"
    TextPad(vis, callbacks)
    WaveControls(vis, callbacks)
    print(f"drawn into envs {args.prefix}_plots, {args.prefix}_media and {callbacks}")
    if not args.once:
        print("callback demos are live: type into 'text pad', edit 'wave controls' (Ctrl-C quits)")
        deadline = None if args.timeout is None else time.monotonic() + args.timeout
        try:
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
    vis.shutdown()


if __name__ == "__main__":
    main()
