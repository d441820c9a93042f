"""Drive the real UI and write a screenshot of an env page (docs/screenshot.png).

Starts `python -m app` on a free port with a temporary env path, sends windows the way a
training script does (HTTP POST /events and /update), opens the page in headless Chromium
(Debian's /usr/bin/chromium, or $VISDOM_CHROMIUM) and saves a PNG.

    .venv/bin/python scripts/screenshot.py docs/screenshot.png
"""

import base64
import io
import json
import math
import os
import sys
import tempfile
import time

import numpy as np
import requests
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # run as a script from anywhere

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

ENV = "demo_run"


def post(url, endpoint, body):
    resp = requests.post(f"{url}/{endpoint}", data=json.dumps(body), timeout=10)
    resp.raise_for_status()


def plot(url, win, title, data, layout=None, eid=ENV):
    layout = {
        "title": title,
        "showlegend": True,
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        **(layout or {}),
    }
    post(
        url,
        "events",
        {"eid": eid, "win": win, "opts": {"title": title}, "layout": layout, "data": data},
    )


def image_data_url():
    """A small procedural picture (a colour wheel), as a PNG data URL."""
    size = 96
    y, x = np.mgrid[-1 : 1 : size * 1j, -1 : 1 : size * 1j]
    hue = (np.arctan2(y, x) / (2 * math.pi)) % 1.0
    r = np.sqrt(x**2 + y**2)
    rgb = np.stack([np.sin(2 * math.pi * (hue + k / 3)) * 0.5 + 0.5 for k in range(3)], axis=-1)
    rgb = rgb * np.clip(1.2 - r, 0, 1)[..., None]
    buf = io.BytesIO()
    Image.fromarray((rgb * 255).astype(np.uint8)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def fill(url):
    """Send the demo windows (and two more envs, so that the selector has a hierarchy)."""
    rng = np.random.default_rng(7)
    steps = np.arange(0, 200)
    train = 2.3 * np.exp(-steps / 45) + 0.15 + rng.normal(0, 0.03, steps.size)
    val = 2.3 * np.exp(-steps / 55) + 0.25 + rng.normal(0, 0.02, steps.size)
    lines = [
        {
            "x": steps[:150].tolist(),
            "y": train[:150].round(4).tolist(),
            "name": "train",
            "type": "scatter",
            "mode": "lines",
        },
        {
            "x": steps[:150].tolist(),
            "y": val[:150].round(4).tolist(),
            "name": "val",
            "type": "scatter",
            "mode": "lines",
        },
    ]
    plot(url, "loss", "loss", lines, {"xaxis": {"title": "step"}})
    # The last points arrive as appends, like a running training loop.
    for name, series in (("train", train), ("val", val)):
        trace = {
            "x": steps[150:].tolist(),
            "y": series[150:].round(4).tolist(),
            "name": name,
            "type": "scatter",
        }
        body = {"eid": ENV, "win": "loss", "name": name, "append": True, "opts": {}, "layout": {}}
        post(url, "update", {**body, "data": [trace]})
    pts = rng.normal(size=(3, 60, 2)) * 0.6 + np.array([[[0, 0]], [[2, 1]], [[1, -1.5]]])
    scatter = [
        {
            "x": p[:, 0].round(3).tolist(),
            "y": p[:, 1].round(3).tolist(),
            "name": f"class {i}",
            "type": "scatter",
            "mode": "markers",
            "marker": {"size": 7},
        }
        for i, p in enumerate(pts)
    ]
    plot(url, "emb", "features (2-D)", scatter)
    z = (np.outer(np.sin(np.linspace(0, 3, 12)), np.cos(np.linspace(0, 3, 12))) * 10).round(2)
    plot(
        url,
        "attn",
        "attention",
        [{"z": z.tolist(), "type": "heatmap", "colorscale": "Viridis"}],
        {"showlegend": False},
    )
    image = {"src": image_data_url(), "caption": "sample 42"}
    post(
        url,
        "events",
        {
            "eid": ENV,
            "win": "img",
            "opts": {"title": "samples"},
            "data": [{"content": image, "type": "image"}],
        },
    )
    notes = (
        "<h3>Run demo_run</h3><p>lr <b>3e-4</b>, batch 64, <i>cosine</i> schedule.</p>"
        "<ul><li>step 200: val loss 0.41</li><li>checkpoint saved</li></ul>"
    )
    post(
        url,
        "events",
        {
            "eid": ENV,
            "win": "notes",
            "opts": {"title": "notes"},
            "data": [{"content": notes, "type": "text"}],
        },
    )
    props = [
        {"type": "number", "name": "learning rate", "value": "0.0003"},
        {"type": "select", "name": "optimizer", "value": 0, "values": ["adam", "sgd"]},
        {"type": "checkbox", "name": "augment", "value": True},
        {"type": "button", "name": "checkpoint", "value": "Save now"},
    ]
    post(
        url,
        "events",
        {
            "eid": ENV,
            "win": "props",
            "opts": {"title": "controls"},
            "data": [{"content": props, "type": "properties"}],
        },
    )
    nodes = [{"name": i, "label": f"layer {i}", "club": i % 3} for i in range(7)]
    edges = [{"source": i, "target": i + 1, "label": ""} for i in range(6)] + [
        {"source": 0, "target": 3, "label": ""},
        {"source": 2, "target": 5, "label": ""},
    ]
    graph = {"nodes": nodes, "edges": edges}
    opts = {"title": "model graph", "directed": True, "showVertexLabels": True}
    post(
        url,
        "events",
        {"eid": ENV, "win": "graph", "opts": opts, "data": [{"content": graph, "type": "network"}]},
    )
    for eid in ("demo_ablation", "baseline"):
        post(
            url,
            "events",
            {
                "eid": eid,
                "win": "notes",
                "opts": {"title": "notes"},
                "data": [{"content": eid, "type": "text"}],
            },
        )


def layout(url):
    """Place the windows (the same messages a browser sends when the user drags them)."""
    import socketio

    places = {
        "loss": (0, 0, 40, 24),
        "emb": (40, 0, 32, 24),
        "props": (72, 0, 28, 12),
        "notes": (72, 12, 28, 12),
        "attn": (0, 24, 34, 20),
        "img": (34, 24, 24, 20),
        "graph": (58, 24, 42, 20),
    }
    sio = socketio.Client(reconnection=False)
    sio.connect(url, transports=["websocket"], wait_timeout=10)
    for win, (x, y, w, h) in places.items():
        sio.call(
            "layout_item_update",
            {"eid": ENV, "win": win, "layout": {"x": x, "y": y, "w": w, "h": h}},
            timeout=10,
        )
    sio.disconnect()


def shoot(url, out):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 780}, device_scale_factor=1)
        page.goto(f"{url}/env/{ENV}")
        deadline = time.monotonic() + 60
        while not page.evaluate(
            "document.body.dataset.loaded && document.querySelectorAll('.plot-pane .main-svg').length >= 3"
        ):
            if time.monotonic() > deadline:
                raise SystemExit("the page did not finish loading")
            time.sleep(0.1)
        page.locator('[data-win="img"] .image-stage').hover()
        page.wait_for_timeout(800)
        page.screenshot(path=out)
        browser.close()


def main(argv):
    out = os.path.abspath(
        argv[1] if len(argv) > 1 else os.path.join(ROOT, "docs", "screenshot.png")
    )
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    with tempfile.TemporaryDirectory(prefix="visdom-shot-") as tmp:
        env_path = os.path.join(tmp, "envs")
        os.makedirs(env_path)
        server = ServerProcess(env_path).start()
        url = server.url
        try:
            fill(url)
            layout(url)
            shoot(url, out)
        finally:
            server.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
