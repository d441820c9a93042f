"""The examples run against a real server, finish by themselves and leave their windows."""

import os
import subprocess
import sys
import time

import pytest

from tests.support.waiting import wait_for

from .conftest import env_windows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_example(name, *args, timeout=120):
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "example", name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_demo_draws_every_window(live_server):
    proc = run_example(
        "demo.py", "--server", "http://127.0.0.1", "--port", str(live_server.port), "--once"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    plots = env_windows(live_server, "demo_plots")
    media = env_windows(live_server, "demo_media")
    callbacks = env_windows(live_server, "demo_callbacks")
    assert {"line", "appended", "scatter", "heatmap", "surf", "pie", "dual"} <= set(plots)
    assert len(plots) == 16
    assert {
        "intro",
        "image",
        "history",
        "audio",
        "svg",
        "matplotlib",
        "plotly",
        "graph",
        "embeddings",
    } <= set(media)
    assert {"pad", "controls", "wave"} <= set(callbacks)
    assert len(plots["appended"]["content"]["data"][0]["y"]) == 10


@pytest.mark.parametrize("base_url", ["/visdom"])
def test_demo_callbacks_respond_to_the_browser(server_factory, browser_factory, base_url):
    srv = server_factory(base_url=base_url)
    proc = subprocess.Popen(
        [
            sys.executable,
            os.path.join(ROOT, "example", "demo.py"),
            "--server",
            "http://127.0.0.1",
            "--port",
            str(srv.port),
            "--base_url",
            base_url,
            "--prefix",
            "cb",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(
            lambda: proc.poll() is None and "wave" in env_windows(srv, "cb_callbacks"), timeout=60
        )
        time.sleep(1.0)  # let the demo subscribe to the env's events
        browser = browser_factory(srv, "cb_callbacks")
        for key in ("h", "i", "Enter", "!"):
            browser.send("pad", "KeyPress", key=key, key_code=0)
        pad = wait_for(
            lambda: "hi<br>!|" in env_windows(srv, "cb_callbacks")["pad"]["content"], timeout=20
        )
        assert pad
        browser.send("controls", "PropertyUpdate", propertyId=1, value="3")

        def amplitude():
            ys = env_windows(srv, "cb_callbacks")["wave"]["content"]["data"][0]["y"]
            return max(v for v in ys if v is not None) > 2.9

        assert wait_for(amplitude, timeout=20)
        props = env_windows(srv, "cb_callbacks")["controls"]["content"]
        assert props[1]["value"] == "3"
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_training_loop_logs_losses_images_and_text(live_server):
    proc = run_example(
        "training_loop.py",
        "--server",
        "http://127.0.0.1",
        "--port",
        str(live_server.port),
        "--epochs",
        "3",
        "--steps",
        "20",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    windows = env_windows(live_server, "training")
    assert {"loss", "accuracy", "samples", "weights", "log"} <= set(windows)
    traces = {t["name"]: t for t in windows["loss"]["content"]["data"]}
    assert len(traces["train"]["y"]) == 60 and len(traces["val"]["y"]) == 3
    assert windows["loss"]["content"]["layout"]["xaxis"]["title"] == "step"
    assert len(windows["weights"]["content"]) == 3
    assert windows["log"]["content"].endswith("done")
