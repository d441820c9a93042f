"""Many windows in one env, and many envs in the env menu (issue 19, part 3).

    .venv/bin/python bench/manywindows.py                 # 500 windows, 2,000 envs
    .venv/bin/python bench/manywindows.py --windows 200 --envs 500

One server (app.testing.ServerProcess) and Debian's Chromium driven by Playwright. The env
holds a mix of windows: line plots (2 traces of 500 points), 64x64 PNG images and text.
Figures (times are the page's performance.now(), polled every ~20 ms):

- first screen: from navigation until every window on screen is drawn;
- scrolling: one screen down at a time, each step waiting until every window on screen is
  drawn, to the bottom of the page; then back to the top and down again (two passes);
- heap: the page's used JS heap after the two passes (after a garbage collection, CDP);
- drawn: windows that were seen drawn while on screen (every one of them must be);
- plots held after the passes: line windows whose plotly.js plot exists (far ones given back);
- env menu: click on the env button until the menu shows every env (2,000 envs).
"""

import argparse
import base64
import json
import os
import sys
import tempfile
import time
import zlib

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

EID = "many"

# Every window on screen drawn? (a plot: a drawn line; an image: a decoded <img>; text: text)
SCREEN = """() => {
  const drawn = (el) => {
    const t = el.dataset.type;
    if (t === 'image') { const i = el.querySelector('img.image-img'); return Boolean(i && i.complete && i.naturalWidth); }
    if (t === 'text') return Boolean(el.querySelector('.text-pane') && el.querySelector('.text-pane').textContent.length);
    return Boolean(el.querySelector('.plot-pane .main-svg .scatterlayer path.js-line'));
  };
  const items = [...document.querySelectorAll('.grid-stack-item[data-win]')];
  const seen = items.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.top < innerHeight && r.bottom > 0;
  });
  const ok = seen.every(drawn);
  if (ok) for (const el of seen) (window.__seenDrawn ||= new Set()).add(el.dataset.win);
  return {now: performance.now(), screen: seen.length, screenDrawn: ok, total: items.length,
          seenDrawn: (window.__seenDrawn || new Set()).size,
          plots: [...document.querySelectorAll('.plot-pane')].filter((gd) => gd._fullLayout).length,
          bottom: innerHeight + scrollY >= document.documentElement.scrollHeight - 2};
}"""


def png(seed):
    """A 64x64 grey PNG, written by hand (no imaging library needed)."""
    rows = b"".join(b"\x00" + bytes((x * seed + y) % 256 for x in range(64)) for y in range(64))

    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    head = (64).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))
    raw += chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def window(i, points):
    kind = ("line", "line", "line", "image", "text")[i % 5]
    if kind == "line":
        xs = list(range(points))
        data = [
            {
                "x": xs,
                "y": [((v * 7 + i) % 101) / 10 for v in xs],
                "type": "scatter",
                "mode": "lines",
            },
            {
                "x": xs,
                "y": [((v * 13 + i) % 97) / 10 for v in xs],
                "type": "scatter",
                "mode": "lines",
            },
        ]
    elif kind == "image":
        data = [{"type": "image", "content": {"src": png(i % 7 + 1), "caption": f"image {i}"}}]
    else:
        data = [{"type": "text", "content": f"<p>window {i}: <b>text</b> ünïcode ✓</p>"}]
    return {
        "eid": EID,
        "win": f"w{i:04d}",
        "opts": {"title": f"{kind} {i}"},
        "layout": {},
        "data": data,
    }


def post_all(url, bodies):
    with requests.Session() as s:
        for body in bodies:
            s.post(f"{url}/events", data=json.dumps(body), timeout=60).raise_for_status()


def poll(page, js, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(js)
        if value:
            return value
        time.sleep(0.02)
    return None


def scroll_pass(page, down=True):
    """Scroll a screen at a time until the bottom (or top), each step drawn; return the last."""
    step = "window.scrollBy(0, innerHeight)" if down else "window.scrollTo(0, 0)"
    last = None
    for _ in range(2000):
        page.evaluate(step)
        last = poll(page, f"() => {{ const s = ({SCREEN})(); return s.screenDrawn && s; }}")
        if last is None or not down or last["bottom"]:
            break
    return last


def heap(cdp):
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"]


def many_windows(url, browser, windows):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/env/{EID}-warm")  # the scripts in the HTTP cache, as a returning user
    page.wait_for_load_state("networkidle")
    page.close()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    page.goto(f"{url}/env/{EID}")
    first = poll(
        page,
        f"() => {{ const s = ({SCREEN})(); return s.screen && s.screenDrawn && s; }}",
        timeout=180,
    )
    t0 = time.monotonic()
    last = scroll_pass(page)
    one_pass = time.monotonic() - t0
    scroll_pass(page, down=False)
    scroll_pass(page)
    two = time.monotonic() - t0
    state = page.evaluate(f"({SCREEN})()")
    used = heap(cdp)
    context.close()
    return {
        "first_s": first["now"] / 1000 if first else None,
        "first_count": first["screen"] if first else 0,
        "scroll_s": one_pass if last and last["bottom"] else None,
        "two_passes_s": two,
        "seen_drawn": state["seenDrawn"],
        "total": state["total"],
        "plots_held": state["plots"],
        "heap": used,
    }


def env_menu(url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/env/{EID}-warm")
    page.wait_for_selector("#env-button")
    page.wait_for_function("document.querySelector('#connection').textContent !== 'offline'")
    ms = page.evaluate(
        """() => new Promise((resolve) => {
          const t = performance.now();
          document.querySelector('#env-button').click();
          const done = () => {
            const menu = document.querySelector('#env-menu');
            const n = menu.querySelectorAll('#env-tree li').length;
            if (!menu.hidden && n) requestAnimationFrame(() => resolve([performance.now() - t, n]));
            else requestAnimationFrame(done);
          };
          done();
        })"""
    )
    context.close()
    return ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=500)
    parser.add_argument("--envs", type=int, default=2000)
    parser.add_argument("--points", type=int, default=500, help="points per line trace")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env_path = os.path.join(tmp, "envs")
        os.makedirs(env_path)
        srv = ServerProcess(env_path).start()
        try:
            t = time.monotonic()
            post_all(srv.url, [window(i, args.points) for i in range(args.windows)])
            warm = {"eid": f"{EID}-warm", "win": "t", "data": [{"type": "text", "content": "x"}]}
            post_all(srv.url, [warm])
            print(f"# bench/manywindows.py --windows {args.windows} --envs {args.envs}", flush=True)
            print(f"  wrote {args.windows} windows in {time.monotonic() - t:.1f} s", flush=True)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                r = many_windows(srv.url, browser, args.windows)
                t = time.monotonic()
                post_all(
                    srv.url,
                    [
                        {
                            "eid": f"team/run{i:05d}",
                            "win": "t",
                            "data": [{"type": "text", "content": "x"}],
                        }
                        for i in range(args.envs)
                    ],
                )
                print(f"  wrote {args.envs} envs in {time.monotonic() - t:.1f} s", flush=True)
                menu_ms, menu_rows = env_menu(srv.url, browser)
                browser.close()
        finally:
            srv.stop()

    def s(v):
        return f"{v:.2f} s" if isinstance(v, (int, float)) else "n/a (not reached)"

    rows = [
        (
            f"{args.windows} windows: first screen ({r['first_count']})",
            s(r["first_s"]),
            "≤ 1.5 s",
            r["first_s"] is not None and r["first_s"] <= 1.5,
        ),
        (
            "scrolling through all, each screen drawn",
            s(r["scroll_s"]),
            "≤ 10 s",
            r["scroll_s"] is not None and r["scroll_s"] <= 10,
        ),
        (
            "windows seen drawn on screen",
            f"{r['seen_drawn']} of {r['total']}",
            "all",
            r["seen_drawn"] == r["total"] == args.windows,
        ),
        ("JS heap after two passes", f"{r['heap'] / 1e6:.0f} MB", "≤ 400 MB", r["heap"] <= 400e6),
        (
            "plots held after two passes",
            f"{r['plots_held']} (two passes {r['two_passes_s']:.1f} s)",
            "far ones given back",
            None,
        ),
        (
            f"env menu with {args.envs} envs opens",
            f"{menu_ms:.0f} ms ({menu_rows} rows)",
            "≤ 300 ms",
            menu_ms <= 300,
        ),
    ]
    print()
    print("| what | figure | goal | met? |")
    print("|---|---|---|---|")
    for what, fig, goal, ok in rows:
        met = "—" if ok is None else ("met" if ok else "NOT met")
        print(f"| {what} | {fig} | {goal} | {met} |")


if __name__ == "__main__":
    main()
