"""`python -m app import-tensorboard DIR [--env-prefix P] [-env_path PATH]`: once, idempotent."""

import json
import os
import subprocess
import sys

from tensorboardX import SummaryWriter

from app.tensorboard.names import window_id

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_import(*args):
    return subprocess.run(
        [sys.executable, "-m", "app", "import-tensorboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def env_file(env_path, eid):
    with open(os.path.join(env_path, f"{eid}.json"), encoding="utf-8") as f:
        return json.load(f)


def ys(env_path, eid, tag):
    window = env_file(env_path, eid)["jsons"][window_id("scalar", tag)]
    return window["content"]["data"][0]["y"]


def test_import_once_then_only_what_is_new(tmp_path):
    logdir, env_path = tmp_path / "logs", tmp_path / "envs"
    # Four nested directories: an env name longer than a file name may be.
    long_parts = ["运行-" + str(n) * 70 for n in range(4)]
    long_name = "_".join(long_parts)
    for run in ("a", os.path.join("group", *long_parts)):
        writer = SummaryWriter(str(logdir / run))
        for step in range(1000):
            writer.add_scalar("metric/loss", 1000.0 - step, step)
        writer.close()
    done = run_import(str(logdir), "--env-prefix", "tb_", "-env_path", str(env_path))
    assert done.returncode == 0, done.stderr
    assert "from 2 run(s)" in done.stdout
    assert ys(env_path, "tb_a", "metric/loss") == [1000.0 - s for s in range(1000)]
    hashed = [f for f in os.listdir(env_path) if f.startswith("hash_")]
    assert len(hashed) == 1  # the long env name, in a hashed file as the store does
    assert env_file(env_path, hashed[0][:-5])["name"] == f"tb_group_{long_name}"
    # Again: nothing new, nothing appended twice.
    again = run_import(str(logdir), "--env-prefix", "tb_", "-env_path", str(env_path))
    assert again.returncode == 0 and "imported 0 bytes" in again.stdout, again.stdout
    assert len(ys(env_path, "tb_a", "metric/loss")) == 1000
    # A run that grew: only the new points.
    writer = SummaryWriter(str(logdir / "a"), filename_suffix=".more")
    writer.add_scalar("metric/loss", -1.0, 1000)
    writer.close()
    assert (
        run_import(str(logdir), "--env-prefix", "tb_", "-env_path", str(env_path)).returncode == 0
    )
    loss = ys(env_path, "tb_a", "metric/loss")
    assert len(loss) == 1001 and loss[-1] == -1.0


def test_import_of_a_missing_dir_says_so(tmp_path):
    done = run_import(str(tmp_path / "nope"), "-env_path", str(tmp_path / "envs"))
    assert done.returncode == 0
    assert "does not exist" in done.stderr and "imported 0 bytes" in done.stdout
