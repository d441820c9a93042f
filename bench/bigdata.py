"""Big data side by side with upstream visdom 0.2.4: loading, memory, reading, pages, images.

    .venv/bin/python bench/bigdata.py            # the full run (upstream capped at 320k points)
    .venv/bin/python bench/bigdata.py --quick    # smaller sizes, a smoke run of every figure
    .venv/bin/python bench/bigdata.py --no-upstream
    .venv/bin/python bench/bigdata.py --pages    # only the page figures (issue 19)

`--pages` opens the 1M-point env and the 50-window env in Chromium: a first visit (an
empty HTTP cache), a repeat and a third visit (the same browser profile, new tabs), three
rounds of each on fresh profiles, the median round of each visit printed, with the bytes
on the wire of each, and TensorBoard's page-open time on the same 1M-step scalar
(its event file written by tensorboardX; skipped with a note when either is missing).

Writes go through the real upstream client (.venv-upstream, or $VISDOM_UPSTREAM_PYTHON) to
a fresh server per part: ours (tests/support/server.py ServerProcess) and upstream's own. The page
figures come from Debian's Chromium driven by Playwright: times are the page's own
performance.now() (from navigation start) when a condition first held, polled every
~20 ms; bytes are what Chromium's network layer saw for the page: HTTP responses plus
websocket frames. Prints every figure of issue 9's table, then the table with the goals.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)  # run as a script from anywhere
sys.path.insert(0, HERE)

import append as append_bench  # noqa: E402  (bench/append.py: single-point appends)

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

ENV = "bench"
BIG = "big"

# Runs in .venv-upstream with the upstream 0.2.4 client (or, with VISDOM_BENCH_OURS=1, in
# our venv with visdom_client, the same API): one mode per call.
CLIENT = r"""
import json, os, sys, time
import numpy as np
if os.environ.get("VISDOM_BENCH_OURS"):
    import visdom_client as visdom
else:
    import visdom
mode, port = sys.argv[1], int(sys.argv[2])
vis = visdom.Visdom(port=port, server="http://127.0.0.1", env="bench",
                    use_incoming_socket=False, raise_exceptions=True)
out = {}
if mode == "load":
    total, chunk = int(sys.argv[3]), int(sys.argv[4])
    start = time.perf_counter()
    for i in range(0, total, chunk):
        x = np.arange(i, i + chunk, dtype=float)
        y = np.sin(x / 5000.0) + (x % 99991 == 500) * 5.0  # a few single-point spikes
        vis.line(Y=y, X=x, win="big", update="append" if i else None, opts=dict(title="big"))
    out["seconds"] = time.perf_counter() - start
elif mode == "read":
    start = time.perf_counter()
    text = vis.get_window_data(win="big", env="bench")
    out["seconds"] = time.perf_counter() - start
    out["bytes"] = len(text.encode())
    out["points"] = sum(len(t["x"]) for t in json.loads(text)["content"]["data"])
elif mode == "image":
    n = int(sys.argv[3])
    img = np.random.RandomState(0).rand(256, 256)
    for _ in range(5):  # warm up connections and code paths
        vis.image(img, win="img")
    start = time.perf_counter()
    for _ in range(n):
        vis.image(img, win="img")
    out["rate"] = n / (time.perf_counter() - start)
    vis._send = lambda *a, **k: "img"  # the client alone: encoding, no request
    start = time.perf_counter()
    for _ in range(n):
        vis.image(img, win="img")
    out["encode_rate"] = n / (time.perf_counter() - start)
print(json.dumps(out))
"""


def client(port, *args, timeout=3600, ours=False):
    python = sys.executable if ours else append_bench.upstream_python()
    env = dict(os.environ, VISDOM_BENCH_OURS="1") if ours else None
    out = subprocess.run(
        [python, "-c", CLIENT, args[0], str(port), *map(str, args[1:])],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    if out.returncode:
        raise RuntimeError(f"client {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss(pgid):
    """Resident memory in bytes of every process in the group (gunicorn master + worker)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # the process group id
                continue
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


class Server:
    """Ours or upstream's server on a fresh env path, as a context manager."""

    def __init__(self, kind):
        self.kind = kind

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory()
        env_path = os.path.join(self.tmp.name, "envs")
        os.makedirs(env_path)
        if self.kind == "ours":
            self.srv = ServerProcess(env_path).start()
            self.port, self.pgid, self.url = self.srv.port, self.srv.proc.pid, self.srv.url
        else:
            self.proc, self.port = append_bench.start_upstream(env_path)
            self.pgid, self.url = self.proc.pid, f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        if self.kind == "ours":
            self.srv.stop()
        else:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.tmp.cleanup()


def post(url, endpoint, body):
    resp = requests.post(f"{url}/{endpoint}", data=json.dumps(body), timeout=60)
    resp.raise_for_status()


# ---- the page ------------------------------------------------------------------------------

DRAWN_LINE = """(win) => {
  const gd = document.querySelector(`[data-win='${win}'] .plot-pane`);
  const path = gd && gd.querySelector('.scatterlayer .trace path.js-line');
  return path && (path.getAttribute('d') || '').length > 1 ? performance.now() : 0;
}"""

SCREEN = """() => {
  const panes = [...document.querySelectorAll('.grid-stack-item[data-win]')];
  const drawn = (el) => Boolean(el.querySelector('.plot-pane .main-svg .scatterlayer path.js-line'));
  const seen = panes.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.top < innerHeight && r.bottom > 0;
  });
  return {now: performance.now(), screen: seen.length, screenDrawn: seen.every(drawn),
          drawn: panes.filter(drawn).length, total: panes.length,
          bottom: innerHeight + scrollY >= document.documentElement.scrollHeight - 2};
}"""

POINTS = """(win) => {
  const gd = document.querySelector(`[data-win='${win}'] .plot-pane`);
  return gd && gd.data ? gd.data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0) : -1;
}"""

IN_RANGE = """([win, lo, hi]) => {
  const gd = document.querySelector(`[data-win='${win}'] .plot-pane`);
  let best = 0;
  for (const t of gd.data) {
    let n = 0;
    for (let i = 0; i < t.x.length; i++) if (t.x[i] >= lo && t.x[i] <= hi) n++;
    best = Math.max(best, n);
  }
  return best;
}"""


# The page's own marks (ms from navigation): modules evaluated, plotly.js compiled, the env's
# windows read (snapshot: HTTP; ack: the socket's join), shown, the first screen drawn.
MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark').reverse()
  .filter(m => m.name.startsWith('visdom:')).map(m => [m.name.slice(7), m.startTime]))"""


def poll(page, js, arg=None, timeout=60.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(js, arg)
        if value:
            return value
        time.sleep(interval)
    return None


class Browser:
    """Chromium with one context (a warm HTTP cache, as a user who opened the UI before)."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        self.fresh()
        return self

    def fresh(self):
        """A new browser profile: an empty HTTP cache (a first visit)."""
        if getattr(self, "context", None):
            self.context.close()
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 900})

    def __exit__(self, *exc):
        self.browser.close()
        self.pw.stop()

    def warm(self, url):
        """Load the UI and plotly.js once, so the figures are about data, not the cache."""
        post(url, "events", line_window("warm", "w", [0, 1], [[1, 2]]))
        page = self.context.new_page()
        page.goto(f"{url}/env/warm")
        poll(page, DRAWN_LINE, "w")
        page.close()

    def open(self, url, eid):
        """Open an env's page, counting what the network brings it; return (page, counter)."""
        page = self.context.new_page()
        cdp = self.context.new_cdp_session(page)
        counter = {"data": 0, "static": 0, "frames": 0}
        kinds = {}

        def response(ev):
            kinds[ev["requestId"]] = ev.get("type", "Other")

        def finished(ev):
            kind = "data" if kinds.get(ev["requestId"]) in ("XHR", "Fetch") else "static"
            counter[kind] += int(ev.get("encodedDataLength", 0))

        def frame(ev):
            payload = ev.get("response", {}).get("payloadData", "")
            counter["data"] += len(payload.encode())
            counter["frames"] += 1

        cdp.on("Network.responseReceived", response)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", frame)
        cdp.send("Network.enable")
        page.goto(f"{url}/env/{eid}" if eid is not None else url)
        return page, counter


def line_window(eid, win, xs, ys_per_trace, title=None):
    data = [
        {"x": xs, "y": ys, "name": f"t{i}", "type": "scatter", "mode": "lines"}
        for i, ys in enumerate(ys_per_trace)
    ]
    return {"eid": eid, "win": win, "opts": {"title": title or win}, "layout": {}, "data": data}


def page_big(browser, url, total):
    """Open the env of the big line: time to a drawn plot, bytes; then zoom to 200 steps."""
    page, counter = browser.open(url, ENV)
    drawn_at = poll(page, DRAWN_LINE, BIG, timeout=120)
    time.sleep(0.5)  # late frames of the same load still count
    out = {
        "draw_s": drawn_at / 1000 if drawn_at else None,
        "data_bytes": counter["data"],
        "static_bytes": counter["static"],
        "frames": counter["frames"],
        "shown_points": page.evaluate(POINTS, BIG),
    }
    out["zoom"] = zoom(page, total, out["shown_points"])
    page.close()
    return out


def zoom(page, total, shown):
    """Seconds until a 200-step zoom shows its 201 raw points, or why there is no figure."""
    if shown >= total:
        return "n/a: the page holds every point (no decimation on this branch)"
    lo = total // 2 + 17
    hi = lo + 200
    start = page.evaluate(
        """([win, lo, hi]) => {
          const gd = document.querySelector(`[data-win='${win}'] .plot-pane`);
          const t = performance.now();
          Plotly.relayout(gd, {'xaxis.range': [lo, hi]});
          return t;
        }""",
        [BIG, lo, hi],
    )
    done = poll(
        page,
        f"(a) => ({IN_RANGE})(a) >= 201 ? performance.now() : 0",
        [BIG, lo, hi],
        timeout=10,
    )
    if not done:
        return "n/a: zooming does not bring the raw points (no zoom re-request on this branch)"
    return (done - start) / 1000


def write_fifty(url, windows, points, eid="fifty"):
    """An env of `windows` line windows of 2 traces of `points` points each."""
    xs = list(range(points))
    for i in range(windows):
        ys = [[((v * 7 + i) % 101) / 10 for v in xs], [((v * 13 + i) % 97) / 10 for v in xs]]
        post(url, "events", line_window(eid, f"w{i}", xs, ys))


def page_fifty(browser, url, windows, points, write=True, scroll=True):
    """An env of `windows` line windows (2 traces): first screen drawn, then all, scrolling."""
    eid = "fifty"
    if write:
        write_fifty(url, windows, points, eid)
    page, counter = browser.open(url, eid)
    first = poll(
        page, f"() => {{ const s = ({SCREEN})(); return s.screen && s.screenDrawn && s; }}"
    )
    last = first
    deadline = time.monotonic() + 120
    while scroll and last and last["drawn"] < last["total"] and time.monotonic() < deadline:
        page.evaluate("window.scrollBy(0, innerHeight)")
        last = poll(page, f"() => {{ const s = ({SCREEN})(); return s.screenDrawn && s; }}")
    marks = page.evaluate(MARKS)
    result = {
        "marks": marks,
        "first_s": first["now"] / 1000 if first else None,
        "first_count": first["screen"] if first else 0,
        "all_s": last["now"] / 1000 if last and last["drawn"] == windows else None,
        "windows": windows,
        "bytes": counter["data"] + counter["static"],
    }
    page.close()
    return result


# ---- the parts -----------------------------------------------------------------------------


def bigline(kind, total, chunk, browser=None):
    """Load `total` points in appends of `chunk`; memory; get_window_data; the page."""
    with Server(kind) as srv:
        before = rss(srv.pgid)
        load = client(srv.port, "load", total, chunk)
        time.sleep(1.0)
        after = rss(srv.pgid)
        read = client(srv.port, "read")
        out = {
            "points": total,
            "load_s": load["seconds"],
            "rss_before": before,
            "rss_after": after,
            "read_s": read["seconds"],
            "read_bytes": read["bytes"],
            "read_points": read["points"],
        }
        if browser:
            browser.warm(srv.url)
            out["page"] = page_big(browser, srv.url, total)
        return out


def images(kind, n, ours_client=False):
    with Server(kind) as srv:
        return client(srv.port, "image", n, ours=ours_client)


def appends(kind, sizes, n, repeat):
    return {size: max(append_bench.measure(kind, size, n) for _ in range(repeat)) for size in sizes}


def fifty(windows, points):
    with Server("ours") as srv, Browser() as browser:
        browser.warm(srv.url)
        return page_fifty(browser, srv.url, windows, points)


# ---- first and repeat visits, TensorBoard side by side (issue 19) ---------------------------

# TensorBoard's time-series dashboard: a scalar card whose chart has drawn its line (SVG
# path or a WebGL/2-D canvas that has been painted), no spinner left in the card.
TB_DRAWN = """() => {
  const card = document.querySelector('scalar-card, tb-scalar-card, .scalar-card');
  if (!card || card.querySelector('mat-spinner, mat-progress-spinner, .spinner')) return 0;
  const path = card.querySelector('svg path.line, svg .series path, svg path[d]');
  const canvas = card.querySelector('canvas');
  const drawn = (path && (path.getAttribute('d') || '').length > 20) ||
                (canvas && canvas.width > 0 && canvas.height > 0);
  return drawn ? performance.now() : 0;
}"""


def visit(browser, url, open_fn):
    """A first visit (fresh profile), a repeat visit and a third (same profile, new tabs).

    Chromium compiles a script it meets the second time eagerly to write V8's code cache,
    and reads that cache from the third time on: the third visit shows what a user who
    keeps the page open daily sees.
    """
    browser.fresh()
    return open_fn(), open_fn(), open_fn()


def big_visit(browser, url):
    page, counter = browser.open(url, ENV)
    drawn_at = poll(page, DRAWN_LINE, BIG, timeout=120)
    time.sleep(0.5)  # late frames of the same load still count
    out = {"draw_s": drawn_at / 1000 if drawn_at else None, "marks": page.evaluate(MARKS)}
    out["bytes"] = counter["data"] + counter["static"]
    out["static_bytes"] = counter["static"]
    page.close()
    return out


def tb_line_drawn(page, timeout=60.0):
    """When TensorBoard's chart shows its line: page time (ms) before the screenshot of its
    canvas that first holds the line's pixels (the canvas is drawn off the main thread, so
    its pixels are only seen in a screenshot; taking the time before it favours TensorBoard).
    """
    import io

    from PIL import Image

    if not poll(page, TB_DRAWN, timeout=timeout):
        return None
    canvas = page.locator("scalar-card canvas").first
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = page.evaluate("performance.now()")
        img = Image.open(io.BytesIO(canvas.screenshot())).convert("L")
        # The line is dark on a white chart: count its pixels.
        if sum(img.histogram()[:140]) > 50:
            return now
        time.sleep(0.02)
    return None


def write_tensorboard(logdir, total):
    """The same 1M-step scalar as an event file (tensorboardX); False when it is missing."""
    try:
        from tensorboardX import SummaryWriter
    except ImportError:
        return False
    import math

    with SummaryWriter(logdir) as w:
        for i in range(total):
            w.add_scalar("big", math.sin(i / 5000.0) + (5.0 if i % 99991 == 500 else 0.0), i)
    return True


def tensorboard_visits(browser, total, rounds=3):
    """TensorBoard's page-open time (first, repeat and third visit, the median of `rounds`)
    on the 1M-step scalar."""
    import shutil
    import socket

    exe = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    if not os.path.exists(exe):
        exe = shutil.which("tensorboard")
    with tempfile.TemporaryDirectory() as logdir:
        if not exe or not write_tensorboard(os.path.join(logdir, "bench"), total):
            return None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen(
            [exe, "--logdir", logdir, "--port", str(port), "--host", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:  # until it has read the whole event file
                try:
                    r = requests.get(
                        f"{url}/data/plugin/scalars/scalars?run=bench&tag=big", timeout=5
                    )
                    if r.ok and r.json() and r.json()[-1][1] == total - 1:
                        break
                except (requests.RequestException, ValueError, IndexError):
                    pass
                time.sleep(0.5)

            def open_tb():
                page, counter = browser.open(f"{url}/#timeseries", None)
                drawn_at = tb_line_drawn(page)
                time.sleep(0.5)
                out = {"draw_s": drawn_at / 1000 if drawn_at else None}
                out["bytes"] = counter["data"] + counter["static"]
                page.close()
                return out

            return median_visits([visit(browser, url, open_tb) for _ in range(rounds)])
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def median_visits(rounds):
    """Of several rounds of (first, repeat, third) visits, the median round of each visit
    (by its first-screen time): one visit's time moves by ~0.1 s from run to run."""
    out = []
    for visits in zip(*rounds, strict=True):
        timed = sorted(visits, key=lambda r: r.get("draw_s", r.get("first_s")) or float("inf"))
        out.append(timed[len(timed) // 2])
    return out


def pages(total, chunk, fifty_points, tensorboard=True, rounds=3):
    """First and repeat visits of the big-line env and the 50-window env; TensorBoard."""
    with Server("ours") as srv, Browser() as browser:
        client(srv.port, "load", total, chunk, ours=True)
        write_fifty(srv.url, 50, fifty_points)

        def median_of_rounds(open_fn):
            return median_visits([visit(browser, srv.url, open_fn) for _ in range(rounds)])

        big = median_of_rounds(lambda: big_visit(browser, srv.url))
        fif = median_of_rounds(
            lambda: page_fifty(browser, srv.url, 50, 0, write=False, scroll=False)
        )
        tb = tensorboard_visits(browser, total, rounds) if tensorboard else None
    rows = []
    for label, visits in (("big", big), ("fifty", fif)):
        for visit_name, r in zip(("first", "repeat", "third"), visits, strict=True):
            t = r.get("draw_s", r.get("first_s"))
            rows.append((label, visit_name, t, r["bytes"], r.get("marks") or {}))
    return rows, tb


def report_pages(total, rows, tb):
    goals = {("first", "s"): 1.0, ("repeat", "s"): 0.6, ("third", "s"): 0.6}
    print("| page | visit | first screen | on the wire | goal | met? |")
    print("|---|---|---|---|---|---|")
    for label, visit_name, t, nbytes, _marks in rows:
        what = f"{total:,}-point line env" if label == "big" else "50-window env"
        goal_s = goals[(visit_name, "s")]
        goal_b = (1.5e6 if visit_name == "first" else 150e3) if label == "big" else None
        goal = f"≤ {goal_s} s" + (f", ≤ {goal_b / 1e6:g} MB" if goal_b else "")
        ok = t is not None and t <= goal_s and (goal_b is None or nbytes <= goal_b)
        print(
            f"| {what} | {visit_name} | {secs(t)} | {nbytes / 1e3:,.0f} KB | {goal} | {verdict(ok)} |"
        )
    report_tb(total, rows, tb)
    print()
    print("Where the time goes (ms from navigation, the page's performance marks):")
    print(
        "| page | visit | modules run | plotly.js compiled | windows read | shown | first screen |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, visit_name, t, _nbytes, marks in rows:
        read = marks.get("snapshot", marks.get("ack"))
        cells = [marks.get("modules"), marks.get("plotly-basic"), read, marks.get("shown")]
        cells = [f"{c:.0f}" if isinstance(c, (int, float)) else "—" for c in cells]
        first = f"{t * 1000:.0f}" if t is not None else "—"
        print(f"| {label} | {visit_name} | {' | '.join(cells)} | {first} |")


def report_tb(total, rows, tb):
    if tb is None:
        print(
            f"| TensorBoard, {total:,}-step scalar | — | n/a (tensorboard or tensorboardX missing) | | | |"
        )
        return
    for i, (visit_name, r) in enumerate(zip(("first", "repeat", "third"), tb, strict=True)):
        ours = rows[i][2]
        ahead = ours is not None and r["draw_s"] is not None and ours < r["draw_s"]
        print(
            f"| TensorBoard, {total:,}-step scalar | {visit_name} | {secs(r['draw_s'])} | "
            f"{r['bytes'] / 1e3:,.0f} KB | ours ahead | {verdict(ahead)} |"
        )


# ---- the report ----------------------------------------------------------------------------


def mb(n):
    return f"{n / 1e6:.1f} MB"


def secs(s):
    return f"{s:.2f} s" if isinstance(s, (int, float)) else "n/a"


def span(marks, a, b):
    return f"+{(marks[b] - marks[a]) / 1000:.2f} s"


def verdict(ok):
    if ok is None:
        return "n/a"
    return "met" if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--no-upstream", action="store_true", help="skip upstream's server")
    parser.add_argument("--upstream-cap", type=int, help="points loaded into upstream's server")
    parser.add_argument("--pages", action="store_true", help="only the first/repeat visit figures")
    parser.add_argument("--no-tensorboard", action="store_true", help="skip TensorBoard (--pages)")
    args = parser.parse_args()
    q = args.quick
    if args.pages:
        total, chunk = (100_000, 10_000) if q else (1_000_000, 10_000)
        print(
            f"# bench/bigdata.py --pages{' --quick' if q else ''}: first and repeat visits"
            " (each the median of 3 rounds on fresh browser profiles)",
            flush=True,
        )
        rows, tb = pages(total, chunk, 500 if q else 2000, not args.no_tensorboard)
        report_pages(total, rows, tb)
        return
    total, chunk = (100_000, 10_000) if q else (1_000_000, 10_000)
    cap = args.upstream_cap or (30_000 if q else 320_000)
    cap = min(cap, total) // chunk * chunk
    big_size = 10_000 if q else 100_000
    n_appends, repeat = (300, 1) if q else (2000, 2)
    n_images = 30 if q else 200
    fifty_points = 500 if q else 2000
    up = not args.no_upstream
    cmd = "bench/bigdata.py" + (" --quick" if q else "") + (" --no-upstream" if not up else "")
    print(f"# {cmd}: ours vs upstream visdom 0.2.4 (upstream client for the writes)", flush=True)

    def say(what, value):
        print(f"  {what}: {value}", flush=True)

    with Browser() as browser:
        ours = bigline("ours", total, chunk, browser)
    say(f"ours: {total:,} points in {total // chunk} appends of {chunk:,}", secs(ours["load_s"]))
    upst = bigline("upstream", cap, chunk) if up else None
    if upst:
        say(f"upstream: {cap:,} points in {cap // chunk} appends", secs(upst["load_s"]))

    def per_point(r):
        return (r["rss_after"] - r["rss_before"]) / r["points"]

    for name, r in (("ours", ours), ("upstream", upst)):
        if r:
            growth = r["rss_after"] - r["rss_before"]
            say(
                f"{name}: server RSS {mb(r['rss_before'])} -> {mb(r['rss_after'])}",
                f"+{mb(growth)}, {per_point(r):.1f} B per point",
            )
            us = r["read_s"] / r["read_points"] * 1e6
            say(
                f"{name}: get_window_data",
                f"{secs(r['read_s'])}, {mb(r['read_bytes'])}, {us:.2f} us per point",
            )
    pg = ours["page"]
    say(
        "ours: opening the env in Chromium",
        f"{secs(pg['draw_s'])} to a drawn plot, {mb(pg['data_bytes'])} of data "
        f"({pg['frames']} websocket frames) + {mb(pg['static_bytes'])} of pages/scripts; "
        f"the page holds {pg['shown_points']:,} points",
    )
    say("ours: zoom to 200 steps until 201 raw points shown", secs(pg["zoom"]) + _why(pg["zoom"]))

    fif = fifty(50, fifty_points)
    say(
        f"ours: 50 line windows (2 traces x {fifty_points:,} points)",
        f"first screen ({fif['first_count']} windows) drawn at {secs(fif['first_s'])}, "
        f"all fifty (scrolling down) at {secs(fif['all_s'])}",
    )
    m = fif["marks"]
    if {"join", "ack", "shown", "screen-drawn"} <= m.keys():
        say(
            "  where the first screen's time goes",
            f"page start {m['join'] / 1000:.2f} s, join ack (server) {span(m, 'join', 'ack')}, "
            f"panes built {span(m, 'ack', 'shown')}, "
            f"first screen drawn {span(m, 'shown', 'screen-drawn')}",
        )

    img_ours = images("ours", n_images)
    say("ours: vis.image 256x256", f"{img_ours['rate']:.1f} calls/s")
    img_both = images("ours", n_images, ours_client=True)
    say(
        "ours with visdom_client: vis.image 256x256",
        f"{img_both['rate']:.1f} calls/s (the client alone {img_both['encode_rate']:.1f}/s)",
    )
    img_up = images("upstream", n_images) if up else None
    if img_up:
        say("upstream: vis.image 256x256", f"{img_up['rate']:.1f} calls/s")
    say("the upstream client alone encodes", f"{img_ours['encode_rate']:.1f} images/s")

    app_ours = appends("ours", (0, big_size), n_appends, repeat)
    say(
        f"ours: single-point appends at 0 / {big_size:,} points",
        f"{app_ours[0]:.1f} / {app_ours[big_size]:.1f} per s",
    )
    app_up = appends("upstream", (0,), n_appends, repeat) if up else None
    if app_up:
        say("upstream: single-point appends at 0 points", f"{app_up[0]:.1f} per s")

    # ---- the table
    rows = []
    up_load = f"{secs(upst['load_s'])} for {cap:,}" if upst else "—"
    rows.append(
        (f"{total:,}-point line, appends of {chunk:,}", secs(ours["load_s"]), up_load, "—", "—")
    )
    ours_b = per_point(ours)
    rows.append(
        (
            "server memory per point",
            f"{ours_b:.1f} B ({mb(ours['rss_after'] - ours['rss_before'])})",
            f"{per_point(upst):.1f} B" if upst else "—",
            "≤ 24 B",
            verdict(ours_b <= 24),
        )
    )
    o_us = ours["read_s"] / ours["read_points"] * 1e6
    u_us = upst["read_s"] / upst["read_points"] * 1e6 if upst else None
    rows.append(
        (
            "get_window_data",
            f"{secs(ours['read_s'])}, {mb(ours['read_bytes'])}, {o_us:.2f} µs/pt",
            f"{secs(upst['read_s'])}, {mb(upst['read_bytes'])}, {u_us:.2f} µs/pt" if upst else "—",
            "≥ 3× faster per point",
            verdict(u_us / o_us >= 3 if upst else None),
        )
    )
    draw_ok = pg["draw_s"] is not None and pg["draw_s"] <= 1 and pg["data_bytes"] <= 1e6
    rows.append(
        (
            f"open the {total:,}-point env",
            f"{secs(pg['draw_s'])}, {mb(pg['data_bytes'])}",
            "—",
            "≤ 1 s, ≤ 1 MB",
            verdict(draw_ok),
        )
    )
    z = pg["zoom"]
    zoom_ok = z <= 0.5 if isinstance(z, float) else None
    rows.append(("zoom to 200 steps: 201 raw points", secs(z), "—", "≤ 0.5 s", verdict(zoom_ok)))
    rows.append(
        (
            f"50 windows: first screen ({fif['first_count']})",
            secs(fif["first_s"]),
            "—",
            "≤ 1 s",
            verdict(fif["first_s"] is not None and fif["first_s"] <= 1),
        )
    )
    rows.append(
        (
            "50 windows: all fifty, scrolling",
            secs(fif["all_s"]),
            "—",
            "≤ 3 s",
            verdict(fif["all_s"] is not None and fif["all_s"] <= 3),
        )
    )
    rows.append(
        (
            "vis.image 256×256 (upstream client)",
            f"{img_ours['rate']:.1f}/s",
            f"{img_up['rate']:.1f}/s" if img_up else "—",
            "≥ 1.5× upstream",
            verdict(img_ours["rate"] >= 1.5 * img_up["rate"] if img_up else None),
        )
    )
    rows.append(
        (
            "vis.image 256×256 (visdom_client)",
            f"{img_both['rate']:.1f}/s",
            f"{img_up['rate']:.1f}/s" if img_up else "—",
            "≥ 1.5× upstream",
            verdict(img_both["rate"] >= 1.5 * img_up["rate"] if img_up else None),
        )
    )
    flat = app_ours[big_size] / app_ours[0]
    rows.append(
        (
            f"single-point appends: at {big_size:,} / at 0",
            f"{flat:.0%}",
            "—",
            "≥ 90%",
            verdict(flat >= 0.9),
        )
    )
    rows.append(
        (
            "single-point appends at 0",
            f"{app_ours[0]:.1f}/s",
            f"{app_up[0]:.1f}/s" if app_up else "—",
            "≥ 2× upstream",
            verdict(app_ours[0] >= 2 * app_up[0] if app_up else None),
        )
    )
    print()
    print_table(("what", "ours", "upstream 0.2.4", "goal", "met?"), rows)


def _why(z):
    return "" if isinstance(z, float) else f" ({z.split(': ', 1)[1]})"


def print_table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
