"""A writer killed mid-flush, one reader per logdir, files that are not files, a prompt stop."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import requests

from app.tensorboard.names import window_id

WRITER = textwrap.dedent(
    """
    import sys
    from tensorboardX import SummaryWriter
    writer = SummaryWriter(sys.argv[1], flush_secs=0.01, max_queue=1)
    step = 0
    while True:  # until killed: records cross buffer boundaries, so one is cut in half
        writer.add_scalar("loss", step * 0.5, step)
        writer.add_text("t", "x" * (step % 5000), step)
        step += 1
    """
)


def wait(predicate, timeout=15.0, what="a condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def loss(server, eid):
    r = requests.post(f"{server.url}/win_data", json={"eid": eid, "win": None}, timeout=10)
    win = r.json().get(window_id("scalar", "loss")) if r.status_code == 200 else None
    return win["content"]["data"][0] if win else None


def test_a_writer_killed_mid_flush_leaves_only_whole_points(server_factory, tmp_path):
    logdir = tmp_path / "logs"
    server = server_factory("-logdir", str(logdir))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(logdir / "killed")])
    try:
        wait(lambda: (loss(server, "killed") or {}).get("x", [])[-1:] >= [200], what="points")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    (name,) = os.listdir(logdir / "killed")
    size = os.path.getsize(logdir / "killed" / name)
    time.sleep(1.5)  # the last passes read up to the end of the last whole record
    trace = loss(server, "killed")
    n = len(trace["x"])
    assert trace["x"] == list(range(n)) and trace["y"] == [s * 0.5 for s in range(n)]
    assert n > 200
    # The offset stops at a record boundary: appending the rest of a record later works.
    assert "damaged" not in server.output() and size > 0


def test_one_reader_per_logdir_and_env_path(make_app, tmp_path):
    from app.tensorboard.tailer import Tailer

    app = make_app()
    first = Tailer(app, str(tmp_path))
    second = Tailer(app, str(tmp_path))
    assert first.acquire() and not second.acquire()
    first.stop()  # releases the lock: the other takes over
    assert second.acquire()
    second.stop()
    other = Tailer(app, str(tmp_path), prefix="other_")  # another mirror of it: its own lock
    assert other.acquire()
    other.stop()


def test_a_fifo_named_like_an_event_file_is_skipped(server_factory, tmp_path):
    from tensorboardX import SummaryWriter

    logdir = tmp_path / "logs"
    (logdir / "odd").mkdir(parents=True)
    os.mkfifo(logdir / "odd" / "events.out.tfevents.1.fifo")
    writer = SummaryWriter(str(logdir / "fine"))
    writer.add_scalar("loss", 1.0, 0)
    writer.close()
    server = server_factory("-logdir", str(logdir))
    wait(lambda: loss(server, "fine"), what="the good run")
    wait(lambda: "not a regular file" in server.output(), what="the log line")
    started = time.monotonic()
    server.stop()  # SIGTERM: the mirror stops with the server, at once
    assert time.monotonic() - started < 5
