"""A server process with -logdir follows event files written by tensorboardX's SummaryWriter."""

import math
import os
import time

import numpy as np
import pytest
import requests
from tensorboardX import SummaryWriter

from app.tensorboard.names import window_id
from app.tensorboard.records import frame


def wait(predicate, timeout=10.0, what="a condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def windows(server, eid):
    r = requests.post(f"{server.url}/win_data", json={"eid": eid, "win": None}, timeout=10)
    return {} if r.status_code == 404 else r.json()


def scalar_ys(server, eid, tag):
    win = windows(server, eid).get(window_id("scalar", tag))
    return win["content"]["data"][0]["y"] if win else []


def on_disk(writer, path_dir, before=0):
    """Flush until the writer's file grew past `before`: tensorboardX's flush() returns
    before its queue's thread has written the event (it then sits in a buffer)."""

    def grown():
        writer.flush()
        return _size(path_dir) > before and _size(path_dir)

    return wait(grown, what="the flush on disk")


def _size(path_dir):
    files = [f for f in os.listdir(path_dir) if "tfevents" in f]
    return sum(os.path.getsize(os.path.join(path_dir, f)) for f in files)


@pytest.fixture
def logdir(tmp_path):
    path = tmp_path / "logs"
    path.mkdir()
    return path


def test_every_summary_kind_is_mirrored(server_factory, logdir):
    writer = SummaryWriter(str(logdir / "exp" / "ünï run"))
    for step in range(50):
        writer.add_scalar("loss/train", 1.0 / (step + 1), step)
        writer.add_scalar("loss/val", float("nan") if step == 3 else 2.0 / (step + 1), step)
    writer.add_histogram("weights/w1", np.random.default_rng(0).normal(size=1000), 0)
    writer.add_histogram("weights/w1", np.random.default_rng(1).normal(3, 1, size=1000), 1)
    writer.add_image("samples", np.random.default_rng(2).random((3, 16, 16)), 0)
    writer.add_image("samples", np.random.default_rng(3).random((3, 16, 16)), 1)
    writer.add_text("notes", "# Title\n<script>alert(1)</script> **ok**", 0)
    # add_hparams writes into a new directory under the run, named by the time: a run of
    # its own (as in TensorBoard's hparams dashboard), its env named after that path.
    writer.add_hparams({"lr": 0.01, "layers": 3, "opt": "adam"}, {"hp/acc": 0.75}, name="hp")
    writer.close()
    server = server_factory("-logdir", str(logdir))
    eid = "exp_ünï run"
    wait(lambda: len(windows(server, eid)) >= 5, what="the run's windows")
    wins = windows(server, eid)
    train = wins[window_id("scalar", "loss/train")]
    assert train["title"] == "loss/train" and train["type"] == "plot"
    assert train["content"]["data"][0]["x"] == list(range(50))
    assert train["content"]["data"][0]["y"][49] == pytest.approx(1 / 50)
    val = wins[window_id("scalar", "loss/val")]["content"]["data"][0]["y"]
    assert math.isnan(val[3])  # /win_data answers as upstream does: NaN kept
    hist = wins[window_id("histogram", "weights/w1")]
    medians = [t for t in hist["content"]["data"] if t["name"] == "p50"][0]["y"]
    assert abs(medians[0]) < 0.3 and abs(medians[1] - 3) < 0.3
    images = wins[window_id("image", "samples")]
    assert images["type"] == "image_history" and len(images["content"]) == 2
    assert images["content"][1]["src"].startswith("data:image/png;base64,")
    text = wins[window_id("text", "notes")]
    assert text["type"] == "text" and "<h1>Title</h1>" in text["content"]
    experiments = requests.get(f"{server.url}/api/experiments", timeout=10).json()
    record = [e for e in experiments["experiments"] if e["eid"] == eid + "_hp"][0]["experiment"]
    assert {p["key"]: p["value"] for p in record["params"]} == {
        "lr": 0.01,
        "layers": 3,
        "opt": "adam",
    }
    assert {m["key"]: m["value"] for m in record["metrics"]} == {"hp/acc": pytest.approx(0.75)}
    assert record["status"] == "finished"
    # Wall times are the events' own (the writer's), not the server's read time.
    assert train.get("visdom_wall")


def test_live_appends_restart_and_new_runs(server_factory, logdir):
    run = logdir / "live"
    writer = SummaryWriter(str(run))
    writer.flush()
    size = wait(lambda: _size(run), what="the file's header record")
    writer.add_scalar("acc", 0.0, 0)
    size = on_disk(writer, run, size)
    server = server_factory("-logdir", str(logdir))
    wait(lambda: scalar_ys(server, "live", "acc") == [0.0], what="the first point")
    for step in range(1, 6):
        writer.add_scalar("acc", step / 10, step)
        size = on_disk(writer, run, size)
        started = time.monotonic()
        wait(lambda s=step: len(scalar_ys(server, "live", "acc")) == s + 1, 5, "the new point")
        assert time.monotonic() - started < 2.0
    # A new run directory becomes a new env while the server runs.
    other = SummaryWriter(str(logdir / "later"))
    other.add_scalar("acc", 1.0, 0)
    other.close()
    wait(lambda: scalar_ys(server, "later", "acc") == [1.0], 5, "the new run's env")
    # A restart resumes where it stopped: nothing is appended twice.
    server.restart()
    writer.add_scalar("acc", 0.6, 6)
    size = on_disk(writer, run, size)
    writer.close()
    wait(lambda: len(scalar_ys(server, "live", "acc")) >= 7, what="the point after restart")
    time.sleep(1.5)  # a few more polls
    assert scalar_ys(server, "live", "acc") == pytest.approx([s / 10 for s in range(7)])
    assert scalar_ys(server, "later", "acc") == [1.0]


def test_truncated_then_completed_and_corrupt_files(server_factory, logdir, tmp_path):
    source = tmp_path / "source"
    writer = SummaryWriter(str(source))
    for step in range(10):
        writer.add_scalar("loss", float(step), step)
    writer.close()
    (name,) = os.listdir(source)
    data = (source / name).read_bytes()
    (logdir / "partial").mkdir()
    (logdir / "partial" / name).write_bytes(data[:-7])  # the last record cut short
    (logdir / "broken").mkdir()
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF
    (logdir / "broken" / name).write_bytes(bytes(damaged))
    (logdir / "fine").mkdir()
    (logdir / "fine" / name).write_bytes(data)
    server = server_factory("-logdir", str(logdir))
    wait(lambda: len(scalar_ys(server, "fine", "loss")) == 10, what="the good run")
    wait(lambda: len(scalar_ys(server, "partial", "loss")) == 9, what="the complete records")
    time.sleep(1.0)
    assert len(scalar_ys(server, "partial", "loss")) == 9  # never half a record
    with open(logdir / "partial" / name, "ab") as f:
        f.write(data[-7:])  # the writer finishes its flush
    wait(lambda: len(scalar_ys(server, "partial", "loss")) == 10, what="the completed record")
    broken = scalar_ys(server, "broken", "loss")
    assert 0 < len(broken) < 10 and broken == [float(s) for s in range(len(broken))]
    # Appending to the good file still works; the damaged one is logged once.
    with open(logdir / "fine" / name, "ab") as f:
        f.write(frame(_event(10, "loss", 10.0)))
    wait(lambda: len(scalar_ys(server, "fine", "loss")) == 11, what="the appended record")
    damaged_path = str(logdir / "broken" / name)
    assert server.output().count(damaged_path) == 1, server.output()


def _event(step, tag, value):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return event_pb2.Event(step=step, wall_time=time.time(), summary=summary).SerializeToString()


def test_bad_tags_and_images_are_skipped_with_one_line(server_factory, logdir):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    run = logdir / "bad"
    run.mkdir()
    events = [_event(0, "good", 1.0), _event(0, "", 5.0), _event(1, "bad\x01tag", 6.0)]
    image = summary_pb2.Summary.Image(height=2, width=2, encoded_image_string=b"not a png")
    for step in range(3):
        summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="pic", image=image)])
        events.append(event_pb2.Event(step=step, summary=summary).SerializeToString())
    events.append(_event(1, "good", 2.0))
    path = run / "events.out.tfevents.1.test"
    path.write_bytes(b"".join(frame(e) for e in events))
    server = server_factory("-logdir", str(logdir))
    wait(lambda: scalar_ys(server, "bad", "good") == [1.0, 2.0], what="the good tag")
    out = wait(lambda: "readable image" in server.output() and server.output(), 5, "the log")
    time.sleep(1.0)  # more polls: still one line each
    out = server.output()
    assert set(windows(server, "bad")) == {window_id("scalar", "good")}
    assert out.count("not a readable image") == 1 and out.count("is skipped") == 2, out


def test_visdom_logdir_variable_and_prefix(server_factory, logdir):
    writer = SummaryWriter(str(logdir / "r1"))
    writer.add_scalar("x", 3.0, 0)
    writer.close()
    server = server_factory(env={"VISDOM_LOGDIR": str(logdir), "VISDOM_LOGDIR_ENV_PREFIX": "tb_"})
    wait(lambda: scalar_ys(server, "tb_r1", "x") == [3.0], what="the prefixed env")
