"""Soak: many writer processes and live browser pages on the same envs, then figures.

    .venv/bin/python bench/soak.py                      # 60 s, as `make bench` runs it
    .venv/bin/python bench/soak.py --seconds 1800       # the 30-minute soak
    .venv/bin/python bench/soak.py --store redis --kill-redis-every 60 --seconds 300

Scenario 1: 20 writer processes (half the upstream visdom 0.2.4 client from
.venv-upstream or $VISDOM_UPSTREAM_PYTHON, half our visdom_client) append single points
for --seconds, each to its own line window and to one shared one; every 20th round a
quarter of them (both clients) also send an image (28x28, and 3x224x224 every 30th) and
another quarter a text window (unicode), while 5 headless Chromium pages show the env. Every
--reset-every seconds each writer replaces its line window by one point (writer 0 also
the shared one), so that the stored data stays bounded and the server's memory can show
a leak. It prints:

- appends/s (and per quarter of the run: a slowdown is a leak too), errors by status;
- the server process tree (psutil) sampled every --sample-every s: RSS, open fds and
  threads at the start, after warm-up (min(10% of the run, 60 s)), at each quarter and at
  the end; RSS growth after warm-up (goal <= 10%), fd and thread growth (goal 0, within a
  tolerance of 5 fds and 2 threads: connections and requests in flight at the sample),
  also the last quarter's median against the second's (the pages' idle keep-alive
  connections close 75 s after they load, once), and on Redis how many fds go to Redis;
  `pool` is how many threads are gunicorn's request pool (their names, read with
  `py-spy dump`): it grows to the peak concurrency and stays, so "our threads", the
  others (sockets, alerts, pub/sub), are checked on their own;
- each page's JS heap at the same marks (a timer in the page: gc(), then
  performance.memory: what the page keeps, not the garbage not yet collected);
- acknowledged points (and image/text writes) missing from the store (/win_data), and
  writes answered with an error that are stored anyway ("committed but answer lost");
- the pages that differ from the store once the writers stopped: the set of window ids,
  and each window's drawn trace, image (src and caption) or text.

--store redis runs the server on redis-server (AOF, appendfsync always, a temporary
folder; scripts/cluster.py starts both); --kill-redis-every N SIGKILLs redis-server every
N s and starts it again on the same port and folder after --outage s. Per outage it
prints the answers by status while Redis was down, the slowest answer, and the time from
Redis answering PING again to the first acknowledged append (and to every writer's).

Scenario 2: 10 writers x 300 appends into ONE window with 5 pages open on it; it prints
the time from the last acknowledged write until each page's drawn trace equals the
stored one (goal: at most 1 s).

It prints figures and never asserts them. Starts its own server (autosave and journal on,
as in production) on a free port with a temporary env path.
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # run as a script from anywhere
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import soak_lib as lib  # noqa: E402
from cluster import Cluster  # noqa: E402

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

ENV, BURST_ENV, SHARED, BURST = "soak", "soak_burst", "shared", "burst"
FD_TOLERANCE, THREAD_TOLERANCE = 5, 2

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


def post(server, endpoint, body):
    response = requests.post(f"{server.url}/{endpoint}", data=json.dumps(body), timeout=60)
    response.raise_for_status()
    return response


def create_line(server, eid, win):
    trace = {"x": [-1.0], "y": [0.0], "type": "scatter", "mode": "lines", "name": "a"}
    body = {"eid": eid, "win": win, "data": [trace], "layout": {}, "opts": {"title": win}}
    post(server, "events", body)


def create_media(server, eid, win):
    """An image or text window the writer will replace (so that pages lay it out at once)."""
    if win.startswith("img"):
        body = {"eid": eid, "win": win, "data": [{"content": {"src": "", "caption": "-1"}}]}
        body["data"][0]["type"] = "image"
    else:
        body = {"eid": eid, "win": win, "data": [{"content": "", "type": "text"}]}
    post(server, "events", dict(body, layout={}, opts={"title": win}))


def stored_windows(server, eid):
    return post(server, "win_data", {"eid": eid}).json()


def line_xs(windows):
    """{win: set of stored x} of the line windows."""
    out = {}
    for win, window in windows.items():
        view = lib.expected_view(window)
        if view and view["type"] == "line":
            out[win] = set(view["xs"])
    return out


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


def print_differing(differing, settle_s):
    print(
        f"  pages differing from the store:     {len(differing):8d}  "
        f"(after up to {settle_s:g} s of settling)"
    )
    for n, rows in sorted(differing.items()):
        shown = "; ".join(f"{w}: {why}" for w, why in rows[:4])
        print(f"    page {n}: {len(rows)} windows differ ({shown})")


def traceback_errors(log):
    """The exception lines most frequent in a server log's tracebacks (or "")."""
    found = Counter(
        line.split(":", 1)[0]
        for line in log.splitlines()
        if line[:1].isalpha() and re.match(r"[\w.]+(Error|Exception)\b", line)
    )
    return "; ".join(f"{name} x{n}" for name, n in found.most_common(2))


def error_summary(records):
    """(calls, errors, Counter of error statuses, a few error samples)."""
    calls = errors = 0
    statuses, samples = Counter(), []
    for plan, rows, found, _snaps in records:
        calls += len(rows)
        for row in rows:
            if not row[4]:
                errors += 1
                statuses[row[5]] += 1
        samples += [f"{plan['kind']}: {s}" for s in found[:1]]
    return calls, errors, statuses, samples


def plans_mixed(writers):
    """Writer n: the upstream client when n is even, ours when odd; of each 8 writers, two
    (one of each client) also send images and two text, the other four only lines."""
    plans = []
    for n in range(writers):
        media = {0: "img", 1: "img", 2: "txt", 3: "txt"}.get(n % 8)
        media = f"{media}:{media}{n:02d}" if media else "-"
        kind = "upstream" if n % 2 == 0 else "ours"
        plans.append(dict(kind=kind, own=f"w{n:02d}", shared=SHARED, media=media, count=0))
    return plans


def run_mixed(server, pages, writers, args, redis_cluster):
    """Run the writers for --seconds while sampling the server, the pages and Redis.

    The server samples and the Redis kills run on a thread of their own, the pages sample
    their heaps themselves.
    """
    health = lib.HealthSampler(server.proc.pid, redis_cluster and redis_cluster.redis_port)
    health.sample()
    heaps = lib.HeapSampler(pages, max(5.0, args.seconds / 40))
    writers.go(args.seconds)
    kills = lib.RedisKiller(redis_cluster, writers.start, args) if redis_cluster else None
    monitor = lib.Monitor(health, args.sample_every, kills)
    try:
        while writers.running() and time.time() < writers.deadline + args.grace:
            time.sleep(0.2)
    finally:
        monitor.stop()
    health.sample()
    hung = writers.finish(args.grace)
    heaps.collect(writers.deadline)
    return health, heaps, kills.outages if kills else [], hung


def print_health(health, heaps, start, seconds):
    print(
        f"  server process tree ({health.samples[-1][4]} processes), sampled every few s "
        "(Redis: its connections to Redis, of the fds):"
    )
    print(
        f"    {'at':<18}{'t s':>7}{'RSS MB':>9}{'fds':>6}{'threads':>8}{'pool':>6}"
        f"{'Redis':>6}  page JS heaps MB (after a GC)"
    )
    rows = lib.marks(start, seconds)
    picked = {}
    # Under load, as the start of the table is not: the samples taken while writers ran
    # (they close their connections at the end: stop a moment before it).
    end = start + seconds - min(3.0, 0.05 * seconds)
    loaded = [s for s in health.samples if start <= s[0] <= end] or health.samples
    for name, t in rows:
        s = lib.nearest(health.samples if name == "start" else loaded, t)
        picked[name] = s
        heap = " ".join("    -" if mb is None else f"{mb:5.1f}" for mb in heaps.at(t))
        pool = "-" if s[6] is None else s[6]
        print(
            f"    {name:<18}{s[0] - start:7.0f}{s[1]:9.1f}{s[2]:6d}{s[3]:8d}{pool:>6}{s[5]:6d}  {heap}"
        )
    warm, end = picked[rows[1][0]], picked["end"]
    after = [s for s in loaded if s[0] >= warm[0]]
    peak = max(s[1] for s in after)
    print(
        f"  server RSS growth after warm-up:    {100 * (end[1] / warm[1] - 1):+8.1f} %  "
        f"(goal <= 10%; peak {peak:.1f} MB)"
    )
    # Growth is the end against the warm-up sample, and the median of the last quarter
    # against that of the second: the pages' idle asset connections close after the
    # server's 75 s keep-alive (a one-time drop), and the counts jitter with the requests
    # in flight; a leak shows as a climb between the quarters.
    q2 = [s for s in loaded if start + seconds / 4 <= s[0] <= start + seconds / 2] or after
    q4 = [s for s in loaded if s[0] >= start + 3 * seconds / 4] or after
    # Threads: all of them, and those outside gunicorn's request pool (it grows to its
    # peak concurrency, at most -threads, and stays: not a leak), when py-spy could tell.
    checks = [
        ("open fds", lambda s: s[2], FD_TOLERANCE),
        ("threads", lambda s: s[3], THREAD_TOLERANCE),
    ]
    if all(s[6] is not None for s in after + [warm, end]):
        checks.append(("our threads", lambda s: s[3] - s[6], THREAD_TOLERANCE))
    for label, value, tolerance in checks:
        trend = statistics.median(map(value, q4)) - statistics.median(map(value, q2))
        print(
            f"  {label + ' after warm-up:':<36}{value(end) - value(warm):+8d}    "
            f"(4th quarter over 2nd, medians: {trend:+g}; goal 0, tolerance {tolerance}; "
            f"{min(map(value, after))}..{max(map(value, after))})"
        )
    growth = [
        "-" if a is None or b is None else f"{100 * (b / a - 1):+.0f}%"
        for a, b in zip(heaps.at(warm[0]), heaps.at(start + seconds), strict=True)
    ]
    print(f"  page JS heap growth after warm-up:  {' '.join(growth)}")


def print_outages(records, outages):
    for n, (down, spawned, up) in enumerate(outages):
        f = lib.outage_figures(records, down, spawned, up)
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(f["statuses"].items())) or "none"
        print(
            f"  Redis outage {n + 1}: dead {spawned - down:.1f} s, then answering PING "
            f"{up - spawned:.2f} s after its restart"
        )
        print(f"    answers while down:               {statuses}")
        print(f"    slowest answer:                   {f['slowest']:8.2f} s")
        first = "never" if f["first_ack"] is None else f"{f['first_ack']:.2f} s"
        every = "not all" if f["all_acked"] is None else f"{f['all_acked']:.2f} s"
        print(f"    Redis up -> first acked append:   {first:>8}  (goal <= 1 s)")
        print(f"    Redis up -> every writer acked:   {every:>8}")


def scenario_mixed(server, browser, args, tmp, redis_cluster=None):
    plans = plans_mixed(args.writers)
    for plan in plans:
        create_line(server, ENV, plan["own"])
        if plan["media"] != "-":
            create_media(server, ENV, plan["media"].split(":", 1)[1])
    create_line(server, ENV, SHARED)
    line_wins = [SHARED] + [p["own"] for p in plans]
    pages, page_errors = open_pages(browser, server, ENV, args.pages, line_wins)
    writers = lib.Writers(
        server.port, ENV, plans, os.path.join(tmp, "mixed"), args.reset_every, media_every=20
    )
    health, heaps, outages, hung = run_mixed(server, pages, writers, args, redis_cluster)
    records = writers.records()
    start = writers.start
    calls, errors, statuses, samples = error_summary(records)
    acked = sum(1 for _p, rows, *_ in records for r in rows if r[4] and r[0] in ("own", "shared"))
    took = max((r[3] for _p, rows, *_ in records for r in rows), default=start + 1) - start

    windows = stored_windows(server, ENV)
    lines = lib.line_integrity(records, line_xs(windows))
    media = lib.media_integrity(records, windows)
    differing = lib.settle_all(pages, windows, args.settle)

    n_media = sum(1 for p in plans if p["media"] != "-")
    print(
        f"scenario 1: {args.writers} writer processes ({(args.writers + 1) // 2} upstream 0.2.4 "
        f"client, {args.writers // 2} visdom_client; {n_media} also send images or text), "
        f"{args.pages} Chromium pages, {args.seconds:g} s, store: {args.store}"
    )
    print(f"  appends/s:                          {acked / took:8.1f}  ({acked} acknowledged)")
    quarters = lib.appends_per_quarter(records, start, args.seconds)
    print(f"  appends/s per quarter:              {'  '.join(f'{q:.0f}' for q in quarters)}")
    by_status = "".join(f"; {k}: {v}" for k, v in statuses.most_common())
    print(f"  errors:                             {errors:8d}  (of {calls} calls{by_status})")
    for sample in samples[:3]:
        print(f"    {sample}")
    if hung:
        print(f"  writers still waiting {args.grace:g} s after the end: {hung} (killed)")
    print_health(health, heaps, start, args.seconds)
    print_outages(records, outages)
    print(
        f"  acknowledged points missing:        {lines['missing']:8d}  "
        f"(of {lines['checked']} checked; goal 0)"
    )
    print(
        f"    checked in {lines['epochs']} window epochs (cut by the resets); not checked: "
        f"{lines['unchecked']}\n    (appends to the shared window in flight across its reset)"
    )
    print(
        f"  acknowledged image/text missing:    {media['missing']:8d}  "
        f"(of {media['checked']} windows)"
    )
    print(
        f"  committed but answer lost:          {lines['answer_lost'] + media['answer_lost']:8d}  "
        f"(answered with an error, stored anyway)"
    )
    print(f"  windows in the store:               {len(windows):8d}")
    log = server.output(None)
    print(
        f"  tracebacks in the server log:       {log.count('Traceback'):8d}  {traceback_errors(log)}"
    )
    print_differing(differing, args.settle)
    print(f"  page errors:                        {len(page_errors):8d}")
    for page in pages:
        page.close()


def scenario_burst(server, browser, args, tmp):
    create_line(server, BURST_ENV, BURST)
    pages, page_errors = open_pages(browser, server, BURST_ENV, args.pages, [BURST])
    for page in pages:
        page.evaluate(WATCH, BURST)
    n, count = args.burst_writers, args.burst_appends
    kinds = ["upstream" if i % 2 == 0 else "ours" for i in range(n)]
    plans = [dict(kind=k, own="-", shared=BURST, count=count) for k in kinds]
    writers = lib.Writers(server.port, BURST_ENV, plans, os.path.join(tmp, "burst"))
    writers.go(0)
    writers.finish(600)
    records = writers.records()
    rows = [r for _p, calls, *_ in records for r in calls]
    acked = [r for r in rows if r[4]]
    last_ack = max((r[3] for r in acked), default=0.0)
    took = max(r[3] for r in rows) - min(r[2] for r in rows)
    _calls, errors, _statuses, samples = error_summary(records)
    windows = stored_windows(server, BURST_ENV)
    lines = lib.line_integrity(records, line_xs(windows))
    differing = lib.settle_all(pages, {BURST: windows[BURST]}, args.settle)
    print(f"scenario 2: {n} writers x {count} appends into one window, {args.pages} pages on it")
    print(f"  appends/s:                          {len(acked) / took:8.1f}  ({len(acked)} acked)")
    print(f"  errors:                             {errors:8d}")
    for sample in samples[:3]:
        print(f"    {sample}")
    print(f"  acknowledged points missing:        {lines['missing']:8d}")
    lags = []
    for i, page in enumerate(pages):
        if i in differing:
            print(f"    page {i}: still differs after {args.settle:g} s ({differing[i][0][1]})")
            continue
        # The drawn trace stopped changing at `last` and now equals the store: it became
        # equal then.
        last = page.evaluate("() => window.__soak.last") / 1000.0
        lags.append(max(0.0, last - last_ack))
        print(
            f"    page {i}: equal to the store {lags[-1]:6.3f} s after the last acknowledged write"
        )
    if lags and len(lags) == len(pages):
        print(f"  last write -> every page equal:     {max(lags):8.3f} s  (goal <= 1 s)")
    else:
        print(f"  last write -> every page equal:     not reached within {args.settle:g} s")
    print(f"  page errors:                        {len(page_errors):8d}")
    for page in pages:
        page.close()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="scenario 1 duration")
    parser.add_argument("--writers", type=int, default=20, help="scenario 1 writer processes")
    parser.add_argument("--pages", type=int, default=5, help="Chromium pages per scenario")
    parser.add_argument("--burst-writers", type=int, default=10)
    parser.add_argument("--burst-appends", type=int, default=300)
    parser.add_argument(
        "--settle", type=float, default=30, help="seconds pages get to catch up before a verdict"
    )
    parser.add_argument(
        "--reset-every",
        type=float,
        default=30,
        help="replace the line windows every N s (0: never)",
    )
    parser.add_argument("--sample-every", type=float, default=2, help="server samples, s")
    parser.add_argument("--store", choices=("embedded", "redis"), default="embedded")
    parser.add_argument(
        "--kill-redis-every", type=float, default=0, help="SIGKILL redis-server every N s"
    )
    parser.add_argument("--outage", type=float, default=2, help="s before Redis restarts")
    parser.add_argument(
        "--grace",
        type=float,
        default=120,
        help="s a writer may overrun the end before it is killed",
    )
    parser.add_argument("--skip-burst", action="store_true", help="run scenario 1 only")
    args = parser.parse_args()
    if args.kill_redis_every and args.store != "redis":
        parser.error("--kill-redis-every needs --store redis")
    return args


def main():
    args = parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM} (run `make chromium`)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="visdom-soak-") as tmp:
        cluster = None
        if args.store == "redis":
            cluster = Cluster(os.path.join(tmp, "redis"), n=1, fsync="always").start(nginx=False)
            server = cluster.servers[0]
        else:
            env_path = os.path.join(tmp, "envs")
            os.makedirs(env_path)
            server = ServerProcess(env_path).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + lib.HEAP_ARGS
                )
                try:
                    scenario_mixed(server, browser, args, tmp, cluster)
                    if not args.skip_burst:
                        scenario_burst(server, browser, args, tmp)
                finally:
                    browser.close()
        finally:
            if cluster:
                cluster.stop()
            else:
                server.stop()


if __name__ == "__main__":
    main()
