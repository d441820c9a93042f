"""A TensorBoard logdir served by `-logdir`, and by TensorBoard itself, side by side.

    .venv/bin/python bench/tensorboard.py                 # 10 runs x 20 tags x 2,000 steps
    .venv/bin/python bench/tensorboard.py --full          # 100 runs x 20 tags x 10,000 steps
    .venv/bin/python bench/tensorboard.py --runs 20 --steps 5000 --no-tensorboard

Prints, for our server (`python -m app -logdir DIR`, a fresh env path):
- the time from start until every run is served whole (its last-written tag holds every
  step, asked over HTTP as a page does: /api/window),
- resident memory per point (the server's RSS after minus before, over the points),
- the live delay of 10 tensorboardX writers logging at once: from the moment a flushed
  point is on disk to the moment it is answered over HTTP (median and max).
And for TensorBoard (the `tensorboard` of the pinned package, a subprocess on the same
logdir): the time until its scalars endpoint answers every run, and how many points of a
10,000-step tag it keeps.

The logdir is written with tensorboard's Event protobufs framed as TFRecords (the bytes a
SummaryWriter writes; tensorboardX itself would take minutes for 20M points).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "bench")
# Run as a script, this file's folder comes first on sys.path, where this file would hide
# the tensorboard package it measures: the repository root instead.
sys.path[:] = [ROOT] + [p for p in sys.path if os.path.abspath(p or ".") != HERE]

from tensorboard.compat.proto import event_pb2, summary_pb2  # noqa: E402

from app.tensorboard.names import window_id  # noqa: E402
from app.tensorboard.records import frame  # noqa: E402
from bench.bigdata import rss  # noqa: E402  (after tensorboard: it puts bench/ on sys.path)
from tests.support.server import ServerProcess, free_port  # noqa: E402


def tag_name(k):
    return f"group{k % 4}/metric{k:02d}"


def write_logdir(logdir, runs, tags, steps):
    """Write `runs` event files of `tags` scalars x `steps` steps (step-major, as training)."""
    Value = summary_pb2.Summary.Value
    start = time.time() - steps
    for r in range(runs):
        run = os.path.join(logdir, f"run{r:03d}")
        os.makedirs(run)
        parts = [
            frame(
                event_pb2.Event(wall_time=start, file_version="brain.Event:2").SerializeToString()
            )
        ]
        for step in range(steps):
            for k in range(tags):
                summary = summary_pb2.Summary(
                    value=[Value(tag=tag_name(k), simple_value=(step % 977) * 0.001 + k)]
                )
                event = event_pb2.Event(wall_time=start + step, step=step, summary=summary)
                parts.append(frame(event.SerializeToString()))
        with open(os.path.join(run, f"events.out.tfevents.{int(start)}.bench"), "wb") as f:
            f.write(b"".join(parts))


def total_points(url, eid, tag):
    try:
        r = requests.get(
            f"{url}/api/window/{eid}/{window_id('scalar', tag)}", params={"px": 200}, timeout=30
        )
    except requests.RequestException:
        return 0
    return r.json()["traces"][0]["total"] if r.status_code == 200 else 0


def ours(logdir, runs, tags, steps):
    tmp = tempfile.mkdtemp(prefix="bench-tb-")
    env_path = os.path.join(tmp, "envs")
    os.makedirs(env_path)
    nothing = os.path.join(tmp, "empty-logdir")
    os.makedirs(nothing)
    # The RSS of a server holding nothing, with the logdir code loaded (tensorboard's protos)
    os.makedirs(os.path.join(tmp, "empty-envs"))
    empty = ServerProcess(os.path.join(tmp, "empty-envs"), ["-logdir", nothing]).start()
    time.sleep(1.0)
    base_rss = rss(empty.proc.pid)
    empty.stop()
    started = time.perf_counter()
    srv = ServerProcess(env_path, ["-logdir", logdir]).start()
    last = tag_name(tags - 1)
    pending = {f"run{r:03d}" for r in range(runs)}
    unseen, visible = set(pending), None
    while pending:
        totals = {eid: total_points(srv.url, eid, last) for eid in pending}
        unseen -= {eid for eid, n in totals.items() if n > 0}
        if not unseen and visible is None:
            visible = time.perf_counter() - started
        pending = {eid for eid, n in totals.items() if n < steps}
        if pending:
            time.sleep(0.2)
    served = time.perf_counter() - started
    time.sleep(1.0)
    mem = rss(srv.proc.pid) - base_rss
    points = runs * tags * steps
    delays = live_delays(srv.url, logdir)
    srv.stop()
    return {
        "visible_s": visible or served,
        "served_s": served,
        "rss_bytes": mem,
        "bytes_per_point": mem / points,
        "delays": delays,
    }


def live_delays(url, logdir, writers=10, rounds=5):
    """10 tensorboardX writers at once: seconds from a point on disk to it over HTTP."""
    from tensorboardX import SummaryWriter

    delays, lock = [], threading.Lock()

    def size(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))

    def one(n):
        path = os.path.join(logdir, f"live{n}")
        writer = SummaryWriter(path)
        while not os.path.isdir(path) or size(path) == 0:  # its first record, the file version
            writer.flush()
            time.sleep(0.005)
        for step in range(rounds):
            before = size(path)
            writer.add_scalar("live/loss", float(step), step)
            while size(path) <= before:  # flush() returns before its thread wrote the event
                writer.flush()
                time.sleep(0.005)
            flushed = time.perf_counter()
            while total_points(url, f"live{n}", "live/loss") < step + 1:
                time.sleep(0.01)
            with lock:
                delays.append(time.perf_counter() - flushed)
        writer.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return delays


def tensorboard(logdir, runs, tags):
    exe = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "--logdir", logdir, "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        want = {f"run{r:03d}" for r in range(runs)}
        last = tag_name(tags - 1)
        while True:
            if proc.poll() is not None:
                return {"error": f"tensorboard exited with {proc.returncode}"}
            try:
                got = requests.get(f"{url}/data/plugin/scalars/tags", timeout=30).json()
                if all(last in got.get(run, {}) for run in want):
                    break
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.2)
        answered = time.perf_counter() - started
        points = requests.get(
            f"{url}/data/plugin/scalars/scalars", params={"run": "run000", "tag": last}, timeout=30
        ).json()
        return {"answered_s": answered, "kept": len(points), "rss_bytes": rss(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tags", type=int, default=20)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--full", action="store_true", help="100 runs x 20 tags x 10,000 steps")
    parser.add_argument("--no-tensorboard", action="store_true", help="skip TensorBoard itself")
    args = parser.parse_args()
    if args.full:
        args.runs, args.tags, args.steps = 100, 20, 10_000
    with tempfile.TemporaryDirectory(prefix="bench-logdir-") as logdir:
        t = time.perf_counter()
        write_logdir(logdir, args.runs, args.tags, args.steps)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(logdir) for f in fs)
        points = args.runs * args.tags * args.steps
        print(
            f"logdir: {args.runs} runs x {args.tags} tags x {args.steps} steps = {points:,} points, "
            f"{size / 1e6:.1f} MB, written in {time.perf_counter() - t:.1f} s"
        )
        if not args.no_tensorboard:
            tb = tensorboard(logdir, args.runs, args.tags)
            if "error" in tb:
                print(f"TensorBoard: {tb['error']}")
            else:
                print(
                    f"TensorBoard: scalars endpoint answers every run after {tb['answered_s']:.1f} s; "
                    f"keeps {tb['kept']:,} of {args.steps:,} points of a tag; "
                    f"RSS {tb['rss_bytes'] / 1e6:.0f} MB"
                )
        got = ours(logdir, args.runs, args.tags, args.steps)
        d = sorted(got["delays"])
        print(
            f"ours (-logdir): every run shown after {got['visible_s']:.1f} s, "
            f"every run served whole after {got['served_s']:.1f} s "
            f"({points / got['served_s']:,.0f} points/s); memory {got['rss_bytes'] / 1e6:.0f} MB "
            f"= {got['bytes_per_point']:.1f} B/point; keeps every point"
        )
        print(
            f"live, 10 tensorboardX writers: on disk -> HTTP median {statistics.median(d) * 1000:.0f} ms, "
            f"max {d[-1] * 1000:.0f} ms over {len(d)} points"
        )


if __name__ == "__main__":
    main()
