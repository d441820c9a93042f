"""A disk that refuses a write or a removal: a 503 naming the field, never a 500, never
a 200 for what did not happen, and nothing already stored is lost.

The disk is made to refuse by putting a directory (or a file) where the server writes a
file (or a folder): that fails for root too, unlike permission bits.
"""

import json
import os
import shutil


def _error(response, status, field):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status and body["error"]
    assert body.get("field") == field
    return body


def test_saving_views_on_a_refusing_disk_is_a_503_and_keeps_the_old_views(post, client, env_path):
    old = {"main": {"first": {"L": [0, 4, 4]}}}
    assert post("/api/views", {"views": old}).status_code == 200
    view_dir = os.path.join(env_path, "view")
    shutil.rmtree(view_dir)
    with open(view_dir, "w") as f:  # a file where the views folder should be
        f.write("x")
    body = _error(post("/api/views", {"views": {"main": {"new": {}}}}), 503, None)
    assert "views" in body["error"]
    assert client.get("/api/views").get_json() == old  # the stored views are unchanged
    os.remove(view_dir)
    assert post("/api/views", {"views": {"main": {"new": {}}}}).status_code == 200
    assert client.get("/api/views").get_json() == {"main": {"new": {}}}


def test_deleting_an_env_whose_file_cannot_be_removed_is_a_503_and_keeps_it(post, plot, env_path):
    plot("L", eid="keep")
    assert post("/save", {"data": ["keep"]}).get_json() == ["keep"]
    env_file = os.path.join(env_path, "keep.json")
    os.remove(env_file)
    os.mkdir(env_file)  # os.remove() of a directory fails
    _error(post("/delete_env", {"eid": "keep"}), 503, "eid")
    assert "keep" in post("/env_state", {}).get_json()
    window = json.loads(post("/win_data", {"eid": "keep", "win": "L"}).get_data())
    assert window["content"]["data"][0]["y"] == [1, 2]
    # The env still takes changes, and is deleted once the disk lets it.
    assert (
        post("/update", {"eid": "keep", "win": "L", "data": [], "append": True}).status_code < 500
    )
    os.rmdir(env_file)
    assert post("/delete_env", {"eid": "keep"}).status_code == 200
    assert "keep" not in post("/env_state", {}).get_json()


def test_save_answers_503_when_the_env_file_cannot_be_written(post, plot, env_path):
    plot("L", eid="ok")
    plot("L", eid="blocked")
    os.mkdir(os.path.join(env_path, "blocked.json"))  # the snapshot's rename fails
    body = _error(post("/save", {"data": ["ok", "blocked"]}), 503, "data")
    assert "'blocked'" in body["error"] and "'ok'" not in body["error"]
    with open(os.path.join(env_path, "ok.json")) as f:  # the other env was written
        assert "L" in json.load(f)["jsons"]
    # The window of the env that could not be written is still there (journaled).
    assert post("/win_exists", {"eid": "blocked", "win": "L"}).get_data(as_text=True) == "true"
