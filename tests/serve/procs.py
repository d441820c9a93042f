"""Start a server command as its own process group, its output in a log file."""

import os
import subprocess
import time

import requests

from tests.conftest import ROOT


def spawn(cmd, log, env_path, env=None):
    """Start `cmd` (cwd: the repository) with VISDOM_ENV_PATH=env_path; return (proc, log file)."""
    handle = open(log, "wb")  # noqa: SIM115 - closed by the caller with the process
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=dict(os.environ, VISDOM_ENV_PATH=str(env_path), **(env or {})),
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc, handle


def wait_up(proc, url, log, timeout=30):
    """Wait until the server answers /healthz; fail with its log if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-3000:]}")
        try:
            requests.get(url + "/healthz", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"server did not start: {log.read_text()[-3000:]}")
