"""The runs table ({base}/runs) at 1,000 runs × 10 metrics in Chromium: time to interactive,
sorting, filtering, scrolling and grouping.

    .venv/bin/python bench/runs_table.py              # 1,000 runs × 10 metrics × 20 steps
    .venv/bin/python bench/runs_table.py --runs 200   # a smaller smoke run

The runs are written as env files (experiment records) before the server starts, so the
figures are the page's, not the logging's. Times come from the page's own clock:
"interactive" is performance.now() (from navigation start) when the first read of
GET /api/runs has been merged and its rows drawn (the first load of a fresh server, which
reads the 1,000 env files, is printed on its own; the median is over the later loads); sort and filter are the synchronous
work of one click or keystroke (filter, sort, draw the rows in view), measured around it.
Goals (issue 16): interactive ≤ 1 s, sort/filter ≤ 100 ms. Prints the median of the
repeats; on a shared machine the figures are noisy.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)  # run as a script from anywhere

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402


def experiment(i, metrics, steps):
    entries = [
        {"key": f"metric_{k}", "value": ((i * 31 + k * 17 + s * 7) % 997) / 97.0, "step": s}
        for s in range(steps)
        for k in range(metrics)
    ]
    return {
        "env_id": f"run_{i:05d}",
        "name": f"run {i}",
        "description": "",
        "status": "finished",
        "created_at": 1.7e9 + i,
        "finished_at": 1.7e9 + i + 60,
        "params": [
            {"key": "lr", "value": [1e-3, 3e-4, 1e-4][i % 3], "dtype": "float"},
            {"key": "seed", "value": i % 5, "dtype": "int"},
        ],
        "metrics": entries,
        "tags": [{"key": "arch", "value": "cnn" if i % 2 else "mlp"}],
    }


def write_envs(env_path, runs, metrics, steps):
    for i in range(runs):
        body = {"jsons": {}, "reload": {}, "experiment": experiment(i, metrics, steps)}
        with open(os.path.join(env_path, f"run_{i:05d}.json"), "w", encoding="utf-8") as f:
            json.dump(body, f)


CLICK = """(sel) => { const t0 = performance.now();
  document.querySelector(sel).click(); return performance.now() - t0; }"""
TYPE = """(text) => { const box = document.getElementById('runs-filter'); const t0 = performance.now();
  box.value = text; box.dispatchEvent(new Event('input')); return performance.now() - t0; }"""
SCROLL = """async (top) => { const el = document.querySelector('.runs-scroll'); const t0 = performance.now();
  el.scrollTop = top; await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0; }"""


def median(xs):
    return statistics.median(xs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--metrics", type=int, default=10)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = tempfile.mkdtemp(prefix="visdom-bench-runs-")
    env_path = os.path.join(tmp, "envs")
    os.makedirs(env_path)
    write_envs(env_path, args.runs, args.metrics, args.steps)
    srv = ServerProcess(env_path)
    srv.start()
    try:
        figures = {"interactive": [], "sort": [], "sort_again": [], "filter": [], "clear": []}
        scroll, group = [], []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for _ in range(args.loads):
                page.goto(f"{srv.url}/runs")
                page.wait_for_selector("body[data-loaded='true']", timeout=60000)
                figures["interactive"].append(
                    page.evaluate("window.visdomRuns.state.timings.interactive")
                )
                drawn = page.evaluate("document.querySelectorAll('#runs-table tbody tr').length")
                col = "#runs-table th[data-col='metric:metric_3:last'] .runs-sort"
                figures["sort"].append(page.evaluate(CLICK, col))
                figures["sort_again"].append(page.evaluate(CLICK, col))  # descending
                figures["filter"].append(page.evaluate(TYPE, "run 12"))
                figures["clear"].append(page.evaluate(TYPE, ""))
                for top in (5000, 12000, 20000):
                    scroll.append(page.evaluate(SCROLL, top))
                t0 = time.perf_counter()
                page.select_option("#runs-group", "param:lr")
                page.wait_for_selector("#runs-groups-box[data-groups='3']", timeout=30000)
                group.append((time.perf_counter() - t0) * 1000)
            browser.close()
        # The server's side alone (warm: the pages above read every row already).
        start = time.perf_counter()
        full = requests.get(f"{srv.url}/api/runs", timeout=120)
        first_read = time.perf_counter() - start
        token = full.json()["token"]
        start = time.perf_counter()
        requests.get(f"{srv.url}/api/runs", params={"since": token}, timeout=60)
        since_read = time.perf_counter() - start
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"runs table: {args.runs} runs x {args.metrics} metrics x {args.steps} steps")
    cold = figures["interactive"][0]
    print(f"  {'time to interactive, first load of a fresh server':52s}{cold:8.1f} ms")
    print(f"  {'GET /api/runs (every row, warm)':52s}{first_read * 1000:8.1f} ms")
    print(f"  {'GET /api/runs?since (nothing changed)':52s}{since_read * 1000:8.1f} ms")
    print(f"  {'row elements drawn (virtualized)':52s}{drawn:8d}")
    labels = {
        "interactive": "time to interactive, later loads (goal <= 1000 ms)",
        "sort": "sort by a metric     (goal <= 100 ms)",
        "sort_again": "sort again (reverse) (goal <= 100 ms)",
        "filter": "filter by text       (goal <= 100 ms)",
        "clear": "clear the filter     (goal <= 100 ms)",
    }
    figures["interactive"] = figures["interactive"][1:] or figures["interactive"]
    for key, label in labels.items():
        got = figures[key]
        print(f"  {label:52s}{median(got):8.1f} ms  (median of {len(got)})")
    print(f"  {'scroll to a new place (2 frames)':52s}{median(scroll):8.1f} ms")
    print(f"  {'group by lr (request + draw)':52s}{median(group):8.1f} ms")


if __name__ == "__main__":
    main()
