"""`-store redis://...`: servers keep envs in Redis, so two of them serve the same data;
`python -m app redis import|export` moves env folders in and out."""

import json
import os
import subprocess
import sys

import pytest
import requests

from tests.support.redis import start_server
from tests.support.server import ROOT, ServerProcess


@pytest.fixture(scope="module")
def redis_url():
    servers, url = start_server()
    yield url
    servers.stop()


@pytest.fixture
def servers(tmp_path, redis_url):
    started = []

    def start(name):
        path = tmp_path / name / "envs"
        path.mkdir(parents=True)
        srv = ServerProcess(str(path), ["-store", redis_url])
        started.append(srv)
        return srv.start()

    yield start
    for srv in started:
        srv.stop()


def post(url, route, body):
    answer = requests.post(url + route, data=json.dumps(body), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_two_servers_on_one_redis_serve_the_same_windows(servers):
    first, second = servers("a"), servers("b")
    a, b = first.url, second.url
    trace = {"x": list(range(1500)), "y": [0.5] * 1500, "type": "scatter", "name": "t"}
    assert post(a, "/events", {"eid": "run", "win": "L", "data": [trace]}) == "L"
    for step in (1500, 1501):
        update = {"x": [step], "y": [1.0], "name": "t"}
        post(
            b if step % 2 else a,
            "/update",
            {"eid": "run", "win": "L", "append": True, "data": [update]},
        )
    for url in (a, b):
        data = json.loads(post(url, "/win_data", {"eid": "run"}))
        assert list(data) == ["L"]
        assert data["L"]["content"]["data"][0]["x"] == list(range(1502))
    # Nothing was written to the env folders: the data lives in Redis.
    assert not any(name.endswith(".json") for name in os.listdir(first.env_path))


def test_import_and_export_move_an_env_folder_through_redis(tmp_path, redis_url):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    window = {"id": "T", "type": "text", "content": "hello", "i": 0}
    (src / "notes.json").write_text(json.dumps({"jsons": {"T": window}, "reload": {}}))

    def run(*args):
        cmd = [sys.executable, "-m", "app", "redis", *args, "--store", redis_url]
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)

    assert "imported notes (1 windows)" in run("import", str(src)).stdout
    assert "exported notes" in run("export", str(dst)).stdout
    exported = json.loads((dst / "notes.json").read_text())
    assert exported["jsons"]["T"]["content"] == "hello"
