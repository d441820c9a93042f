"""Compare runs at scale: the aggregate across envs and the runs table's JSON.

    .venv/bin/python bench/aggregate.py            # 100 runs x 100,000 points; 1,000 runs
    .venv/bin/python bench/aggregate.py --quick    # 10 runs x 20,000 points; 100 runs

Server time: the app in this process (the embedded store on a temporary env path) answers
through Flask's test client, so a figure is routing + store read + numpy + strict JSON,
without the network. Each figure is the median of 5 requests. Goals (issue 16):

- GET /api/compare/<100 envs>/aggregate?title=loss&group=re:...&px=1200 over 100 runs of
  100,000 points each: <= 1 s.
- GET /api/runs over 1,000 runs x 10 metrics: the first read (rows built from nothing),
  a warm full read, and `since=<token>` after 10 runs logged a step (incremental).

Runs are loaded straight into the store (the same calls the HTTP routes make).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # run as a script from anywhere

from app import create_app  # noqa: E402
from app.panes import aggregate  # noqa: E402


def timed(fn, repeat=5):
    """Return (median seconds, last result) of `repeat` calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def load_curves(store, runs, points):
    rng = np.random.default_rng(0)
    eids = []
    for r in range(runs):
        eid = f"bench_lr{r % 4}_seed{r // 4}"
        step = 1 + r % 3  # runs logged every 1, 2 or 3 steps: the grids differ
        x = np.arange(points, dtype=np.int64) * step
        y = np.exp(-x / (points * 2.0)) + rng.normal(0, 0.05, size=points)
        trace = {"x": x.tolist(), "y": y.tolist(), "name": "train", "type": "scatter"}
        store.put_window(eid, {"win": "loss", "data": [trace], "opts": {"title": "loss"}})
        eids.append(eid)
    return eids


def bench_aggregate(app, runs, points):
    store = app.extensions["visdom_store"]
    start = time.perf_counter()
    eids = load_curves(store, runs, points)
    print(f"loaded {runs} runs x {points:,} points in {time.perf_counter() - start:.1f} s")
    client = app.test_client()
    base = f"/api/compare/{'+'.join(eids)}/aggregate?title=loss&px=1200"
    for query, label in (
        ("", "one group, mean ± std"),
        (
            "&" + urllib.parse.urlencode({"group": r"re:^(bench_lr\d+)_", "band": "ci95"}),
            "4 regex groups, mean ± 95% CI",
        ),
        ("&stat=median&band=minmax", "one group, median, min-max"),
    ):
        took, response = timed(lambda q=query: get(client, base + q))
        size = len(response.get_data())
        groups = response.get_json()["groups"]
        assert len(groups) == (4 if "regex" in label else 1), label
        print(f"aggregate {label:34s} {took * 1000:8.1f} ms  ({size / 1024:.0f} KiB)")
    curves = []
    for eid in eids:
        window = store.window(eid, "loss")
        curves.append(aggregate.step_and_y(window["content"]["data"][0]))
    took, _ = timed(lambda: aggregate.aggregate(curves, 1200))
    print(f"aggregate numpy alone (no store, no JSON)    {took * 1000:8.1f} ms")
    took, _ = timed(lambda: get(client, f"/api/window/{eids[0]}/loss?envelope=1&px=1200"))
    print(f"envelope of one {points:,}-point curve        {took * 1000:8.1f} ms")


def bench_runs(app, runs, metrics, steps):
    store = app.extensions["visdom_store"]
    names = [f"m{k}" for k in range(metrics)]
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    for r in range(runs):
        eid = f"run{r:04d}"
        store.log_experiment(eid, {"action": "log", "params": {"lr": [1e-3, 3e-4][r % 2]}})
        for s in range(steps):
            values = {m: float(v) for m, v in zip(names, rng.random(metrics), strict=True)}
            store.log_experiment(eid, {"action": "metrics", "metrics": values, "step": s})
    took = time.perf_counter() - start
    print(f"logged {runs} runs x {metrics} metrics x {steps} steps in {took:.1f} s")
    client = app.test_client()
    start = time.perf_counter()
    first = get(client, "/api/runs").get_json()
    print(
        f"/api/runs first read (rows built)         {(time.perf_counter() - start) * 1000:8.1f} ms"
    )
    took, response = timed(lambda: get(client, "/api/runs"))
    size = len(response.get_data())
    print(
        f"/api/runs full, warm                      {took * 1000:8.1f} ms  ({size / 1024:.0f} KiB)"
    )
    token = first["token"]
    took, _ = timed(lambda: get(client, f"/api/runs?since={token}"))
    print(f"/api/runs since, nothing changed          {took * 1000:8.1f} ms")

    def changed():
        for r in range(10):
            store.log_experiment(
                f"run{r:04d}", {"action": "metrics", "metrics": {"m0": 0.5}, "step": steps}
            )
        tok = get(client, "/api/runs").get_json()["token"]
        for r in range(10, 20):
            store.log_experiment(
                f"run{r:04d}", {"action": "metrics", "metrics": {"m0": 0.5}, "step": steps}
            )
        start = time.perf_counter()
        body = get(client, f"/api/runs?since={tok}").get_json()
        took = time.perf_counter() - start
        assert len(body["rows"]) == 10, len(body["rows"])
        return took

    took = statistics.median(changed() for _ in range(5))
    print(f"/api/runs since, 10 runs changed          {took * 1000:8.1f} ms")
    took, _ = timed(lambda: get(client, "/api/runs/groups?group=param:lr"))
    print(f"/api/runs/groups by lr, {metrics} metrics        {took * 1000:8.1f} ms")
    took, _ = timed(lambda: get(client, "/api/runs/at_step?metric=m0&step=5"))
    print(f"/api/runs/at_step                         {took * 1000:8.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    args = parser.parse_args()
    runs, points, table = (10, 20_000, 100) if args.quick else (100, 100_000, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        config = {
            "TESTING": True,
            "ENV_PATH": os.path.join(tmp, "curves"),
            "INSTANCE_PATH": os.path.join(tmp, "instance"),
            "SAVE_INTERVAL": 3600,
        }
        app = create_app(config)
        try:
            bench_aggregate(app, runs, points)
        finally:
            app.extensions["visdom_store"].close()
        app = create_app(dict(config, ENV_PATH=os.path.join(tmp, "runs")))
        try:
            bench_runs(app, table, 10, 20)
        finally:
            app.extensions["visdom_store"].close()


if __name__ == "__main__":
    main()
