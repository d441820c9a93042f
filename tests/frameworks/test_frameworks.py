"""The framework callbacks, each in a real training run of its framework.

Each test runs a script of scripts/ in the frameworks venv (`make frameworks`:
requirements-frameworks.txt, never the project's own venv) with visdom_client taken from
this checkout (PYTHONPATH) and the server found through VISDOM_URL, then checks over HTTP
the windows and the experiment record the training left on a live server. Skipped when the
venv is missing, failed instead with VISDOM_REQUIRE_FRAMEWORKS=1 (CI).
"""

import os
import pathlib
import subprocess
import sys

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = pathlib.Path(__file__).with_name("scripts")
PYTHON = os.environ.get("VISDOM_FRAMEWORKS_PYTHON") or str(ROOT / ".venv-frameworks/bin/python")
REQUIRED = os.environ.get("VISDOM_REQUIRE_FRAMEWORKS") == "1"

pytestmark = pytest.mark.timeout(600)  # importing torch or JAX takes a while on a busy machine


@pytest.fixture(scope="module")
def frameworks_python():
    if not os.path.exists(PYTHON):
        message = f"the frameworks venv is missing ({PYTHON}): run `make frameworks`"
        if REQUIRED:
            pytest.fail(message + " (VISDOM_REQUIRE_FRAMEWORKS=1)")
        pytest.skip(message)
    return PYTHON


def train(python, server, script, *args, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISDOM_")}
    env.update(
        PYTHONPATH=str(ROOT),
        VISDOM_URL=server.url,
        KERAS_BACKEND="jax",
        JAX_PLATFORMS="cpu",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HOME=str(cwd or ROOT / "none"),
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
    )
    done = subprocess.run(
        [python, str(SCRIPTS / script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def windows(server, eid):
    answer = requests.post(f"{server.url}/win_data", json={"eid": eid, "win": None}, timeout=10)
    answer.raise_for_status()
    return {w["title"]: w for w in answer.json().values()}


def traces(window):
    return {t["name"]: (t["x"], t["y"]) for t in window["content"]["data"]}


def record(server, eid):
    listed = requests.get(f"{server.url}/api/experiments", timeout=10).json()["experiments"]
    found = next(e["experiment"] for e in listed if e["eid"] == eid)
    params = {p["key"]: p["value"] for p in found["params"]}
    metrics = {m["key"]: m["value"] for m in found["metrics"]}
    return found, params, metrics


def test_keras_on_jax(frameworks_python, live_server, tmp_path):
    out = train(frameworks_python, live_server, "train_keras.py", "keras ✓ run", cwd=tmp_path)
    wins = windows(live_server, "keras ✓ run")
    loss = traces(wins["loss"])
    assert loss["loss"][0] == [1.0, 2.0, 3.0, 4.0]  # per epoch
    assert loss["val_loss"][0] == [1.0, 2.0, 3.0, 4.0]  # validation on the same window
    assert loss["loss"][1][-1] == pytest.approx(float(out.split("LOSS ")[1].split()[0]), rel=1e-5)
    assert set(traces(wins["mae"])) == {"mae", "val_mae"}
    batches = traces(wins["batch/loss"])["batch/loss"][0]
    assert batches == [float(b) for b in range(2, 25, 2)]  # 6 batches x 4 epochs, every 2nd
    found, params, metrics = record(live_server, "keras ✓ run")
    assert found["status"] == "finished" and found["name"] == "tiny_regressor"
    assert params["parameters"] == 8 * 16 + 16 + 16 + 1 and params["optimizer"] == "Adam"
    assert params["fit/epochs"] == 4
    assert metrics["val_loss"] == pytest.approx(loss["val_loss"][1][-1])


def test_lightning_logger(frameworks_python, live_server, tmp_path):
    out = train(frameworks_python, live_server, "train_lightning.py", "tiny", "v1", cwd=tmp_path)
    assert "ENV tiny_v1 STEPS 18" in out
    wins = windows(live_server, "tiny_v1")
    loss = traces(wins["loss"])
    assert loss["train_loss"][0] == [float(s) for s in range(1, 18, 2)]  # log_every_n_steps=2
    assert loss["val_loss"][0] == [5.0, 11.0, 17.0]  # once per epoch, at its last step
    found, params, metrics = record(live_server, "tiny_v1")
    assert found["status"] == "finished"
    assert params == {"lr": 0.05, "hidden": 8}  # save_hyperparameters()
    assert metrics["val_loss"] == pytest.approx(loss["val_loss"][1][-1])


def test_transformers_trainer(frameworks_python, live_server, tmp_path):
    out = train(
        frameworks_python, live_server, "train_transformers.py", "hf", str(tmp_path / "out")
    )
    assert "STEPS 16" in out
    wins = windows(live_server, "hf")
    loss = traces(wins["loss"])
    assert loss["loss"][0] == [float(s) for s in range(2, 17, 2)]  # logging_steps=2
    assert loss["eval_loss"][0] == [8.0, 16.0]  # eval_strategy="epoch", on the loss window
    assert "learning_rate" in wins and "grad_norm" in wins
    found, params, metrics = record(live_server, "hf")
    assert found["status"] == "finished"
    assert params["args/learning_rate"] == 0.001 and params["model/hidden_size"] == 16
    assert params["model/model_type"] == "bert"
    assert metrics["eval_loss"] == pytest.approx(loss["eval_loss"][1][-1])


def test_xgboost_callback(frameworks_python, live_server, tmp_path):
    train(frameworks_python, live_server, "train_xgboost.py", "xgb", cwd=tmp_path)
    wins = windows(live_server, "xgb")
    for metric in ("rmse", "mae"):
        lines = traces(wins[metric])
        assert set(lines) == {"train", "valid"}  # every eval set, one trace each
        assert lines["train"][0] == [float(r) for r in range(1, 13)]
        assert lines["train"][1][-1] < lines["train"][1][0]  # it learned
    found, params, metrics = record(live_server, "xgb")
    assert found["status"] == "finished"
    assert params["max_depth"] == 3 and params["objective"] == "reg:squarederror"
    assert set(metrics) == {"train-rmse", "train-mae", "valid-rmse", "valid-mae"}


def test_lightgbm_callback(frameworks_python, live_server, tmp_path):
    train(frameworks_python, live_server, "train_lightgbm.py", "lgb", cwd=tmp_path)
    wins = windows(live_server, "lgb")
    for metric in ("l2", "l1"):
        lines = traces(wins[metric])
        assert set(lines) == {"train", "valid"}
        assert lines["valid"][0] == [float(r) for r in range(1, 11)]
        assert lines["train"][1][-1] < lines["train"][1][0]
    found, params, metrics = record(live_server, "lgb")
    assert found["status"] == "finished"
    assert params["num_leaves"] == 7 and params["objective"] == "regression"
    assert set(metrics) == {"train-l2", "train-l1", "valid-l2", "valid-l1"}


@pytest.mark.parametrize(
    ("module", "package"),
    [
        ("keras", "keras"),
        ("lightning", "lightning"),
        ("transformers", "transformers"),
        ("xgboost", "xgboost"),
        ("lightgbm", "lightgbm"),
    ],
)
def test_a_missing_framework_names_its_package(module, package):
    """Without the framework, importing its integration says what to pip install (this
    runs in the project's venv, which has none of them; each is hidden to be sure)."""
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "try:\n"
        f"    import visdom_client.integrations.{module}\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert f"pip install {package}" in done.stdout, done.stdout + done.stderr


def test_wandb_watch_draws_a_torch_models_histograms(frameworks_python, live_server, tmp_path):
    out = train(frameworks_python, live_server, "wandb_watch.py", "torch", cwd=tmp_path)
    assert "RUN torch_watch" in out
    wins = windows(live_server, "torch_watch")
    losses = traces(wins["loss"])["loss"]
    assert losses[0] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and losses[1][-1] < losses[1][0]
    for kind in ("gradients", "parameters"):
        title = next(t for t in wins if t.startswith(f"{kind}/0.weight"))
        frames = wins[title]["content"]
        assert wins[title]["type"] == "plot_history" and len(frames) == 3  # log_freq=2, 6 logs
        assert sum(frames[-1]["data"][0]["y"]) == 8 * 4  # every weight of Linear(4, 8)
    assert record(live_server, "torch_watch")[0]["status"] == "finished"
