"""Non-blocking mode: queued sending, merged appends, flush on exit, survives restarts."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from visdom_client import Visdom, VisdomError

from .conftest import env_windows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ys(server, eid, win="w"):
    return env_windows(server, eid)[win]["content"]["data"][0]["y"]


def test_appends_are_merged_and_all_points_arrive(shared_server, eid):
    with Visdom(
        port=shared_server.port, server="http://127.0.0.1", env=eid, nonblocking=True
    ) as vis:
        vis.line([0.0], [0], win="w", update="append", opts={"title": "t"})
        for i in range(1, 2000):
            assert vis.line([float(i)], [i], win="w", update="append", opts={"title": "t"}) == "w"
        assert vis.flush(timeout=30)
        sender = vis._sender
    assert ys(shared_server, eid) == list(range(2000))
    assert sender.sent < 2000 and sender.merged > 0
    assert sender.sent + sender.merged == 2000


def test_order_is_kept_across_windows_and_calls(shared_server, eid):
    with Visdom(
        port=shared_server.port, server="http://127.0.0.1", env=eid, nonblocking=True
    ) as vis:
        for i in range(50):
            vis.line([float(i)], [i], win="a", update="append")
            vis.line([float(-i)], [i], win="b", update="append")
        vis.text("log", win="t")
        for i in range(5):
            vis.text(str(i), win="t", append=True)
        assert vis.win_exists("t") is True  # a synchronous call flushes first
        assert env_windows(shared_server, eid)["t"]["content"] == "log<br>0<br>1<br>2<br>3<br>4"
    assert ys(shared_server, eid, "a") == list(range(50))
    assert ys(shared_server, eid, "b") == [-i for i in range(50)]


def test_appends_never_wait_for_the_network(shared_server, eid):
    vis = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid, nonblocking=True)
    start = time.perf_counter()
    for i in range(5000):
        vis.line([float(i)], [i], win="w", update="append")
    elapsed = time.perf_counter() - start
    vis.shutdown()
    assert elapsed < 5.0
    assert len(ys(shared_server, eid)) == 5000


def test_pending_points_are_sent_at_interpreter_exit(shared_server, eid):
    script = textwrap.dedent(
        f"""
        from visdom_client import Visdom
        vis = Visdom(port={shared_server.port}, server="http://127.0.0.1", env="{eid}",
                     nonblocking=True)
        for i in range(300):
            vis.line([float(i)], [i], win="w", update="append")
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    assert ys(shared_server, eid) == list(range(300))


def test_queue_survives_a_server_restart(live_server, eid):
    vis = Visdom(port=live_server.port, server="http://127.0.0.1", env=eid, nonblocking=True)
    vis.line([0.0], [0], win="w", update="append")
    assert vis.flush(timeout=10)
    live_server.stop()
    for i in range(1, 100):
        vis.line([float(i)], [i], win="w", update="append")
    time.sleep(0.5)
    live_server.start()
    assert vis.flush(timeout=30) is not False
    vis.shutdown()
    assert ys(live_server, eid)[-99:] == list(range(1, 100))


def test_errors_surface_on_flush(live_server, eid):
    vis = Visdom(port=live_server.port, server="http://127.0.0.1", env=eid, nonblocking=True)
    vis.text("x", win="t", append=True)  # no such window: the server refuses the update
    vis.text("y", win="u")
    with pytest.raises(VisdomError):
        vis.flush(timeout=10)
    vis.shutdown()
    assert "u" in env_windows(live_server, eid)


def test_requests_after_shutdown_are_refused(shared_server, eid):
    vis = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid, nonblocking=True)
    vis.shutdown()
    with pytest.raises(VisdomError, match="shut down"):
        vis.text("late")
