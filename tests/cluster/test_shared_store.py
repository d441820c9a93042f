"""One consistent server out of two processes: needs the Redis store (RedisStore).

The upstream 0.2.4 client writes through nginx, Chromium reads through the other process;
then kill -9 of a process under load loses no acknowledged point.
"""

import collections
import json
import os
import subprocess
import textwrap
import threading
import time

import redis
import requests

from tests.support.ui import UI
from tests.support.upstream import PRELUDE, upstream_python

from .conftest import wait_for

WRITER = """
vis = connect(env="live2")
win = vis.line(Y=np.array([0.0]), X=np.array([0.0]), win="L", opts=dict(title="loss"))
print("CREATED", flush=True)
sys.stdin.readline()  # the page is open
for step in range(1, 31):
    vis.line(Y=np.array([1.0 / step]), X=np.array([float(step)]), win="L", update="append")
    time.sleep(0.02)
out["win"] = win
"""


def upstream_backend(cluster):
    """The process nginx sends this machine's clients to (ip_hash), and the other one."""
    r = requests.get(cluster.url + "/healthz", timeout=10)
    port = int(r.headers["X-Visdom-Upstream"].rsplit(":", 1)[1])
    a = cluster.backend(port)
    return a, next(s for s in cluster.servers if s is not a)


def test_upstream_client_through_nginx_and_chromium_on_the_other_process(cluster, browser):
    _, b = upstream_backend(cluster)
    writer = subprocess.Popen(
        [upstream_python(), "-c", PRELUDE + textwrap.dedent(WRITER) + "\ndone()\n"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, VISDOM_TEST_PORT=str(cluster.port)),
    )
    context = browser.new_context()
    try:
        assert writer.stdout.readline().startswith("CREATED"), writer.stderr.read()
        ui = UI(context.new_page(), b)
        ui.open("/env/live2")
        assert ui.pane("L").count() == 1  # written through A, shown by B from the store
        writer.stdin.write("go\n")
        writer.stdin.flush()
        points = (
            "() => document.querySelector('[data-win=\"L\"] .js-plotly-plot')?.data?.[0]?.x?.length"
        )
        assert ui.wait(f"({points})() === 31", timeout=30)  # live, appended in order
        xs = ui.page.evaluate(
            "() => Array.from(document.querySelector('[data-win=\"L\"] .js-plotly-plot').data[0].x)"
        )
        assert xs == [float(i) for i in range(31)]
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err[-2000:]
        assert not ui.errors
    finally:
        context.close()
        if writer.poll() is None:
            writer.kill()
            writer.communicate()


def test_a_page_that_leaves_and_comes_back_misses_nothing_written_meanwhile(cluster, browser):
    """Changes of an env no page shows are stored but not published (RedisStore's watch
    marks): a job writes through A without pause while the page on B shows the env,
    leaves it for another (the writes go unpublished), and comes back; every point is
    drawn, in order, and the appends after the return arrive live."""
    a, b = cluster.servers
    redis_client = redis.Redis(port=cluster.redis_port)
    plot = "document.querySelector('[data-win=\"L\"] .js-plotly-plot')"
    points = f"() => {plot}?.data?.[0]?.x?.length"
    context = browser.new_context()
    stop, acked, errors = threading.Event(), [0.0], []

    def writer():
        x = 1.0
        while not stop.is_set():
            body = {"eid": "comeback", "win": "L", "append": True, "name": "a"}
            body["data"] = [{"x": [x], "y": [x / 2], "name": "a", "type": "scatter"}]
            r = requests.post(a.url + "/update", data=json.dumps(body), timeout=10)
            if r.status_code != 200:
                errors.append(r.text)
                return
            acked.append(x)
            x += 1
            time.sleep(0.01)

    try:
        ui = UI(context.new_page(), b)
        ui.line("other", "o", [0], [0])
        ui.line("comeback", "L", [0], [0])
        ui.open("/env/comeback")
        ui.wait_loaded("comeback")
        thread = threading.Thread(target=writer)
        thread.start()
        assert ui.wait(f"({points})() >= 20", timeout=30)  # live
        ui.page.evaluate("() => window.visdomPage.navigate(['other'])")
        ui.wait_loaded("other")
        key = "v{comeback}:watch"
        wait_for(lambda: not redis_client.exists(key), what="the watch mark to go")
        away = len(acked)
        wait_for(lambda: len(acked) > away + 30, what="writes while no page shows the env")
        ui.page.evaluate("() => window.visdomPage.navigate(['comeback'])")
        ui.wait_loaded("comeback")
        assert redis_client.exists(key)
        back = len(acked)
        wait_for(lambda: len(acked) > back + 30, what="writes after the page came back")
        stop.set()
        thread.join(timeout=30)
        assert not errors, errors[:3]
        want = len(acked)
        assert ui.wait(f"({points})() === {want}", timeout=30), ui.page.evaluate(points)
        xs = ui.page.evaluate(f"() => Array.from({plot}.data[0].x)")
        assert xs == acked
        assert not ui.errors
    finally:
        stop.set()
        context.close()
        redis_client.close()


def test_kill_9_of_a_process_under_load_loses_no_acknowledged_point(cluster_factory):
    cluster = cluster_factory(n=2, fsync="always")
    a, b = upstream_backend(cluster)
    acked = {f"k{i}": [] for i in range(6)}
    stop = threading.Event()
    errors = []

    def write(win):
        s = requests.Session()
        body = {
            "eid": "kill",
            "win": win,
            "opts": {},
            "data": [{"x": [0], "y": [0], "type": "scatter"}],
        }
        while True:
            try:
                s.post(
                    cluster.url + "/events", data=json.dumps(body), timeout=10
                ).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.1)
        x = 0
        while not stop.is_set():
            x += 1
            msg = {"eid": "kill", "win": win, "append": True, "data": [{"x": [x], "y": [x]}]}
            try:
                r = s.post(cluster.url + "/update", data=json.dumps(msg), timeout=10)
            except requests.RequestException as exc:
                errors.append(str(exc))
                continue  # not acknowledged: may or may not be stored
            if r.status_code == 200:
                acked[win].append(x)
            else:
                errors.append(r.status_code)

    threads = [threading.Thread(target=write, args=(win,)) for win in acked]
    for t in threads:
        t.start()
    try:
        time.sleep(2)
        before = sum(map(len, acked.values()))
        a.stop(kill=True)  # the process nginx sends everybody to
        time.sleep(3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    after = sum(map(len, acked.values()))
    seen = collections.Counter(map(str, errors)).most_common(4)
    assert before > 20 and after > before + 20, (before, after, seen)  # carried on via B
    for win, xs in acked.items():
        r = requests.post(
            b.url + "/win_data", data=json.dumps({"eid": "kill", "win": win}), timeout=10
        )
        assert r.status_code == 200, r.text
        stored = set(json.loads(r.text)["content"]["data"][0]["x"])
        missing = [x for x in xs if x not in stored]
        assert not missing, f"{win}: acknowledged but lost: {missing[:10]}"
