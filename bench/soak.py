"""Soak: many writer processes and live browser pages on the same envs, then two figures.

    .venv/bin/python bench/soak.py                # 60 s, as `make bench` runs it
    .venv/bin/python bench/soak.py --seconds 10   # shorter

Scenario 1: 20 writer processes (half the upstream visdom 0.2.4 client from
.venv-upstream or $VISDOM_UPSTREAM_PYTHON, half our visdom_client) append single points
for --seconds, each to its own window and to one shared window, while 5 headless Chromium
pages show the env. It prints appends/s, errors, acknowledged points missing from the
store (/win_data), and the pages whose drawn data (the plotly graph div's `.data`) still
differs from the store once the writers stopped and the pages had time to settle.

Scenario 2: 10 writers x 300 appends into ONE window with 5 pages open on it; it prints
the time from the last acknowledged write until each page's drawn trace equals the
stored one (goal: at most 1 s).

It prints figures and never asserts them. Starts its own server (autosave and journal on,
as in production) on a free port with a temporary env path.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # run as a script from anywhere

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

ENV, BURST_ENV, SHARED, BURST = "soak", "soak_burst", "shared", "burst"

# One writer process. argv: kind port eid own_win shared_win wid count
# It prints "ready", waits for "go <deadline>" on stdin, appends, and prints one JSON line.
WRITER = r"""
import json, sys, time
import numpy as np
kind, port, eid, own, shared = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
wid, count = int(sys.argv[6]), int(sys.argv[7])
if kind == "upstream":
    from visdom import Visdom
else:
    from visdom_client import Visdom
vis = Visdom(server="http://127.0.0.1", port=port, env=eid, use_incoming_socket=False)
print("ready", flush=True)
deadline = float(sys.stdin.readline().split()[1])
acked = {"own": [], "shared": []}
errors, samples, appends, last_ack = 0, [], 0, 0.0
started = time.time()
i = 0
while (count and i < count) or (not count and time.time() < deadline):
    targets = [("own", own, float(i))] if own != "-" else []
    targets.append(("shared", shared, float(wid * 1_000_000 + i)))
    for key, win, x in targets:
        appends += 1
        try:
            answer = vis.line(Y=np.array([float(i % 97)]), X=np.array([x]), win=win, update="append")
        except Exception as exc:  # our client raises on a refused request
            answer = repr(exc)
        if answer == win:
            acked[key].append(x)
            last_ack = time.time()
        else:
            errors += 1
            if len(samples) < 3:
                samples.append(str(answer)[:200])
    i += 1
ended = time.time()
print(json.dumps(dict(acked, wid=wid, kind=kind, errors=errors, samples=samples,
                      appends=appends, started=started, ended=ended, last_ack=last_ack)))
"""

# Compare the drawn trace 0 of window `win` with the stored x/y (same values, same order).
DRAWN_EQUALS = """([win, xs, ys]) => {
  const el = document.querySelector(`.grid-stack-item[data-win="${win}"] .plot-pane`);
  const t = el && el.data && el.data[0];
  if (!t || !t.x || !t.y) {
    // Windows are drawn as they come near the screen: bring this one there.
    document.querySelector(`.grid-stack-item[data-win="${win}"]`)?.scrollIntoView();
    return {ok: false, n: -1};
  }
  const n = t.x.length;
  if (n !== xs.length || t.y.length !== ys.length) return {ok: false, n};
  for (let i = 0; i < n; i++) {
    if (t.x[i] !== xs[i] || t.y[i] !== ys[i]) return {ok: false, n, at: i};
  }
  return {ok: true, n};
}"""

# Record (page clock = wall clock) when the drawn trace of `win` last changed.
WATCH = """(win) => {
  const state = window.__soak = {last: Date.now(), sig: ""};
  setInterval(() => {
    const el = document.querySelector(`.grid-stack-item[data-win="${win}"] .plot-pane`);
    const t = el && el.data && el.data[0];
    const n = t && t.x ? t.x.length : -1;
    const sig = n < 0 ? "" : `${n}:${t.x[n - 1]}:${t.y[n - 1]}`;
    if (sig !== state.sig) { state.sig = sig; state.last = Date.now(); }
  }, 5);
}"""


def upstream_python():
    return os.environ.get("VISDOM_UPSTREAM_PYTHON") or os.path.join(
        ROOT, ".venv-upstream", "bin", "python"
    )


def post(server, endpoint, body):
    response = requests.post(f"{server.url}/{endpoint}", data=json.dumps(body), timeout=60)
    response.raise_for_status()
    return response


def create_line(server, eid, win):
    trace = {"x": [-1.0], "y": [0.0], "type": "scatter", "mode": "lines", "name": "a"}
    body = {"eid": eid, "win": win, "data": [trace], "layout": {}, "opts": {"title": win}}
    post(server, "events", body)


def stored_trace(server, eid, win):
    window = post(server, "win_data", {"eid": eid, "win": win}).json()
    trace = window["content"]["data"][0]
    return trace["x"], trace["y"]


def run_writers(server, eid, plans, deadline_seconds):
    """Start writer processes, release them at once, and return their JSON reports.

    `plans` is a list of (kind, own_win or "-", shared_win, count); count 0 means "until
    the deadline".
    """
    procs = []
    env = dict(os.environ, PYTHONPATH=ROOT)  # our client from this checkout
    for wid, (kind, own, shared, count) in enumerate(plans):
        python = upstream_python() if kind == "upstream" else sys.executable
        args = [python, "-c", WRITER, kind, str(server.port), eid, own, shared, str(wid)]
        procs.append(
            subprocess.Popen(
                args + [str(count)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
        )
    for proc in procs:
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"a writer did not start: {line}{proc.stderr.read()}")
    deadline = time.time() + deadline_seconds
    for proc in procs:
        proc.stdin.write(f"go {deadline}\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=deadline_seconds + 600)
        if proc.returncode != 0:
            raise SystemExit(f"a writer failed ({proc.returncode}):\n{err[-2000:]}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def open_pages(browser, server, eid, count, wins):
    """Open `count` pages on env `eid` and wait until every window in `wins` is drawn."""
    pages, page_errors = [], []
    for _ in range(count):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        page.goto(f"{server.url}/env/{eid}")
        pages.append(page)
    for page in pages:
        wait(
            page,
            # Windows are drawn as they come near the screen: scroll to each undrawn one.
            "(wins) => wins.every(w => { const el = document.querySelector("
            '`.grid-stack-item[data-win="${w}"] .plot-pane`); if (el && el.data) return true; '
            'document.querySelector(`.grid-stack-item[data-win="${w}"]`)?.scrollIntoView(); '
            "return false; })",
            wins,
            timeout=60,
        )
    return pages, page_errors


def wait(page, js, arg=None, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(js, arg):
            return True
        time.sleep(0.1)
    return False


def settle(pages, expected, timeout):
    """Poll until every page draws `expected` ({win: (xs, ys)}); return the pages that differ."""
    deadline = time.monotonic() + timeout
    while True:
        differing = {}
        for n, page in enumerate(pages):
            for win, (xs, ys) in expected.items():
                result = page.evaluate(DRAWN_EQUALS, [win, xs, ys])
                if not result["ok"]:
                    differing.setdefault(n, []).append(
                        (win, result["n"], len(xs), result.get("at"))
                    )
        if not differing or time.monotonic() > deadline:
            return differing
        time.sleep(0.25)


def print_error_samples(reports):
    for r in reports:
        for sample in r["samples"][:1]:
            print(f"    writer {r['wid']} ({r['kind']}): {sample}")


def scenario_mixed(server, browser, args):
    writers = args.writers
    own_wins = [f"w{n:02d}" for n in range(writers)]
    for win in [SHARED] + own_wins:
        create_line(server, ENV, win)
    pages, page_errors = open_pages(browser, server, ENV, args.pages, [SHARED] + own_wins)
    plans = [("upstream" if n % 2 == 0 else "ours", own_wins[n], SHARED, 0) for n in range(writers)]
    reports = run_writers(server, ENV, plans, args.seconds)
    took = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    appends = sum(r["appends"] for r in reports)
    errors = sum(r["errors"] for r in reports)
    acked = sum(len(r["own"]) + len(r["shared"]) for r in reports)

    stored = {win: stored_trace(server, ENV, win) for win in [SHARED] + own_wins}
    shared_x = set(stored[SHARED][0])
    missing = 0
    for r, own in zip(reports, own_wins, strict=True):
        own_x = set(stored[own][0])
        missing += sum(1 for x in r["own"] if x not in own_x)
        missing += sum(1 for x in r["shared"] if x not in shared_x)
    differing = settle(pages, stored, args.settle)

    print(
        f"scenario 1: {writers} writer processes ({(writers + 1) // 2} upstream 0.2.4 client, "
        f"{writers // 2} visdom_client), {args.pages} Chromium pages, {args.seconds:g} s"
    )
    print(f"  appends/s:                          {acked / took:8.1f}  ({acked} acknowledged)")
    print(f"  errors:                             {errors:8d}  (of {appends} appends)")
    print_error_samples(reports)
    print(f"  acknowledged points missing:        {missing:8d}")
    print(
        f"  pages differing from the store:     {len(differing):8d}  "
        f"(after up to {args.settle:g} s of settling)"
    )
    for n, wins in sorted(differing.items()):
        shown = ", ".join(
            f"{w}: drawn {d} / stored {s} points"
            + ("" if at is None else f", first difference at {at}")
            for w, d, s, at in wins[:4]
        )
        print(f"    page {n}: {len(wins)} windows differ ({shown})")
    print(f"  page errors:                        {len(page_errors):8d}")
    for page in pages:
        page.close()


def scenario_burst(server, browser, args):
    create_line(server, BURST_ENV, BURST)
    pages, page_errors = open_pages(browser, server, BURST_ENV, args.pages, [BURST])
    for page in pages:
        page.evaluate(WATCH, BURST)
    writers, count = args.burst_writers, args.burst_appends
    plans = [("upstream" if n % 2 == 0 else "ours", "-", BURST, count) for n in range(writers)]
    reports = run_writers(server, BURST_ENV, plans, 0)
    last_ack = max(r["last_ack"] for r in reports)
    took = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    acked = sum(len(r["shared"]) for r in reports)
    errors = sum(r["errors"] for r in reports)
    xs, ys = stored_trace(server, BURST_ENV, BURST)
    stored_x = set(xs)
    missing = sum(1 for r in reports for x in r["shared"] if x not in stored_x)
    differing = settle(pages, {BURST: (xs, ys)}, args.settle)
    print(
        f"scenario 2: {writers} writers x {count} appends into one window, "
        f"{args.pages} Chromium pages on it"
    )
    print(f"  appends/s:                          {acked / took:8.1f}  ({acked} acknowledged)")
    print(f"  errors:                             {errors:8d}")
    print_error_samples(reports)
    print(f"  acknowledged points missing:        {missing:8d}")
    lags = []
    for n, page in enumerate(pages):
        if n in differing:
            (_win, drawn, stored, _at), *_ = differing[n]
            print(
                f"    page {n}: still differs after {args.settle:g} s "
                f"(drawn {drawn} / stored {stored} points)"
            )
            continue
        # The drawn trace stopped changing at `last` and now equals the store: it became
        # equal then.
        last = page.evaluate("() => window.__soak.last") / 1000.0
        lags.append(max(0.0, last - last_ack))
        print(
            f"    page {n}: equal to the store {lags[-1]:6.3f} s after the last acknowledged write"
        )
    if lags and len(lags) == len(pages):
        print(f"  last write -> every page equal:     {max(lags):8.3f} s  (goal <= 1 s)")
    else:
        print(f"  last write -> every page equal:     not reached within {args.settle:g} s")
    print(f"  page errors:                        {len(page_errors):8d}")
    for page in pages:
        page.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="scenario 1 duration")
    parser.add_argument("--writers", type=int, default=20, help="scenario 1 writer processes")
    parser.add_argument("--pages", type=int, default=5, help="Chromium pages per scenario")
    parser.add_argument("--burst-writers", type=int, default=10)
    parser.add_argument("--burst-appends", type=int, default=300)
    parser.add_argument(
        "--settle", type=float, default=30, help="seconds pages get to catch up before a verdict"
    )
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM} (run `make chromium`)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="visdom-soak-") as tmp:
        env_path = os.path.join(tmp, "envs")
        os.makedirs(env_path)
        server = ServerProcess(env_path).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    scenario_mixed(server, browser, args)
                    scenario_burst(server, browser, args)
                finally:
                    browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
