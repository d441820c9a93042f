"""The wandb-style API (visdom_client.wandb) against a real server.

The W&B quickstarts and a media script run unchanged but for the import line, as their
own processes that find the server from VISDOM_URL; the rest runs in this process.
"""

import os
import pathlib
import socket
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
import requests

import visdom_client.wandb as wandb
from visdom_client import VisdomError

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = pathlib.Path(__file__).with_name("wandb_scripts")


def windows(server, eid):
    """Return {win: window} of env `eid` with every point (POST /win_data)."""
    answer = requests.post(f"{server.url}/win_data", json={"eid": eid, "win": None}, timeout=10)
    answer.raise_for_status()
    return answer.json()


def experiment(server, eid):
    listed = requests.get(f"{server.url}/api/experiments", timeout=10).json()["experiments"]
    return next((e["experiment"] for e in listed if e["eid"] == eid), None)


def pairs(entries):
    return {e["key"]: e["value"] for e in entries}


def traces(window):
    return {t["name"]: (t["x"], t["y"]) for t in window["content"]["data"]}


def run_script(server, name, *args, url=None):
    env = dict(os.environ, VISDOM_URL=url or server.url, PYTHONPATH=str(ROOT))
    for variable in ("VISDOM_SERVER", "VISDOM_PORT", "VISDOM_BASE_URL"):
        env.pop(variable, None)
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split("RUN ")[-1].strip() if "RUN " in done.stdout else None


@pytest.fixture
def at_server(shared_server, monkeypatch):
    """Point the wandb API at the module's server through VISDOM_URL; finish what is left."""
    monkeypatch.setenv("VISDOM_URL", shared_server.url)
    yield shared_server
    wandb.finish()


def test_the_classic_quickstart_runs_unchanged(shared_server):
    run_script(shared_server, "quickstart_classic.py")
    listed = requests.get(f"{shared_server.url}/api/experiments", timeout=10).json()
    runs = [e for e in listed["experiments"] if e["eid"].startswith("my-awesome-project_run-")]
    assert runs, listed
    eid, record = runs[0]["eid"], runs[0]["experiment"]
    assert record["status"] == "finished"
    assert pairs(record["params"]) == {
        "learning_rate": 0.02,
        "architecture": "CNN",
        "dataset": "CIFAR-100",
        "epochs": 10,
    }
    assert pairs(record["tags"])["project"] == "my-awesome-project"
    wins = windows(shared_server, eid)
    assert {w["title"] for w in wins.values()} == {"acc", "loss"}
    for window in wins.values():
        ((xs, ys),) = traces(window).values()
        assert xs == [float(i) for i in range(8)] and len(ys) == 8
    final = {m["key"]: m for m in record["metrics"]}
    assert final["loss"]["value"] == pytest.approx(traces(wins["loss"])["loss"][1][-1])
    assert final["loss"]["step"] == 7


def test_a_server_that_is_down_never_fails_the_training(shared_server):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    eid = run_script(shared_server, "quickstart.py", url=f"http://127.0.0.1:{port}")
    assert eid.startswith("my-awesome-project_run-")
    assert time.monotonic() - started < 60  # gives up on the record, does not hang


def test_todays_quickstart_runs_unchanged(shared_server):
    eid = run_script(shared_server, "quickstart.py")
    record = experiment(shared_server, eid)
    assert record["status"] == "finished"
    assert pairs(record["params"]) == {"epochs": 10, "lr": 0.01}
    wins = windows(shared_server, eid)
    assert sorted(w["title"] for w in wins.values()) == ["accuracy", "loss"]


def test_images_histograms_tables_and_html(shared_server, tmp_path):
    eid = run_script(shared_server, "media.py", str(tmp_path / "blue.png"))
    assert eid == "média_images and tables"
    wins = {w["title"]: w for w in windows(shared_server, eid).values()}
    assert wins["examples"]["type"] == "image_history"
    assert len(wins["examples"]["content"]) == 3  # one frame per step: the two images side by side
    assert "gray 2" in wins["examples"]["content"][-1]["caption"]
    assert wins["red"]["type"] == "image_history" and len(wins["red"]["content"]) == 3
    histogram = next(w for t, w in wins.items() if t.startswith("weights"))
    assert histogram["type"] == "plot_history" and len(histogram["content"]) == 3
    frame = histogram["content"][-1]["data"][0]
    assert sum(frame["y"]) == 1000  # every sample counted once
    table = next(w for t, w in wins.items() if t.startswith("predictions"))
    assert table["type"] == "text"
    assert "cat &lt;b&gt;" in table["content"] and "nan" in table["content"]
    assert "<h3>done</h3>" in wins["report"]["content"]
    assert traces(wins["loss"])["loss"][1] == pytest.approx([1.0, 0.5, 1 / 3])
    assert pairs(experiment(shared_server, eid)["params"]) == {"classes": '["cat", "dog"]'}


def test_config_summary_and_define_metric(at_server):
    run = wandb.init(
        project="cfg",
        name="define metric",
        config={"lr": 0.1, "model": {"depth": 3}},
        tags=["baseline", "ünïcode"],
        group="sweep-1",
        notes="first try",
    )
    assert wandb.run is run and run.name == "define metric" and run.env == "cfg_define metric"
    assert os.path.isdir(run.dir) and run.id in run.dir
    assert wandb.config.lr == 0.1 and wandb.config["model"] == {"depth": 3}
    wandb.config.batch = 32
    wandb.config.update({"dropout": 0.5})
    assert "batch" in wandb.config and wandb.config.dropout == 0.5
    wandb.define_metric("epoch")
    wandb.define_metric("val/*", step_metric="epoch", summary="min")
    for epoch in range(3):
        for _ in range(4):
            wandb.log({"train": {"loss": 1.0}})
        wandb.log({"epoch": epoch * 10, "val/loss": 3.0 - epoch, "val/acc": float("nan")})
    wandb.log({"val/loss": 9.0, "epoch": 99}, commit=False)
    wandb.summary["best_acc"] = 0.75
    assert run.step == 15
    wandb.finish()
    assert wandb.run is None

    wins = {w["title"]: w for w in windows(at_server, "cfg_define metric").values()}
    assert traces(wins["val/loss"])["val/loss"] == ([0.0, 10.0, 20.0, 99.0], [3.0, 2.0, 1.0, 9.0])
    assert traces(wins["train/loss"])["train/loss"][0][:5] == [0.0, 1.0, 2.0, 3.0, 5.0]
    assert wins["val/acc"]["content"]["data"][0]["y"] == [None, None, None]
    assert wins["val/loss"]["content"]["layout"]["xaxis"]["title"] == "epoch"
    record = experiment(at_server, "cfg_define metric")
    assert record["status"] == "finished" and record["description"] == "first try"
    assert pairs(record["params"]) == {"lr": 0.1, "model/depth": 3, "batch": 32, "dropout": 0.5}
    tags = pairs(record["tags"])
    assert tags["group"] == "sweep-1" and tags["baseline"] == "" and "ünïcode" in tags
    final = {m["key"]: m["value"] for m in record["metrics"]}
    assert final["val/loss.min"] == 1.0
    assert final["best_acc"] == 0.75 and final["train/loss"] == 1.0
    assert "val/acc.min" not in final  # NaN is no final value


def test_a_failed_run_and_the_name_taken(at_server):
    with pytest.raises(ZeroDivisionError), wandb.init(project="p", name="crash") as run:
        wandb.log({"x": 1})
        1 / 0  # noqa: B018 - the training loop fails
    assert experiment(at_server, run.env)["status"] == "failed"
    with pytest.warns(UserWarning, match="p_crash_2"):
        again = wandb.init(project="p", name="crash")
    assert again.env == "p_crash_2"
    wandb.log({"x": 2})
    wandb.finish(exit_code=0)
    assert experiment(at_server, "p_crash_2")["status"] == "finished"
    assert traces(windows(at_server, "p_crash")["x"])["x"][1] == [1.0]  # the first run kept


def test_resume_continues_the_steps(at_server):
    first = wandb.init(project="res", id="abc123", resume="allow")
    assert first.env == "res_abc123"
    for value in (1.0, 2.0, 3.0):
        wandb.log({"m": value})
    wandb.finish()
    with pytest.raises(VisdomError, match="resume='never'"):
        wandb.init(project="res", id="abc123", resume="never")
    with pytest.raises(VisdomError, match="resume='must'"):
        wandb.init(project="res", id="zzz999", resume="must")
    with pytest.warns(UserWarning, match="finished run"):
        second = wandb.init(project="res", id="abc123", resume="must")
    assert second.step == 3
    wandb.log({"m": 4.0})
    wandb.finish()
    assert traces(windows(at_server, "res_abc123")["m"])["m"] == (
        [0.0, 1.0, 2.0, 3.0],
        [1.0, 2.0, 3.0, 4.0],
    )


def test_long_unicode_names_and_awkward_values(at_server):
    project = "проект/数据:" + "x" * 300
    run = wandb.init(project=project, name=" .hidden? ", config={"inf": float("inf")})
    assert "/" not in run.env and ":" not in run.env and "?" not in run.env
    wandb.log({"ünïcode metric ✓": np.float32(0.5), "big": np.arange(100_000) % 7})
    wandb.log({"ünïcode metric ✓": float("-inf"), "flag": True, "note": "a <i>note</i>"})
    wandb.log({"note": "second"})
    wandb.finish()
    wins = {w["title"]: w for w in windows(at_server, run.env).values()}
    # sent as 0.3.0 sends ±Inf and NaN: null, a gap in the line
    assert traces(wins["ünïcode metric ✓"])["ünïcode metric ✓"][1] == [0.5, None]
    big = next(w for t, w in wins.items() if t.startswith("big"))  # "big (step 0)"
    assert sum(big["content"][0]["data"][0]["y"]) == 100_000
    assert traces(wins["flag"])["flag"][1] == [1.0]
    assert "a &lt;i&gt;note&lt;/i&gt;" in wins["note"]["content"]
    assert "step 2: second" in wins["note"]["content"]
    assert pairs(experiment(at_server, run.env)["params"]) == {"inf": "inf"}


def test_what_is_not_supported_says_so(at_server):
    with pytest.raises(VisdomError, match="wandb.log: call wandb.init"):
        wandb.log({"x": 1})
    with pytest.raises(VisdomError, match="wandb.config"):
        wandb.config.lr  # noqa: B018
    with pytest.warns(UserWarning, match="entity, sync_tensorboard"):
        wandb.init(project="u", name="unsupported", entity="team", sync_tensorboard=True)
    with pytest.raises(NotImplementedError, match="wandb.Video"):
        wandb.Video(np.zeros((2, 3, 4, 4)))
    with pytest.raises(NotImplementedError, match="wandb.save"):
        wandb.save("model.pt")
    with pytest.raises(TypeError, match="wandb.log: cannot log 'obj' of type object"):
        wandb.log({"fine": 1.0, "obj": object()})
    with pytest.raises(NotImplementedError, match=r"wandb.Image\(boxes=...\)"):
        wandb.Image(np.zeros((4, 4)), boxes={"p": {}})
    with pytest.raises(ValueError, match="wandb.Image: expected HxW"):
        wandb.Image(np.zeros((4, 4, 7, 2)))
    with pytest.raises(TypeError, match="wandb.watch: expected a torch.nn.Module"):
        wandb.watch(object())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wandb.log({"ok": 2.0})
    wandb.finish()
    # the refused log sent nothing: "fine" never got a window
    titles = {w["title"] for w in windows(at_server, "u_unsupported").values()}
    assert titles == {"ok"}


def test_disabled_and_offline_modes_send_nothing(at_server, tmp_path):
    wandb.init(project="off", name="disabled", mode="disabled")
    wandb.log({"x": 1.0})
    wandb.finish()
    wandb.init(project="off", name="offline", mode="offline", dir=str(tmp_path))
    wandb.log({"x": 1.0})
    wandb.finish()
    names = requests.post(f"{at_server.url}/env_state", json={}, timeout=10).json()
    assert not [n for n in names if n.startswith("off_")]
    log = tmp_path / "visdom-offline" / "off_offline.log"
    assert '"x"' in log.read_text(encoding="utf-8")
