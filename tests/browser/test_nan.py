"""NaN and ±Inf in real training data never break the page: they reach the browser as null
(strict JSON), plots show them as gaps, heatmaps as blank cells, other windows are untouched.

The bodies are sent as the upstream client sends them: json.dumps with NaN/Infinity tokens.
"""

import json
import math

import pytest

from .conftest import start_server, stop_server, stored_window

NAN = math.nan
INF = math.inf
GD = "(win) => document.querySelector(`[data-win='${win}'] .plot-pane`)"


def line_window(win, ys, title):
    """A stored plot window (upstream §3) with one line trace."""
    trace = {"x": list(range(len(ys))), "y": ys, "name": "a", "type": "scatter", "mode": "lines"}
    return stored_window(win, "plot", {"data": [trace], "layout": {"title": title}}, title)


@pytest.fixture(scope="module")
def server():
    """A server whose env path holds an env file with NaN/Infinity tokens (upstream writes them)."""
    other = {
        "command": "window",
        "id": "other",
        "title": "other",
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": "c-other",
        "type": "text",
        "content": "still here",
        "i": 1,
    }
    env = {"jsons": {"D": line_window("D", [1, 2, NAN, 4, INF], "from disk"), "other": other}}
    env["reload"] = {}
    srv = start_server(envs={"nan_disk": env})
    with open(f"{srv.env_path}/nan_disk.json", encoding="utf-8") as f:
        assert "NaN" in f.read()  # upstream's format, tokens and all
    yield srv
    stop_server(srv)


def setup_env(ui, eid):
    """An env with two windows that must stay untouched by whatever happens to a third."""
    ui.text(eid, "other", "still here", title="other")
    ui.line(eid, "good", [0, 1, 2], [1, 2, 3], title="good")


def assert_page_ok(ui, eid, *plots):
    """The page is online and loaded, the bystander windows are intact, every plot is drawn."""
    page = ui.page
    ui.wait("document.body.dataset.connection === 'online'")
    assert page.evaluate("document.body.dataset.loaded") == eid
    assert ui.pane("other").locator(".text-pane").text_content() == "still here"
    for win in plots:
        ui.pane(win).locator(".plot-pane .main-svg").first.wait_for()
        assert "could not be drawn" not in ui.pane(win).text_content()
    if ui.pane("good").count():
        ui.pane("good").locator(".plot-pane .main-svg").first.wait_for()
        good = page.evaluate(f"({GD})('good').data[0]")
        assert (good["x"], good["y"]) == ([0, 1, 2], [1, 2, 3])


def trace(ui, win, i=0):
    return ui.page.evaluate(f"([win, i]) => ({GD})(win).data[i]", [win, i])


def line_segments(ui, win):
    """The number of separate pieces plotly drew the first trace's line in."""
    return ui.page.evaluate(
        f"(win) => [...({GD})(win).querySelectorAll('.scatterlayer .trace:first-child .js-line')]"
        ".reduce((n, p) => n + (p.getAttribute('d').match(/M/g) || []).length, 0)",
        win,
    )


def test_nan_at_window_creation(ui):
    setup_env(ui, "nan_new")
    ui.line("nan_new", "L", [0, 1, 2, 3, 4], [1, 2, NAN, 4, INF], title="diverging")
    ui.open("/env/nan_new")
    assert_page_ok(ui, "nan_new", "L", "good")
    assert trace(ui, "L")["y"] == [1, 2, None, 4, None]
    assert line_segments(ui, "L") == 2  # the NaN is a gap in the line
    # Created while the page is open (a live `window` message).
    ui.line("nan_new", "L2", [0, 1, 2], [NAN, -INF, 3], title="live")
    ui.pane("L2").locator(".plot-pane .main-svg").first.wait_for()
    assert trace(ui, "L2")["y"] == [None, None, 3]
    assert_page_ok(ui, "nan_new", "L", "L2", "good")


def test_nan_in_appends_to_one_trace_and_to_all(ui):
    setup_env(ui, "nan_app")
    scatter = {"type": "scatter", "mode": "lines"}
    two = [
        {**scatter, "x": [0], "y": [0], "name": "a"},
        {**scatter, "x": [0], "y": [0], "name": "b"},
    ]
    ui.post("events", {"eid": "nan_app", "win": "L", "opts": {}, "layout": {}, "data": two})
    ui.open("/env/nan_app")
    assert_page_ok(ui, "nan_app", "L")
    base = {"eid": "nan_app", "win": "L", "append": True, "opts": {}, "layout": {}}
    # One trace, by name.
    one = [{**scatter, "x": [1, 2], "y": [NAN, 5], "name": "a"}]
    assert ui.post("update", {**base, "name": "a", "data": one}) == "L"
    ui.wait(f"({GD})('L').data[0].x.length === 3")
    assert trace(ui, "L", 0)["y"] == [0, None, 5]
    assert trace(ui, "L", 1)["y"] == [0]
    # Every trace at once (no name).
    both = [
        {**scatter, "x": [3], "y": [INF], "name": "a"},
        {**scatter, "x": [1], "y": [-INF], "name": "b"},
    ]
    assert ui.post("update", {**base, "data": both}) == "L"
    ui.wait(f"({GD})('L').data[1].x.length === 2")
    assert trace(ui, "L", 0)["y"] == [0, None, 5, None]
    assert trace(ui, "L", 1)["y"] == [0, None]
    assert_page_ok(ui, "nan_app", "L", "good")


def test_nan_in_heatmap_rows(ui):
    setup_env(ui, "nan_heat")
    heat = {"z": [[1, NAN], [INF, 4]], "type": "heatmap", "colorscale": "Viridis"}
    ui.post("events", {"eid": "nan_heat", "win": "H", "opts": {}, "layout": {}, "data": [heat]})
    ui.open("/env/nan_heat")
    assert_page_ok(ui, "nan_heat", "H")
    assert trace(ui, "H")["z"] == [[1, None], [None, 4]]
    row = {
        "eid": "nan_heat",
        "win": "H",
        "append": True,
        "updateDir": "appendRow",
        "opts": {},
        "layout": {},
        "data": [{"z": [[NAN, 6]], "type": "heatmap"}],
    }
    assert ui.post("update", row) == "H"
    ui.wait(f"({GD})('H').data[0].z.length === 3")
    assert trace(ui, "H")["z"] == [[1, None], [None, 4], [None, 6]]
    assert_page_ok(ui, "nan_heat", "H", "good")


def test_nan_in_win_data_writes(ui):
    setup_env(ui, "nan_wd")
    ui.line("nan_wd", "L", [0, 1], [1, 2], title="to overwrite")
    ui.open("/env/nan_wd")
    assert_page_ok(ui, "nan_wd", "L")
    # One window written back with NaN (as set_window_data passes the text along).
    written = line_window("L", [5, NAN, 7, INF, 9], "written")
    ui.post("win_data", {"eid": "nan_wd", "win": "L", "data": json.dumps(written)})
    ui.wait(f"({GD})('L').data[0].y.length === 5")
    assert trace(ui, "L")["y"] == [5, None, 7, None, 9]
    assert_page_ok(ui, "nan_wd", "L", "good")
    # Every window at once: the whole env is replaced (the bystanders written back as they were).
    stored = json.loads(ui.post("win_data", {"eid": "nan_wd", "win": None}))
    stored["L"] = line_window("L", [INF, 1, NAN], "all at once")
    ui.post("win_data", {"eid": "nan_wd", "win": None, "data": json.dumps(stored)})
    ui.wait(f"({GD})('L').data[0].y.length === 3")
    assert trace(ui, "L")["y"] == [None, 1, None]
    assert_page_ok(ui, "nan_wd", "L", "good")
    # A reload reads the same (the join ack is strict JSON too).
    ui.open("/env/nan_wd")
    assert_page_ok(ui, "nan_wd", "L", "good")
    assert trace(ui, "L")["y"] == [None, 1, None]


def test_nan_in_an_env_file_loaded_from_disk(ui):
    ui.open("/env/nan_disk")
    assert_page_ok(ui, "nan_disk", "D")
    assert trace(ui, "D")["y"] == [1, 2, None, 4, None]
    assert line_segments(ui, "D") == 2
    assert ui.pane("D").locator(".pane-title").text_content() == "from disk"
    # Python clients still read the values they sent (upstream's forms).
    stored = json.loads(ui.post("win_data", {"eid": "nan_disk", "win": "D"}))
    ys = stored["content"]["data"][0]["y"]
    assert ys[:2] == [1, 2] and math.isnan(ys[2]) and ys[4] == INF


def test_nan_in_other_panes(ui):
    setup_env(ui, "nan_panes")
    props = [
        {"type": "number", "name": "lr", "value": NAN},
        {"type": "text", "name": "loss", "value": INF},
        {"type": "checkbox", "name": "ok", "value": NAN},
    ]
    ui.post(
        "events",
        {
            "eid": "nan_panes",
            "win": "P",
            "opts": {},
            "data": [{"content": props, "type": "properties"}],
        },
    )
    ui.open("/env/nan_panes")
    assert_page_ok(ui, "nan_panes")
    controls = ui.pane("P").locator(".prop-control")
    assert controls.count() == 3
    assert controls.nth(0).input_value() == ""
    assert controls.nth(1).input_value() == ""
    assert not controls.nth(2).is_checked()
