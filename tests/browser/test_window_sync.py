"""The single-window page ({base}/window/<eid>/<win>, what notebooks embed) follows every
numbered message of its env: moves, view changes and experiment logs made elsewhere reach
it in order, without a resync (a re-join of the env and a redraw of its window)."""

import json

import pytest
import requests

from tests.support.ui import UI

EID = "solo_sync"
WIN = "loss"
WS = "window.visdomPage.workspace"


@pytest.fixture
def env_page(browser_context, server):
    """A second page: the env page of EID, where another user moves windows."""
    page = browser_context.new_page()
    page.set_default_timeout(10000)
    helper = UI(page, server)
    yield helper
    page.close()
    assert not helper.errors, f"JavaScript errors on the env page: {helper.errors}"


def test_moves_and_view_changes_elsewhere_cause_no_resync(ui, env_page):
    ui.line(EID, WIN, [0, 1, 2, 3], [1.0, 10.0, 100.0, 1000.0])
    ui.text(EID, "notes", "not on the single-window page")
    solo = ui.open(f"/window/{EID}/{WIN}")
    ui.pane(WIN).locator(".plot-pane .main-svg").first.wait_for()
    start = solo.evaluate(f"{WS}.seq.get('{EID}')")
    assert isinstance(start, int)
    assert solo.evaluate(f"{WS}.resyncs") == 0

    env_page.open(f"/env/{EID}")
    # Ten moves of the shown window and of another one, sent as a drag sends them.
    layouts = [{"x": 5 * i, "y": 2 * i, "w": 30 + i, "h": 20} for i in range(10)]
    env_page.page.evaluate(
        """async (layouts) => {
            const ws = window.visdomPage.workspace;
            for (const [i, layout] of layouts.entries())
              await ws.emit('layout_item_update', {win: i % 2 ? 'notes' : 'loss', layout});
        }""",
        layouts,
    )
    # A view change, as the view controls send it.
    env_page.page.evaluate(
        "() => window.visdomPage.workspace.emit('update_view', {win: 'loss', view: {log_y: true}})"
    )
    # An experiment log of the env (numbered like every change of it).
    run = {"eid": EID, "name": "run", "params": {"lr": 0.1}}
    resp = requests.post(f"{ui.server.url}/experiments/log", data=json.dumps(run), timeout=10)
    assert resp.status_code == 200, resp.text

    # Then an append, which both pages draw.
    body = {"eid": EID, "win": WIN, "append": True, "opts": {}, "layout": {}}
    body["data"] = [{"x": [4], "y": [10000.0], "name": "a", "type": "scatter"}]
    assert ui.post("update", body) == WIN

    # Every message reached the single-window page, in order: its seq advanced by 13 ...
    ui.wait(f"(want) => {WS}.seq.get('{EID}') === want", start + 13)
    ui.wait("() => document.querySelector('[data-win=loss] .plot-pane').data[0].x.length === 5")
    # ... without re-joining the env (the count of resyncs the page made) ...
    assert solo.evaluate(f"{WS}.resyncs") == 0
    # ... the moves are recorded (not applied: the window fills the page) ...
    assert solo.evaluate(f"{WS}.reload['{WIN}']") == layouts[8]
    # ... the view change is drawn (a log y axis) ...
    ui.wait(
        "() => document.querySelector('[data-win=loss] .plot-pane').layout.yaxis.type === 'log'"
    )
    # ... and no message made either page re-join the env, even late.
    env_page.wait(f"(want) => {WS}.seq.get('{EID}') === want", start + 13)
    solo.wait_for_timeout(300)
    assert solo.evaluate(f"{WS}.resyncs") == 0
    assert env_page.page.evaluate(f"{WS}.resyncs") == 0
    assert solo.evaluate("document.querySelectorAll('.grid-stack-item').length") == 1
