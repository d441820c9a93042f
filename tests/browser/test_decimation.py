"""A million-point line in Chromium: drawn decimated with a label, zooms to raw points,
stays live under appends (docs/ui.md, "Display decimation")."""

import json
import math

import pytest
import requests

from .conftest import start_server, stop_server

N = 1_000_000
SPIKE_AT, SPIKE = 777_777, 50.0
GD = "document.querySelector(`[data-win='big'] .plot-pane`)"
PX = f"Math.round({GD}._fullLayout._size.w)"


def big_env():
    ys = [round(math.sin(i / 5000), 6) for i in range(N)]
    ys[SPIKE_AT] = SPIKE
    trace = {"x": list(range(N)), "y": ys, "name": "a", "type": "scatter", "mode": "lines"}
    window = {
        "command": "window",
        "id": "big",
        "title": "a million points",
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": "c-big",
        "type": "plot",
        "content": {"data": [trace], "layout": {"title": "a million points"}},
        "i": 0,
    }
    return {"jsons": {"big": window}, "reload": {"big": {"x": 0, "y": 0, "w": 50, "h": 30}}}


@pytest.fixture(scope="module")
def server():
    """A server whose env path holds two envs with a 1,000,000-point line each."""
    env = big_env()
    srv = start_server(envs={"big_zoom": env, "big_live": env})
    yield srv
    stop_server(srv)


def drawn(ui):
    """Wait for the plot; return (points drawn, plot width in px)."""
    ui.pane("big").locator(".plot-pane .main-svg").first.wait_for(timeout=30000)
    return ui.page.evaluate(f"[{GD}.data[0].x.length, {PX}]")


def settle(ui):
    """Wait until the trace draws at most 4 points per pixel; return the points drawn."""
    return ui.wait(f"{GD}.data[0].x.length <= 4 * {PX} && {GD}.data[0].x.length", timeout=20)


def label(ui):
    return ui.pane("big").locator(".plot-decimated")


def test_a_million_point_line_is_drawn_decimated_with_its_label(ui):
    ui.open("/env/big_zoom")
    count, px = drawn(ui)
    assert count < N
    count = settle(ui)
    assert 100 <= count <= 4 * px
    ys = ui.page.evaluate(f"{GD}.data[0].y")
    assert SPIKE in ys  # the single-point spike survives
    xs = ui.page.evaluate(f"{GD}.data[0].x")
    assert xs[0] == 0 and xs[-1] == N - 1 and xs == sorted(xs)
    assert label(ui).is_visible()
    assert label(ui).text_content() == f"1,000,000 points, showing {count:,}"


def test_zooming_to_200_steps_draws_every_raw_point_and_autorange_goes_back(ui):
    ui.open("/env/big_zoom")
    drawn(ui)
    settle(ui)
    x0, x1 = 500_000, 500_200
    ui.page.evaluate(f"Plotly.relayout({GD}, {{'xaxis.range': [{x0}, {x1}]}})")
    inside = ui.wait(
        f"""(() => {{
            const xs = {GD}.data[0].x.filter((x) => x >= {x0} && x <= {x1});
            return xs.length === 201 && xs;
        }})()"""
    )
    assert inside == list(range(x0, x1 + 1))
    ys = ui.page.evaluate(f"{GD}.data[0].y")
    xs = ui.page.evaluate(f"{GD}.data[0].x")
    assert [ys[xs.index(x)] for x in (x0, x1)] == [round(math.sin(x / 5000), 6) for x in (x0, x1)]
    ui.wait(
        "document.querySelector('.plot-decimated').textContent"
        ".endsWith('showing 203 (every point in this range)')"
    )
    # the spike's neighbourhood, also raw
    ui.page.evaluate(
        f"Plotly.relayout({GD}, {{'xaxis.range': [{SPIKE_AT - 50}, {SPIKE_AT + 50}]}})"
    )
    ui.wait(f"{GD}.data[0].x.includes({SPIKE_AT - 50}) && {GD}.data[0].x.length < 200")
    assert SPIKE in ui.page.evaluate(f"{GD}.data[0].y")
    # double-click = autorange: the overview again
    ui.page.evaluate(f"Plotly.relayout({GD}, {{'xaxis.autorange': true}})")
    ui.wait(f"{GD}.data[0].x[0] === 0 && {GD}.data[0].x.at(-1) === {N - 1}")
    assert settle(ui) > 200
    assert SPIKE in ui.page.evaluate(f"{GD}.data[0].y")


def test_live_appends_after_decimation_appear_and_the_overview_is_redecimated(ui, server):
    ui.open("/env/big_live")
    drawn(ui)
    before = settle(ui)

    def append(xs, ys):
        body = {"eid": "big_live", "win": "big", "name": "a", "append": True}
        body["data"] = [{"x": xs, "y": ys}]
        resp = requests.post(f"{server.url}/update", data=json.dumps(body), timeout=30)
        assert resp.status_code == 200, resp.text

    append([N, N + 1], [-60.0, 0.0])
    ui.wait(f"{GD}.data[0].x.at(-1) === {N + 1}")
    assert -60.0 in ui.page.evaluate(f"{GD}.data[0].y")
    assert ui.page.evaluate(f"{GD}.data[0].x.length") == before + 2  # extended, not redrawn
    ui.wait(
        "(t) => document.querySelector('.plot-decimated').textContent.startsWith(t)",
        "1,000,002 points",
    )
    # an append bigger than a pane travels decimated, counted whole
    end = N + 2
    append(list(range(end, end + 5000)), [2.0] * 5000)
    end += 5000
    ui.wait(f"{GD}.data[0].x.at(-1) === {end - 1}")
    grown = ui.page.evaluate(f"{GD}.data[0].x.length")
    assert before + 2 < grown <= before + 2 + 2400
    assert label(ui).text_content().startswith(f"{N + 5002:,} points")
    # appends past 10,000 drawn points: the overview is read again, decimated
    for _ in range(5):
        append(list(range(end, end + 2000)), [1.0] * 2000)
        end += 2000
    ui.wait(f"{GD}.data[0].x.at(-1) === {end - 1} && {GD}.data[0].x.length <= 4 * {PX}", timeout=20)
    ys = ui.page.evaluate(f"{GD}.data[0].y")
    assert SPIKE in ys and -60.0 in ys
    assert label(ui).text_content().startswith(f"{N + 15002:,} points, showing ")
