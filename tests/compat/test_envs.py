"""Env and window management calls of the upstream client."""

import json
import os

import pytest

SCRIPT = """
vis = connect()
out["check"] = vis.check_connection()
vis.text("a", win="T1")
vis.text("b", win="T2")
out["exists"] = vis.win_exists("T1")
out["missing"] = vis.win_exists("nope")
out["hash"] = vis.win_hash("T1")
out["data"] = json.loads(vis.get_window_data("T1"))
all_data = vis.get_window_data()
out["all_ids"] = sorted(json.loads(all_data))
changed = json.loads(vis.get_window_data("T2"))
changed["content"] = "rewritten"
vis.set_window_data(json.dumps(changed), win="T2")
out["rewritten"] = json.loads(vis.get_window_data("T2"))["content"]
out["saved"] = vis.save([ENV])
out["forked"] = vis.fork_env(ENV, ENV + "_fork")
out["envs"] = vis.get_env_list()
vis.close("T1")
out["closed_exists"] = vis.win_exists("T1")
vis.text("c", win="T3", env="scratch")
vis.close(None, env="scratch")
out["scratch_after_clear"] = json.loads(vis.get_window_data(None, env="scratch"))
vis.delete_env("scratch")
out["envs_after_delete"] = vis.get_env_list()
"""


@pytest.fixture(scope="module")
def managed(upstream, compat_server):
    return upstream.run(SCRIPT, env="manage"), compat_server


def test_connection_and_existence(managed):
    result, _ = managed
    assert result["check"] is True
    assert result["exists"] is True and result["missing"] is False


def test_hash_matches_window(managed):
    result, _ = managed
    from app.panes.hashing import window_hash

    assert len(result["hash"]) == 32
    # T1 is closed later in the script; the hash is of the window as it was then.
    assert window_hash(result["data"]) == result["hash"]


def test_window_data_read_and_write(managed):
    result, _ = managed
    assert result["data"]["content"] == "a"
    assert result["all_ids"] == ["T1", "T2"]
    assert result["rewritten"] == "rewritten"


def test_save_fork_and_files(managed):
    result, server = managed
    assert result["saved"] == '["manage"]' or json.loads(result["saved"]) == ["manage"]
    assert result["forked"] == "manage_fork"
    assert {"manage", "manage_fork"} <= set(result["envs"])
    with open(os.path.join(server.env_path, "manage_fork.json")) as f:
        stored = json.load(f)
    assert set(stored["jsons"]) == {"T1", "T2"}


def test_close_clear_and_delete(managed):
    result, server = managed
    assert result["closed_exists"] is False
    assert result["scratch_after_clear"] == {}
    assert "scratch" not in result["envs_after_delete"]
    assert not os.path.exists(os.path.join(server.env_path, "scratch.json"))
