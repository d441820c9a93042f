"""An env of 500 windows: every window drawn when scrolled to, far ones give their plots back."""

import json

import requests

from .conftest import poll

COUNT = 500

# The windows on screen, and whether each is drawn (a plot: its line; text: its text).
SCREEN = """() => {
  const drawn = (el) => el.dataset.type === 'text'
    ? Boolean(el.querySelector('.text-pane')?.textContent)
    : Boolean(el.querySelector('.plot-pane .scatterlayer path.js-line'));
  const out = [];
  for (const el of document.querySelectorAll('.grid-stack-item[data-win]')) {
    const r = el.getBoundingClientRect();
    if (r.top < innerHeight && r.bottom > 0) out.push([el.dataset.win, drawn(el)]);
  }
  return {screen: out, bottom: innerHeight + scrollY >= document.documentElement.scrollHeight - 2};
}"""
PLOTS_HELD = "[...document.querySelectorAll('.plot-pane')].filter((gd) => gd._fullLayout).length"
STATS = "({...visdomPage.workspace.host.drawer.stats})"
GD = "(win) => document.querySelector(`[data-win='${win}'] .plot-pane`)"


def write(server, eid):
    with requests.Session() as s:
        for i in range(COUNT):
            win = f"w{i:03d}"
            if i % 4 == 3:
                data = [{"type": "text", "content": f"text {i} — ünïcode ✓"}]
            else:
                data = [{"x": [0, 1, 2], "y": [i, i + 1, i % 5], "type": "scatter", "name": "a"}]
            body = {"eid": eid, "win": win, "opts": {"title": win}, "data": data}
            assert s.post(f"{server.url}/events", data=json.dumps(body), timeout=30).ok


def screen_drawn(ui):
    def check():
        state = ui.page.evaluate(SCREEN)
        return state if state["screen"] and all(d for _, d in state["screen"]) else None

    return poll(check, timeout=60, what="every window on screen drawn")


def test_scrolling_500_windows_draws_each_and_releases_far_plots(ui, server):
    eid = "many500"
    write(server, eid)
    ui.open(f"/env/{eid}")
    assert ui.page.evaluate("document.body.dataset.windows") == str(COUNT)
    seen = set()
    state = screen_drawn(ui)
    seen |= {w for w, _ in state["screen"]}
    for _ in range(COUNT):
        if state["bottom"]:
            break
        ui.page.evaluate("window.scrollBy(0, innerHeight)")
        state = screen_drawn(ui)
        seen |= {w for w, _ in state["screen"]}
    assert state["bottom"]
    assert len(seen) == COUNT  # every window was on screen drawn at some point

    stats = ui.page.evaluate(STATS)
    held = ui.page.evaluate(PLOTS_HELD)
    # Far plots were given back: the page holds the plots of a few screens, not 375.
    assert stats["releases"] > 200, stats
    assert 0 < held < 100, held
    assert stats["draws"] >= COUNT
    first = ui.pane("w000")
    assert first.get_attribute("data-drawn") is None
    assert ui.page.evaluate(f"({GD})('w000')") is None

    # A live append to a released window: drawn with it when scrolled back to.
    ui.post(
        "update",
        {
            "eid": eid,
            "win": "w000",
            "name": "a",
            "append": True,
            "data": [{"x": [3], "y": [42], "type": "scatter", "name": "a"}],
        },
    )
    ui.page.evaluate("window.scrollTo(0, 0)")
    screen_drawn(ui)
    ui.wait(f"({GD})('w000') && Array.from(({GD})('w000').data[0].y).join() === '0,1,0,42'")
    assert first.get_attribute("data-drawn") == "true"
    assert ui.page.evaluate("visdomPage.workspace.resyncs") == 0
