"""The system-metrics sampler (visdom_client.system) against a real server."""

import logging
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.client.conftest import env_windows, wait_for
from visdom_client import Visdom
from visdom_client.system import SystemSampler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = {
    "system/cpu_percent",
    "system/process_cpu_percent",
    "system/memory",
    "system/process_rss_mb",
    "system/network_mb_s",
}


def by_title(server, eid):
    """Return {title: {trace name: [y...]}} of the env's windows."""
    found = {}
    for window in env_windows(server, eid).values():
        traces = window["content"]["data"]
        found[window["title"]] = {t.get("name"): t["y"] for t in traces}
    return found


def points(server, eid):
    return sum(len(y) for traces in by_title(server, eid).values() for y in traces.values())


def test_sampler_creates_system_windows_with_plausible_values(shared_server, eid):
    vis = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid, nonblocking=True)
    try:
        sampler = vis.system_metrics(interval=0.2)
        wait_for(lambda: sampler.samples >= 3, timeout=10)
        sampler.stop()
        vis.flush()
        rss_now = psutil.Process().memory_info().rss / 2**20
        windows = by_title(shared_server, eid)
    finally:
        vis.shutdown()
    assert BASE <= set(windows), sorted(windows)
    for title in windows:
        assert title.startswith("system/")
    cpus = psutil.cpu_count() or 1
    for y in windows["system/cpu_percent"]["cpu"]:
        assert 0 <= y <= 100
    for y in windows["system/process_cpu_percent"]["process"]:
        assert 0 <= y <= 100 * cpus
    assert 0 < windows["system/memory"]["used %"][-1] <= 100
    rss = windows["system/process_rss_mb"]["rss"][-1]
    assert rss_now / 2 < rss < rss_now * 2, (rss, rss_now)
    network = windows["system/network_mb_s"]
    assert set(network) == {"recv", "sent"}
    assert all(v >= 0 for y in network.values() for v in y)
    assert len(windows["system/cpu_percent"]["cpu"]) >= 3
    if psutil.disk_io_counters() is not None:
        assert set(windows["system/disk_mb_s"]) == {"read", "write"}


def test_x_is_seconds_since_start_and_increasing(shared_server, eid, vis):
    sampler = SystemSampler(vis, interval=0.15)
    wait_for(lambda: sampler.samples >= 3, timeout=10)
    sampler.stop()
    window = env_windows(shared_server, eid)["system_cpu_percent"]
    xs = window["content"]["data"][0]["x"]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert 0.1 < xs[0] < 5 and xs[-1] - xs[0] >= 0.2


def test_stop_stops_appends(shared_server, eid, vis):
    sampler = vis.system_metrics(interval=0.1)
    wait_for(lambda: sampler.samples >= 2, timeout=10)
    sampler.stop()
    assert not sampler.running
    count = points(shared_server, eid)
    time.sleep(0.6)
    assert points(shared_server, eid) == count
    assert sampler.samples * len(BASE) <= count


def test_constructor_flag_starts_sampling_and_shutdown_stops_it(shared_server, eid):
    vis = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid, system_metrics=True)
    try:
        (sampler,) = vis._samplers
        assert sampler.running and sampler.interval == 2.0
    finally:
        vis.shutdown()
    assert not sampler.running


def test_into_another_env(shared_server, eid, vis):
    other = eid + "_sys_ünïcode"
    sampler = vis.system_metrics(interval=0.1, env=other)
    wait_for(lambda: sampler.samples >= 1, timeout=10)
    sampler.stop()
    assert "system/memory" in by_title(shared_server, other)
    assert by_title(shared_server, eid) == {}


@pytest.mark.parametrize("interval", [0, -1, "2", True, float("nan")])
def test_bad_interval_names_the_argument(vis, interval):
    with pytest.raises(ValueError, match="interval"):
        vis.system_metrics(interval=interval)


def test_no_gpu_is_one_info_line(vis, caplog):
    caplog.set_level(logging.INFO, logger="visdom_client.system")
    sampler = SystemSampler(vis, interval=60, start=False)
    lines = [r for r in caplog.records if "GPU" in r.getMessage()]
    if sampler._probe.gpus.handles:
        assert not lines
    else:
        assert len(lines) == 1 and lines[0].levelno == logging.INFO
        assert not any("/gpu" in title for title in sampler.sample())
    sampler.stop()


def test_gpu_windows_where_a_gpu_exists(shared_server, eid, vis):
    pynvml = pytest.importorskip("pynvml")
    try:
        pynvml.nvmlInit()
        count = pynvml.nvmlDeviceGetCount()
    except pynvml.NVMLError as exc:
        pytest.skip(f"no NVIDIA driver on this machine (NVML: {exc})")
    if count == 0:
        pytest.skip("NVML found no GPU on this machine")
    sampler = SystemSampler(vis, interval=0.2)
    wait_for(lambda: sampler.samples >= 2, timeout=10)
    sampler.stop()
    windows = by_title(shared_server, eid)
    for i in range(count):
        assert f"system/gpu{i}/utilization" in windows
        assert f"system/gpu{i}/memory_used_mb" in windows
        (util,) = windows[f"system/gpu{i}/utilization"].values()
        assert all(0 <= v <= 100 for v in util)


def test_standalone_cli_until_sigterm(shared_server, eid):
    env = dict(os.environ, VISDOM_URL=f"http://127.0.0.1:{shared_server.port}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "visdom_client.system", "--env", eid, "--interval", "0.3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: BASE <= set(by_title(shared_server, eid)), timeout=15)
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    windows = by_title(shared_server, eid)
    assert len(windows["system/memory"]["used %"]) >= 3
    assert f"into env '{eid}'" in out


def test_standalone_cli_rejects_bad_interval():
    out = subprocess.run(
        [sys.executable, "-m", "visdom_client.system", "--env", "e", "--interval", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2 and "--interval" in out.stderr


def test_wandb_init_system_metrics(shared_server, eid, monkeypatch):
    from visdom_client import wandb

    monkeypatch.setenv("VISDOM_URL", shared_server.url)
    run = wandb.init(project=eid, name="sys", system_metrics=True)
    try:
        (sampler,) = run._writer.vis._samplers
        wait_for(lambda: "system/memory" in by_title(shared_server, run.env), timeout=10)
    finally:
        run.finish()
    assert not sampler.running


def test_offline_client_logs_samples_for_replay(shared_server, eid, tmp_path):
    path = tmp_path / "run.log"
    offline = Visdom(env=eid, offline=True, log_to_filename=str(path))
    sampler = offline.system_metrics(interval=0.1)
    wait_for(lambda: sampler.samples >= 2, timeout=10)
    offline.shutdown()
    assert not sampler.running
    vis = Visdom(port=shared_server.port, server="http://127.0.0.1", env=eid)
    try:
        assert vis.replay_log(str(path)) >= 2 * len(BASE)
    finally:
        vis.shutdown()
    assert BASE <= set(by_title(shared_server, eid))
