"""Run the real upstream visdom 0.2.4 client (its own venv) against a real server."""

import json
import os
import subprocess
import textwrap

import pytest
import requests

from ..conftest import ROOT

PRELUDE = """
import json, os, sys, time
import numpy as np
import visdom
PORT = int(os.environ["VISDOM_TEST_PORT"])
ENV = os.environ.get("VISDOM_TEST_ENV", "compat")
def connect(**kw):
    kw.setdefault("use_incoming_socket", False)
    kw.setdefault("env", ENV)
    return visdom.Visdom(port=PORT, server="http://127.0.0.1", **kw)
out = {}
def done():
    print("RESULT=" + json.dumps(out))
"""


def upstream_python():
    path = os.environ.get("VISDOM_UPSTREAM_PYTHON") or os.path.join(
        ROOT, ".venv-upstream", "bin", "python"
    )
    if not os.path.exists(path):
        pytest.fail(f"the upstream visdom client is not installed at {path}: run `make upstream`")
    return path


class Upstream:
    """Run scripts with the upstream client against `server`."""

    def __init__(self, server):
        self.server = server

    def run(self, body, env="compat", timeout=90, extra_env=None):
        """Run PRELUDE + body; return the dict the script put in `out`."""
        code = PRELUDE + textwrap.dedent(body) + "\ndone()\n"
        proc = subprocess.run(
            [upstream_python(), "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env=dict(
                os.environ,
                VISDOM_TEST_PORT=str(self.server.port),
                VISDOM_TEST_ENV=env,
                **(extra_env or {}),
            ),
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT=")]
        if proc.returncode != 0 or not lines:
            raise AssertionError(
                f"upstream script failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
                f"{proc.stderr[-3000:]}\nserver log:\n{self.server.output()}"
            )
        return json.loads(lines[-1][len("RESULT=") :])

    def env(self, eid):
        """Return {win_id: window} of an env, read through our API."""
        r = requests.get(f"{self.server.url}/api/env/{eid}", timeout=10)
        assert r.status_code == 200, r.text
        return {w["id"]: w for w in r.json()["windows"]}


@pytest.fixture(scope="module")
def compat_server(tmp_path_factory):
    from ..conftest import LiveServer

    path = tmp_path_factory.mktemp("compat") / "envs"
    path.mkdir()
    server = LiveServer(str(path)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def upstream(compat_server):
    return Upstream(compat_server)
