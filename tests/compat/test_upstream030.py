"""The real visdom 0.3.0 client (and its server's env files) against our server.

The 0.3.0 client needs Python >= 3.12, so it lives in its own venv: .venv-upstream3 or
VISDOM_UPSTREAM3_PYTHON (tests/support/upstream.py). Without it these tests skip (with
VISDOM_REQUIRE_UPSTREAM3=1 they fail instead, as CI wants).
"""

import json
import os
import signal

import pytest
import requests

from tests.support.server import ServerProcess, free_port
from tests.support.upstream import run_script as run_upstream_script
from tests.support.upstream import upstream_python

PRELUDE = """
import json, os, sys, time
import numpy as np
import visdom
PORT = int(os.environ["VISDOM_TEST_PORT"])
ENV = os.environ.get("VISDOM_TEST_ENV", "compat3")
def connect(**kw):
    kw.setdefault("use_incoming_socket", False)
    kw.setdefault("env", ENV)
    return visdom.Visdom(port=PORT, server="http://127.0.0.1", raise_exceptions=True, **kw)
out = {}
def done():
    print("RESULT=" + json.dumps(out))
"""


def run_script(python, port, body, env="compat3", timeout=120):
    return run_upstream_script(python, port, body, env, timeout, prelude=PRELUDE)


@pytest.fixture(scope="module")
def python3():
    return upstream_python("0.3.0")


@pytest.fixture(scope="module")
def server(tmp_path_factory, python3):
    path = tmp_path_factory.mktemp("compat3") / "envs"
    path.mkdir()
    srv = ServerProcess(str(path)).start()
    yield srv
    srv.stop()


@pytest.fixture
def run(server, python3):
    def go(body, env="compat3"):
        return run_script(python3, server.port, body, env)

    return go


def windows(server, eid):
    r = requests.get(f"{server.url}/api/env/{eid}", timeout=10)
    assert r.status_code == 200, r.text
    return {w["id"]: w for w in r.json()["windows"]}


def test_an_experiments_full_life(run, server):
    out = run(
        """
        vis = connect(env="exp3")
        out["log"] = vis.experiment(name="run1", params={"lr": 0.1, "bs": 32},
                                    tags={"model": "mlp"}, description="d")
        for step in range(3):
            out["m"] = vis.log_metrics({"loss": 1.0 / (step + 1), "acc": 0.5}, step=step)
        out["finish"] = vis.finish_experiment(status="finished")
        out["again"] = vis.finish_experiment()
        """
    )
    assert out["log"]["name"] == "run1" and out["log"]["status"] == "running"
    assert {p["key"]: p["dtype"] for p in out["log"]["params"]} == {"lr": "float", "bs": "int"}
    assert len(out["m"]["metrics"]) == 6
    assert out["finish"]["status"] == "finished" and out["finish"]["finished_at"]
    assert "terminal experiment" in json.dumps(out["again"])  # a 409 the client passes on
    listed = requests.get(server.url + "/api/experiments", timeout=10).json()["experiments"]
    assert [e["experiment"]["name"] for e in listed if e["eid"] == "exp3"] == ["run1"]


def test_plot_history_3d_append_and_confusion_matrix_remove(run, server):
    out = run(
        """
        vis = connect(env="panes3")
        Y = np.array([1.0, 2.0, 3.0])
        out["h1"] = vis.line(Y=Y, win="H", opts=dict(store_history=True, title="h"))
        out["h2"] = vis.line(Y=Y * 2, win="H", opts=dict(store_history=True, title="h"))
        out["l3"] = vis.line(X=np.array([0.0, 1.0]), Y=np.array([0.0, 1.0]),
                             Z=np.array([0.0, 1.0]), win="L3", is3d=True)
        out["l3a"] = vis.line(X=np.array([2.0]), Y=np.array([2.0]), Z=np.array([4.0]),
                              win="L3", update="append", is3d=True)
        out["cm"] = vis.confusion_matrix(cm=np.array([[3, 1], [0, 4]]), win="CM")
        out["cm_rm"] = vis.confusion_matrix(win="CM", update="remove")
        out["cm_exists"] = vis.win_exists("CM")
        """
    )
    assert out["h1"] == out["h2"] == "H"
    wins = windows(server, "panes3")
    history = wins["H"]
    assert history["type"] == "plot_history" and len(history["content"]) == 2
    assert history["selected"] == 1
    assert history["content"][1]["data"][0]["y"] == [2.0, 4.0, 6.0]
    trace = wins["L3"]["content"]["data"][0]
    assert trace["type"] == "scatter3d" and trace["z"] == [0.0, 1.0, 4.0]
    assert out["cm_exists"] is False and "CM" not in wins


def test_image_slider_updates(run, server):
    out = run(
        """
        vis = connect(env="slider3")
        img = np.zeros((3, 4, 4))
        for _ in range(3):
            vis.image(img, win="IH", opts=dict(store_history=True))
        out["sel"] = vis.image_select("IH", 1)
        out["sel_state"] = json.loads(vis.get_window_data("IH"))["selected"]
        out["clamped"] = vis.update_image_slider("IH", np.int64(99))
        """
    )
    assert out["sel"] == "IH" and out["sel_state"] == 1
    got = windows(server, "slider3")["IH"]
    assert len(got["content"]) == 3 and got["selected"] == 2  # 99 clamped to the last frame


def test_long_env_names_and_delete_env_main(run, server):
    long_name = "long_" + "n" * 295
    out = run(
        f"""
        vis = connect(env={long_name!r})
        out["win"] = vis.text("long", win="T")
        out["saved"] = vis.save([{long_name!r}])
        vis.text("kept", win="K", env="main")
        vis.delete_env("main")
        out["main"] = vis.win_exists("K", env="main")
        """
    )
    assert out["win"] == "T" and out["main"] is True
    assert windows(server, long_name)["T"]["content"] == "long"
    files = os.listdir(server.env_path)
    assert any(name.startswith("hash_") and name.endswith(".json") for name in files)


def test_an_env_folder_written_by_the_030_server_loads_in_ours(python3, tmp_path):
    folder = tmp_path / "envs030"
    folder.mkdir()
    port = free_port()
    command = [python3, "-c", "from visdom.server.run_server import main; main()"]
    command += ["-port", str(port), "-env_path", str(folder), "-hostname", "127.0.0.1"]
    theirs = ServerProcess(str(folder), command=command, port=port, health="/health")
    long_name = "old_" + "q" * 296
    try:
        theirs.start()
        run_script(
            python3,
            port,
            f"""
            vis = connect(env="from030")
            vis.line(Y=np.array([1.0, 2.0]), win="L", opts=dict(title="loss", comment="note"))
            vis.text("hello", win="T")
            vis.experiment(name="old_run", params={{"lr": 0.5}})
            vis.log_metrics({{"loss": 0.25}}, step=1)
            vis.text("x", win="W", env={long_name!r})
            vis.save(["from030", {long_name!r}])
            """,
        )
    finally:
        theirs.stop(signum=signal.SIGINT)  # Ctrl-C: 0.3.0 saves every env at exit
    with open(folder / "from030.json", encoding="utf-8") as f:
        assert "experiment" in json.load(f)  # what 0.3.0 wrote is what we test
    ours = ServerProcess(str(folder)).start()
    try:
        wins = windows(ours, "from030")
        assert wins["L"]["comment"] == "note" and wins["L"]["version"] == 1
        assert wins["L"]["content"]["data"][0]["y"] == [1.0, 2.0]
        assert wins["T"]["content"] == "hello"
        listed = requests.get(ours.url + "/api/experiments", timeout=10).json()["experiments"]
        exp = {e["eid"]: e["experiment"] for e in listed}["from030"]
        assert exp["name"] == "old_run" and exp["metrics"][0]["value"] == 0.25
        assert windows(ours, long_name)["W"]["content"] == "x"
    finally:
        ours.stop()
