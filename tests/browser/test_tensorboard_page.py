"""A page open on a -logdir run draws points a tensorboardX writer flushes, within 2 s."""

import os
import time

import numpy as np
import pytest
from tensorboardX import SummaryWriter

from app.tensorboard.names import window_id

LOSS = window_id("scalar", "loss/train")
HIST = window_id("histogram", "weights/w")
IMAGE = window_id("image", "samples")


def _size(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


def flush(writer, path, before):
    """tensorboardX's flush() returns before its thread wrote the event: flush until it is."""
    deadline = time.monotonic() + 10
    while _size(path) <= before:
        assert time.monotonic() < deadline, "the writer never wrote the event"
        writer.flush()
        time.sleep(0.02)
    return _size(path)


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "logs"


@pytest.fixture
def server(server_factory, logdir):
    """This module's pages look at a server that follows `logdir`."""
    run = logdir / "exp1"
    writer = SummaryWriter(str(run))
    for step in range(20):
        writer.add_scalar("loss/train", 1.0 / (step + 1), step)
    writer.add_histogram("weights/w", np.random.default_rng(0).normal(size=500), 0)
    writer.add_histogram("weights/w", np.random.default_rng(1).normal(size=500), 1)
    writer.add_image("samples", np.random.default_rng(2).random((3, 32, 32)), 0)
    writer.close()
    return server_factory("-logdir", str(logdir))


def test_the_page_draws_points_as_the_writer_flushes_them(ui, logdir):
    page = ui.open("/env/exp1")
    gd = f"document.querySelector('[data-win=\"{LOSS}\"] .plot-pane')"
    ui.wait(f"{gd}.data[0].x.length === 20")
    assert page.evaluate(f"{gd}.layout.title.text || {gd}.layout.title") == "loss/train"
    # The histogram's percentile bands and the image history are drawn too.
    hist = f"document.querySelector('[data-win=\"{HIST}\"] .plot-pane')"
    ui.wait(f"{hist}.data.length === 9 && {hist}.data[4].x.length === 2")
    ui.wait(f"document.querySelector('[data-win=\"{IMAGE}\"] img')?.src.startsWith('data:image')")
    run = logdir / "exp1"
    writer = SummaryWriter(str(run), filename_suffix=".live")
    size = flush(writer, run, _size(run))  # its first record (the file version)
    delays = []
    for step in range(20, 23):
        writer.add_scalar("loss/train", 100.0 + step, step)  # a spike: drawn as it is
        size = flush(writer, run, size)
        flushed = time.monotonic()
        ui.wait(f"{gd}.data[0].x.length === {step + 1}", timeout=5)
        delays.append(time.monotonic() - flushed)
    writer.close()
    assert max(delays) < 2.0, delays
    assert page.evaluate(f"{gd}.data[0].y.slice(-1)[0]") == 122.0
    ui.shot("tensorboard_live")
