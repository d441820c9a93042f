"""Windows survive a server restart or crash without Save; env files are interchangeable
with upstream's server; offline logs replay into a fresh server."""

import json
import os
import time

import pytest
import requests

from tests.support.server import ServerProcess, free_port
from tests.support.upstream import Upstream, upstream_python
from tests.support.waiting import wait_for

WRITE = """
vis = connect()
vis.line(Y=np.array([1.0, 2.0]), X=np.array([0.0, 1.0]), win="L", opts=dict(title="loss"))
for i in range(2, 50):
    vis.line(Y=np.array([float(i)]), X=np.array([float(i)]), win="L", update="append")
vis.text("note", win="T")
vis.text("more", win="T", append=True)
"""


@pytest.mark.parametrize("kill", [False, True], ids=["restart", "crash"])
def test_windows_survive_restart_without_save(env_dir, kill):
    server = ServerProcess(env_dir).start()
    try:
        Upstream(server).run(WRITE, env="durable")
        server.restart(kill=kill)  # kill -9 right after the last acknowledged update
        windows = Upstream(server).env("durable")
    finally:
        server.stop()
    line = windows["L"]["content"]["data"][0]
    assert line["x"] == [float(i) for i in range(50)]
    assert windows["T"]["content"] == "note<br>more"


def test_env_file_written_within_a_second_in_upstream_format(live_server):
    Upstream(live_server).run(WRITE, env="ondisk")
    path = os.path.join(live_server.env_path, "ondisk.json")
    wait_for(lambda: os.path.exists(path), 3, path)
    time.sleep(1.0)
    with open(path) as f:
        stored = json.load(f)
    assert set(stored) >= {"jsons", "reload"}
    assert len(stored["jsons"]["L"]["content"]["data"][0]["x"]) == 50


def start_upstream_server(env_path):
    """Upstream's own 0.2.4 server on env_path (the caller stops it)."""
    code = "from visdom.server.run_server import main; main()"
    port = free_port()
    command = [upstream_python(), "-c", code, "-port", str(port)]
    args = ["-env_path", env_path, "-bind_local"]
    return ServerProcess(env_path, args, command=command, port=port, health="/").start(timeout=30)


def test_upstream_server_reads_our_files_and_we_read_theirs(tmp_path):
    ours = tmp_path / "ours"
    ours.mkdir()
    server = ServerProcess(str(ours)).start()
    try:
        Upstream(server).run(WRITE, env="shared")
    finally:
        server.stop()

    upstream = start_upstream_server(str(ours))
    url = upstream.url
    try:
        r = requests.post(
            url + "/win_data", data=json.dumps({"eid": "shared", "win": "L"}), timeout=10
        )
        assert r.status_code == 200
        assert len(json.loads(r.text)["content"]["data"][0]["x"]) == 50
        # upstream writes an env of its own into the same directory
        body = {
            "eid": "theirs",
            "win": "U",
            "data": [{"content": "from upstream", "type": "text"}],
            "opts": {},
        }
        assert requests.post(url + "/events", data=json.dumps(body), timeout=10).text == "U"
        assert (
            requests.post(
                url + "/save", data=json.dumps({"data": ["theirs"]}), timeout=10
            ).status_code
            == 200
        )
    finally:
        upstream.stop()

    server = ServerProcess(str(ours)).start()
    try:
        windows = Upstream(server).env("theirs")
        assert windows["U"]["content"] == "from upstream"
        assert "L" in Upstream(server).env("shared")
    finally:
        server.stop()


OFFLINE = """
log = os.environ["REPLAY_LOG"]
off = visdom.Visdom(offline=True, log_to_filename=log, env="replayed")
off.line(Y=np.array([1.0, 2.0]), X=np.array([0.0, 1.0]), win="L")
off.line(Y=np.array([3.0]), X=np.array([2.0]), win="L", update="append")
off.text("offline", win="T")
out["lines"] = len(open(log).read().splitlines())
vis = connect()
vis.replay_log(log)
"""


def test_offline_log_replays_into_server(live_server, tmp_path):
    log = str(tmp_path / "replay.log")
    result = Upstream(live_server).run(OFFLINE, extra_env={"REPLAY_LOG": log})
    assert result["lines"] == 3
    windows = Upstream(live_server).env("replayed")
    assert windows["L"]["content"]["data"][0]["y"] == [1.0, 2.0, 3.0]
    assert windows["T"]["content"] == "offline"


def test_base_url_prefix(server_factory):
    server = server_factory(base_url="/vis")
    Upstream(server).run(
        """
vis = visdom.Visdom(port=PORT, server="http://127.0.0.1", base_url="/vis", env="pre",
                    use_incoming_socket=False)
out["win"] = vis.text("prefixed", win="P")
""",
    )
    assert Upstream(server).env("pre")["P"]["content"] == "prefixed"
    assert requests.post(server.root + "/events", data="{}", timeout=10).status_code == 404
