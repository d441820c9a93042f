"""A disk that cannot take a write: changes are refused with a 503, memory stays as it was,
and writes succeed again once the disk recovers, without a restart."""

import os
import shutil
import subprocess

import pytest
import requests

from tests.support.server import ServerProcess
from tests.support.waiting import wait_for

LINE = {"x": [0], "y": [1.0], "name": "a", "type": "scatter"}


def _append(srv, n):
    body = {"eid": "main", "win": "L", "name": "a", "append": True}
    body["data"] = [dict(LINE, x=[n], y=[float(n)])]
    return requests.post(srv.url + "/update", json=body, timeout=10)


def _points(srv):
    window = requests.post(srv.url + "/win_data", json={"eid": "main", "win": "L"}, timeout=10)
    return window.json()["content"]["data"][0]["x"]


def _eventually(check, seconds=10.0):
    return wait_for(check, seconds, "writes to be accepted again", interval=0.1)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (needs root, as in CI); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_refuses_writes_with_503_and_recovers(small_disk, tmp_path):
    env_path = small_disk / "envs"
    env_path.mkdir()
    srv = ServerProcess(str(env_path), env={"VISDOM_INSTANCE_PATH": str(tmp_path / "instance")})
    srv.start()
    try:
        created = requests.post(
            srv.url + "/events", json={"eid": "main", "win": "L", "data": [LINE]}, timeout=10
        )
        assert created.status_code == 200
        for n in range(1, 6):
            assert _append(srv, n).status_code == 200
        stored = _points(srv)
        # Fill the disk to the last byte.
        filler = small_disk / "filler"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        # The journal's last page may still hold a few records: append until refused.
        for n in range(100, 400):
            refused = _append(srv, n)
            if refused.status_code != 200:
                break
            stored.append(n)
        assert refused.status_code == 503
        assert "No space left" in refused.json()["error"]
        assert _points(srv) == stored  # memory is as it was
        assert requests.get(srv.url + "/healthz", timeout=10).status_code == 200
        # The disk recovers: writes are accepted again, without a restart.
        os.remove(filler)
        assert _eventually(lambda: _append(srv, 1000).status_code == 200)
        assert _points(srv) == stored + [1000]
        # And what was acknowledged is on disk: it survives a crash.
        srv.restart(kill=True)
        assert _points(srv) == stored + [1000]
    finally:
        srv.stop()


def test_a_vanished_env_directory_refuses_writes_then_recovers(env_dir):
    srv = ServerProcess(env_dir)
    srv.start()
    try:
        body = {"eid": "main", "win": "L", "data": [LINE]}
        assert requests.post(srv.url + "/events", json=body, timeout=10).status_code == 200
        assert _append(srv, 1).status_code == 200
        stored = _points(srv)
        shutil.rmtree(env_dir)
        refused = _append(srv, 2)
        assert refused.status_code == 503
        assert "No such file or directory" in refused.json()["error"]
        assert _points(srv) == stored
        os.makedirs(os.path.join(env_dir, ".journal"))
        assert _eventually(lambda: _append(srv, 3).status_code == 200)
        assert _points(srv) == stored + [3]
        srv.restart(kill=True)
        assert _points(srv) == stored + [3]
    finally:
        srv.stop()
