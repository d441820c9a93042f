"""The real upstream visdom clients, each in its own venv, and a runner for scripts using them.

visdom 0.2.4 lives in .venv-upstream (or $VISDOM_UPSTREAM_PYTHON; `make upstream`); a
missing 0.2.4 client fails the test. visdom 0.3.0 needs Python >= 3.12 and lives in
.venv-upstream3 (or $VISDOM_UPSTREAM3_PYTHON; `make upstream3`); without it a test skips,
unless VISDOM_REQUIRE_UPSTREAM3=1 (CI), where it fails.
"""

import json
import os
import subprocess
import textwrap

import requests

from .server import ROOT

# version: (variable, venv folder, make target, variable that makes it required or None
# when it is always required)
CLIENTS = {
    "0.2.4": ("VISDOM_UPSTREAM_PYTHON", ".venv-upstream", "upstream", None),
    "0.3.0": (
        "VISDOM_UPSTREAM3_PYTHON",
        ".venv-upstream3",
        "upstream3",
        "VISDOM_REQUIRE_UPSTREAM3",
    ),
}

# The start of every script: `connect()` makes a client on the test's server, `out` is
# what the script reports back (printed as RESULT=<json> by done()).
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


def upstream_python_path(version="0.2.4"):
    """Return the python of the venv holding upstream visdom `version` (it may not exist)."""
    variable, venv, _target, _required = CLIENTS[version]
    return os.environ.get(variable) or os.path.join(ROOT, venv, "bin", "python")


def upstream_python(version="0.2.4"):
    """Return the python of upstream visdom `version`; skip or fail the test when missing."""
    import pytest

    path = upstream_python_path(version)
    if os.path.exists(path):
        return path
    variable, venv, target, required = CLIENTS[version]
    message = (
        f"the visdom {version} client is not installed at {path}: run `make {target}` "
        f"or set {variable}"
    )
    if required is None:
        pytest.fail(message)
    if os.environ.get(required) == "1":
        pytest.fail(f"{message} ({required}=1 makes it mandatory)")
    pytest.skip(message)


def run_script(python, port, body, env="compat", timeout=90, extra_env=None, prelude=PRELUDE,
               log=None):  # fmt: skip
    """Run prelude + body with `python` against the server on `port`; return its `out` dict.

    `log` (a callable) adds e.g. the server's log to a failure message."""
    code = prelude + textwrap.dedent(body) + "\ndone()\n"
    proc = subprocess.run(
        [python, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=dict(os.environ, VISDOM_TEST_PORT=str(port), VISDOM_TEST_ENV=env, **(extra_env or {})),
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT=")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(
            f"upstream script failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
            f"{proc.stderr[-3000:]}" + (f"\nserver log:\n{log()}" if log else "")
        )
    return json.loads(lines[-1][len("RESULT=") :])


class Upstream:
    """Run scripts with the upstream 0.2.4 client against `server`."""

    def __init__(self, server):
        self.server = server

    def run(self, body, env="compat", timeout=90, extra_env=None):
        """Run PRELUDE + body; return the dict the script put in `out`."""
        return run_script(
            upstream_python(),
            self.server.port,
            body,
            env,
            timeout,
            extra_env,
            log=self.server.output,
        )

    def env(self, eid):
        """Return {win_id: window} of an env, read through our API."""
        r = requests.get(f"{self.server.url}/api/env/{eid}", timeout=10)
        assert r.status_code == 200, r.text
        return {w["id"]: w for w in r.json()["windows"]}
