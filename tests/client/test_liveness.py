"""Run liveness with real processes: a client killed with -9 reads crashed after the
timeout; a normal exit reads finished, an uncaught exception failed; an idle client stays
running."""

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import requests

from tests.client.conftest import wait_for

ROOT = pathlib.Path(__file__).resolve().parents[2]

TIMEOUT = 1.5  # RUN_TIMEOUT of the server under test


@pytest.fixture
def live(server_factory):
    return server_factory("-run_timeout", str(TIMEOUT))


_procs = []


@pytest.fixture(autouse=True)
def _close_pipes():
    yield
    while _procs:
        proc = _procs.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def script(server, eid, tail):
    code = textwrap.dedent(f"""
        import sys, time
        from visdom_client import Visdom
        vis = Visdom(port={server.port}, server="http://127.0.0.1", env={eid!r},
                     use_incoming_socket=False)
        vis.experiment(name="job", params={{"lr": 0.1}})
        vis.line(X=[0], Y=[1.0], win="loss")
        print("ready", flush=True)
    """) + textwrap.dedent(tail)
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _procs.append(proc)
    return proc


def record(server, eid):
    runs = requests.get(f"{server.url}/api/experiments", timeout=10).json()["experiments"]
    found = [r["experiment"] for r in runs if r["eid"] == eid]
    return found[0] if found else None


def status(server, eid):
    found = record(server, eid)
    return found and found["status"]


def started(proc):
    line = proc.stdout.readline()
    assert line.strip() == "ready", line + proc.stderr.read()


def test_killed_client_reads_crashed_after_the_timeout(live):
    eid = "killed ü"
    proc = script(live, eid, "time.sleep(120)\n")
    started(proc)
    assert status(live, eid) == "running"
    seen = record(live, eid)
    assert seen["pid"] == proc.pid and seen["host"]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = time.time()
    time.sleep(TIMEOUT / 2)
    assert status(live, eid) == "running"  # not yet: only the timeout tells a crash
    assert wait_for(lambda: status(live, eid) == "crashed", timeout=TIMEOUT + 3)
    assert time.time() - killed >= TIMEOUT * 0.5
    last = record(live, eid)["last_seen"]
    assert killed - TIMEOUT - 1 <= last <= killed + 0.1


def test_idle_client_stays_running(live):
    eid = "idle"
    proc = script(live, eid, f"time.sleep({6 * TIMEOUT})\n")
    started(proc)
    for _ in range(8):  # 3 timeouts without logging anything: the heartbeat keeps it
        time.sleep(TIMEOUT / 2)
        assert status(live, eid) == "running"
    proc.wait(timeout=30)
    assert wait_for(lambda: status(live, eid) == "finished", timeout=5)


def test_normal_exit_finished_and_exception_failed(live):
    ok = script(live, "exits", "vis.line(X=[1], Y=[2.0], win='loss', update='append')\n")
    bad = script(live, "raises", "raise RuntimeError('diverged')\n")
    started(ok)
    started(bad)
    t0 = time.monotonic()
    assert ok.wait(timeout=30) == 0
    assert bad.wait(timeout=30) == 1
    assert "diverged" in bad.stderr.read()
    assert time.monotonic() - t0 < 10
    assert status(live, "exits") == "finished"
    assert status(live, "raises") == "failed"
    time.sleep(TIMEOUT + 0.5)  # ended runs never turn crashed
    assert status(live, "exits") == "finished" and status(live, "raises") == "failed"


def test_context_manager_with_an_exception_marks_failed(live):
    code = textwrap.dedent(f"""
        from visdom_client import Visdom
        try:
            with Visdom(port={live.port}, server="http://127.0.0.1", env="ctx",
                        use_incoming_socket=False) as vis:
                vis.keep_alive()
                raise ValueError("boom")
        except ValueError:
            pass
        import time; time.sleep(0.2)
    """)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
    assert status(live, "ctx") == "failed"


def test_run_rule_fires_on_a_crash(live):
    from tests.client.hooks import Receiver

    hooks = Receiver()
    try:
        eid = "crash rule"
        proc = script(live, eid, "time.sleep(120)\n")
        started(proc)
        made = requests.post(
            f"{live.url}/api/alert_rules",
            json={"eid": eid, "kind": "run", "webhook": hooks.url("/run")},
            timeout=10,
        )
        assert made.status_code == 201, made.text
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        ((_, body),) = hooks.wait("/run", eid=eid, timeout=TIMEOUT + 8)
        assert body["value"] == "crashed" and body["rule"]["kind"] == "run"
        assert body["level"] == "error" and "crashed" in body["title"]
        time.sleep(2)
        assert len(hooks.received("/run", eid=eid)) == 1  # once per crash
    finally:
        hooks.close()
