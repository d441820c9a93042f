"""Many writers appending to one window: the page draws exactly the stored curve, in stored
order, soon after the last write, with far fewer redraws than appends."""

import json
import threading

import requests

from tests.support.waiting import poll

WRITERS = 10
APPENDS = 100
GD = "document.querySelector('[data-win=L] .plot-pane')"


def writer(url, n, errors):
    """Append APPENDS single points to trace `a` of window L, like a data-loader worker."""
    session = requests.Session()
    try:
        for k in range(APPENDS):
            body = {
                "eid": "conc",
                "win": "L",
                "name": "a",
                "append": True,
                "opts": {},
                "layout": {},
                "data": [{"x": [n * 1000 + k], "y": [k], "name": "a", "type": "scatter"}],
            }
            resp = session.post(f"{url}/update", data=json.dumps(body), timeout=30)
            if resp.status_code != 200:
                errors.append(f"{resp.status_code}: {resp.text}")
    except requests.RequestException as exc:
        errors.append(str(exc))
    finally:
        session.close()


def test_concurrent_writers_are_drawn_as_stored(ui):
    ui.line("conc", "L", [-1], [-1])
    page = ui.open("/env/conc")
    ui.pane("L").locator(".plot-pane .main-svg").first.wait_for()
    page.evaluate(
        """() => {
          window.__extends = 0;
          window.__deltas = 0;
          const orig = Plotly.extendTraces;
          Plotly.extendTraces = (...a) => { window.__extends++; return orig(...a); };
          window.visdomPage.socket.on('window_update', () => window.__deltas++);
        }"""
    )
    errors = []
    threads = [
        threading.Thread(target=writer, args=(ui.server.url, n, errors)) for n in range(WRITERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    stored = json.loads(ui.post("win_data", {"eid": "conc", "win": "L"}))["content"]["data"][0]
    assert len(stored["x"]) == WRITERS * APPENDS + 1
    want = [stored["x"], stored["y"]]

    def drawn():
        got = page.evaluate(f"[{GD}.data[0].x, {GD}.data[0].y]")
        return got == want

    # Exactly the stored points, in the stored order (each writer's points stay in order too).
    poll(drawn, timeout=5, what="the page to draw the stored curve")
    xs = stored["x"][1:]
    for n in range(WRITERS):
        assert [x for x in xs if x // 1000 == n] == [n * 1000 + k for k in range(APPENDS)]
    deltas = page.evaluate("window.__deltas")
    extends = page.evaluate("window.__extends")
    assert deltas == WRITERS * APPENDS
    assert 0 < extends * 3 < deltas, (extends, deltas)
    assert page.evaluate("window.visdomPage.workspace.resyncs") == 0
