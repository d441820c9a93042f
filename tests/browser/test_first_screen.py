"""The first screen: the env's windows come over HTTP with the page, not after the socket.

The page preloads GET /api/env/<eid> (base.html) and draws from it (workspace/join.js);
`join_env {eid, windows: false}` joins the env's room, and a change made between the read
and the join makes the page read the env again.
"""

import math

import requests

SOCKET = "**/socket.io/**"


def gd(win):
    return f"document.querySelector(`[data-win='{win}'] .plot-pane`)"


def drawn(win):
    return f"{gd(win)} && {gd(win)}.querySelector('.scatterlayer path.js-line')"


class hold_socket:
    """Hold the Socket.IO requests of `page` (the handshake first) until release()."""

    def __init__(self, page):
        self.held = []
        self.released = False
        page.route(SOCKET, self.handle)

    def handle(self, route):
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self):
        self.released = True
        for route in self.held:
            route.continue_()


def env_reads(page):
    reads = []
    page.on("request", lambda r: reads.append(r.url) if "/api/env/" in r.url else None)
    return reads


def test_the_windows_are_drawn_before_the_socket_connects(ui):
    eid = "fs_" + "é" * 3 + "_" + "x" * 120  # unicode and a very long name
    xs = list(range(300))
    ys = [math.sin(x / 10) for x in xs]
    ys[7], ys[8], ys[9] = float("nan"), float("inf"), float("-inf")
    ui.line(eid, "curve", xs, ys)
    ui.text(eid, "note", "<b>ünïcode</b> ✓", title="note")
    held = hold_socket(ui.page)
    reads = env_reads(ui.page)
    ui.page.goto(f"{ui.server.url}/env/{eid}")
    ui.wait(drawn("curve"), timeout=15)
    ui.wait(
        "document.querySelector(`[data-win='note'] .text-pane`).textContent.includes('ünïcode ✓')"
    )
    # Drawn with no socket: the page is not live yet, and says so.
    assert held.held, "the socket handshake was not held"
    assert ui.page.evaluate("document.body.dataset.loaded") in (None, "")
    assert ui.page.evaluate("visdomPage.socket.connected") is False
    # Every point as stored: the non-finite ones are gaps (null), the rest exact.
    got = ui.page.evaluate(f"Array.from({gd('curve')}.data[0].y)")
    assert got[7:10] == [None, None, None]
    assert got[:7] == ys[:7] and got[10:] == ys[10:]
    # The preloaded read is the one used: the env was read once.
    assert len(reads) == 1, reads
    held.release()
    ui.wait_loaded(eid)
    # Live now: an append is drawn.
    ui.post(
        "update",
        {
            "eid": eid,
            "win": "curve",
            "append": True,
            "data": [{"x": [300], "y": [42.0], "name": "a", "type": "scatter"}],
        },
    )
    ui.wait(f"Array.from({gd('curve')}.data[0].y).at(-1) === 42")
    assert len(reads) == 1, reads
    assert not ui.errors, ui.errors


def test_a_change_between_the_read_and_the_join_is_read_again(ui):
    eid = "fs_race"
    ui.line(eid, "curve", [0, 1, 2], [1.0, 2.0, 3.0])
    held = hold_socket(ui.page)
    reads = env_reads(ui.page)
    ui.page.goto(f"{ui.server.url}/env/{eid}")
    ui.wait(drawn("curve"), timeout=15)
    # The env changes after the page read it and before it joined: no message reaches it.
    ui.post(
        "update",
        {
            "eid": eid,
            "win": "curve",
            "append": True,
            "data": [{"x": [3], "y": [99.0], "name": "a", "type": "scatter"}],
        },
    )
    ui.line(eid, "later", [0, 1], [5.0, 6.0])
    assert ui.page.evaluate(f"Array.from({gd('curve')}.data[0].y)") == [1.0, 2.0, 3.0]
    held.release()
    # The join's seq is past the snapshot's: the page read the env again.
    ui.wait_loaded(eid)
    ui.wait(drawn("later"))
    ui.wait(f"Array.from({gd('curve')}.data[0].y).join() === '1,2,3,99'")
    assert len(reads) == 2, reads
    # And it is live: the next change arrives as a message, with no third read.
    ui.line(eid, "live", [0, 1], [1.0, 1.0])
    ui.wait(drawn("live"))
    assert len(reads) == 2, reads
    assert not ui.errors, ui.errors


def test_a_missing_env_opens_empty_and_fills_live(ui):
    eid = "fs_not_yet"
    reads = env_reads(ui.page)
    ui.open(f"/env/{eid}")
    ui.wait("document.body.dataset.missing === 'true'")
    ui.line(eid, "first", [0, 1], [1.0, 2.0])
    ui.wait(drawn("first"))
    assert reads, "the page did not read the env over HTTP"


def test_the_page_preloads_its_env_and_caches_the_user_css(ui):
    eid = "fs_pre"
    ui.line(eid, "curve", [0, 1], [1.0, 2.0])
    html = requests.get(f"{ui.server.url}/env/{eid}", timeout=10).text
    assert f'<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/env/{eid}">' in html
    # plotly.js' basic bundle is an async script of the head: it compiles while the
    # modules load, and lib/plotly.js adopts it.
    assert '<script async data-plotly="basic" src="/static/' in html
    # The user's CSS is linked by its content hash and cached for good; an old hash is not.
    href = html.split('rel="stylesheet" href="')[-1].split('"')[0]
    assert href.startswith("/user/style.css?v=")
    r = requests.get(ui.server.url + href.replace("&amp;", "&"), timeout=10)
    assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]
    r = requests.get(f"{ui.server.url}/user/style.css?v=000000000000", timeout=10)
    assert r.headers["Cache-Control"] == "no-cache"
    # A repeat visit: every script, stylesheet and plotly.js comes from the browser's
    # cache (immutable URLs); only the env's data (and the socket) reach the server.
    ui.open(f"/env/{eid}")
    ui.wait(drawn("curve"))
    ui.page.goto(f"{ui.server.url}/env/{eid}")
    ui.wait(drawn("curve"))
    entries = ui.page.evaluate(
        "performance.getEntriesByType('resource').map(e => [e.name, e.transferSize])"
    )
    assert any("/vendor/plotly-basic.min.js" in name for name, _ in entries)
    network = [
        name
        for name, size in entries
        if size > 0 and "/socket.io/" not in name and "/api/env/" not in name
    ]
    assert network == [], network


def test_plotly_is_loaded_once_and_a_failed_load_is_tried_again(ui):
    eid = "fs_plotly"
    ui.line(eid, "curve", [0, 1, 2], [3.0, 1.0, 2.0])
    asked = []
    failed = []

    def plotly(route):
        asked.append(route.request.url)
        if not failed:  # the head's script fails once (a dropped connection)
            failed.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    ui.page.route("**/plotly-basic.min.js", plotly)
    ui.open(f"/env/{eid}")
    ui.wait(drawn("curve"))
    assert failed and len(asked) == 2, asked  # one failure, one retry by lib/plotly.js
    assert ui.page.evaluate(f"Array.from({gd('curve')}.data[0].y)") == [3.0, 1.0, 2.0]
    ui.page.unroute("**/plotly-basic.min.js")
    # A normal visit: the head's script is the one plotly.js the page uses, loaded once.
    asked.clear()
    ui.page.on("request", lambda r: asked.append(r.url) if "/vendor/plotly" in r.url else None)
    ui.open(f"/env/{eid}")
    ui.wait(drawn("curve"))
    assert len(asked) == 1 and asked[0].endswith("/vendor/plotly-basic.min.js"), asked
    bundles = ui.module("lib/plotly.js", "return m.plotlyBundles()")
    assert bundles == {"basic": True, "cartesian": False, "full": False}
