"""Per-window view controls of plot windows (docs/ui.md, "View controls"): smoothing,
log axes, x axis kinds, ignoring outliers, CSV/JSON downloads, persistence, env-wide
smoothing."""

import csv
import io
import json
import pathlib
import time

import requests


def gd(win):
    return f"document.querySelector(`[data-win='{win}'] .plot-pane`)"


def ema(ys, w):
    """TensorBoard's debiased exponential moving average."""
    out, last = [], 0.0
    for k, y in enumerate(ys, start=1):
        last = last * w + (1 - w) * y
        out.append(last / (1 - w**k))
    return out


NOISY = [((i * 37) % 11) - 5 + i * 0.5 for i in range(40)]


def open_panel(ui, win):
    ui.wait(f"Boolean({gd(win)}?._fullLayout)")
    ui.pane(win).locator("[data-action='view']").click()
    return ui.pane(win).locator(".view-panel")


def overlay(ui, win, kind):
    return ui.wait(
        f"(() => {{ const t = ({gd(win)}.data || []).find((t) => t.visdom_overlay === '{kind}');"
        " return t ? {x: Array.from(t.x), y: Array.from(t.y)} : null; })()"
    )


def close(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b, strict=True):
        assert abs(u - v) < 1e-9, (u, v)


def test_smoothing_draws_a_debiased_ema_over_the_faded_raw_curve(ui):
    ui.line("vc_smooth", "w", list(range(40)), NOISY)
    ui.open("/env/vc_smooth")
    panel = open_panel(ui, "w")
    panel.get_by_label("Smoothing").fill("0.8")
    smoothed = overlay(ui, "w", "smoothed")
    close(smoothed["y"], ema(NOISY, 0.8))
    assert smoothed["x"] == list(range(40))
    assert ui.page.evaluate(f"{gd('w')}.data[0].opacity") == 0.25
    assert "drawn points" in panel.inner_text()
    # A live append is smoothed too.
    ui.post(
        "update",
        {
            "eid": "vc_smooth",
            "win": "w",
            "append": True,
            "data": [{"x": [40], "y": [100.0], "type": "scatter"}],
        },
    )
    ui.wait(f"{gd('w')}.data.find((t) => t.visdom_overlay === 'smoothed').y.length === 41")
    smoothed = overlay(ui, "w", "smoothed")
    close(smoothed["y"], ema([*NOISY, 100.0], 0.8))
    # Back to 0: the raw curve alone, as it was.
    panel.get_by_label("Smoothing").fill("0")
    ui.wait(f"{gd('w')}.data.length === 1 && {gd('w')}.data[0].opacity == null")


def test_log_axes_and_ignore_outliers(ui):
    ys = [1.0 + (i % 5) for i in range(60)]
    ys[30] = 1e6
    ui.line("vc_axes", "w", list(range(1, 61)), ys)
    ui.open("/env/vc_axes")
    panel = open_panel(ui, "w")
    panel.get_by_label("Log x").check()
    ui.wait(f"{gd('w')}.layout.xaxis.type === 'log'")
    panel.get_by_label("Log y").check()
    ui.wait(f"{gd('w')}.layout.yaxis.type === 'log'")
    panel.get_by_label("Log y").uncheck()
    ui.wait(f"{gd('w')}.layout.yaxis.type !== 'log'")
    full = ui.page.evaluate(f"{gd('w')}._fullLayout.yaxis.range[1]")
    assert full > 1e5  # autorange shows the spike
    panel.get_by_label("Ignore outliers").check()
    top = ui.wait(f"{gd('w')}.layout.yaxis.autorange === false && {gd('w')}.layout.yaxis.range[1]")
    assert 5 <= top < 100  # the 1e6 spike is outside the range, the rest inside


def test_log_y_survives_the_script_redrawing_the_window(ui):
    """A full `window` message (the script sends the plot again) keeps the view settings."""
    ui.line("vc_redraw", "w", list(range(1, 11)), [float(i * i) for i in range(1, 11)])
    ui.open("/env/vc_redraw")
    panel = open_panel(ui, "w")
    panel.get_by_label("Log y").check()
    ui.wait(f"{gd('w')}.layout.yaxis.type === 'log'")
    ui.line("vc_redraw", "w", list(range(1, 21)), [float(i * i) for i in range(1, 21)])
    ui.wait(f"{gd('w')}.data[0].y.length === 20")
    ui.wait(f"{gd('w')}._fullLayout.yaxis.type === 'log'")
    time.sleep(0.3)  # nothing later puts it back to linear
    assert ui.page.evaluate(f"{gd('w')}._fullLayout.yaxis.type") == "log"


def test_x_axis_switches_to_wall_and_relative_time(ui):
    ui.line("vc_time", "w", [0, 1], [1.0, 2.0])
    time.sleep(1.2)
    ui.post(
        "update",
        {
            "eid": "vc_time",
            "win": "w",
            "append": True,
            "data": [{"x": [2, 3, 4], "y": [3.0, 4.0, 5.0], "type": "scatter"}],
        },
    )
    stored = requests.post(
        f"{ui.server.url}/win_data", data=json.dumps({"eid": "vc_time"}), timeout=10
    )
    stamps = json.loads(stored.text)["w"]["visdom_wall"][0]
    assert stamps["n"] == [2, 5] and stamps["t"][1] - stamps["t"][0] > 1
    t0, t1 = stamps["t"]
    ui.open("/env/vc_time")
    panel = open_panel(ui, "w")
    panel.get_by_label("X axis").select_option("wall")
    raw = overlay(ui, "w", "raw")
    assert raw["x"] == [t0 * 1000] * 2 + [t1 * 1000] * 3
    assert ui.page.evaluate(f"{gd('w')}.layout.xaxis.type") == "date"
    assert ui.page.evaluate(f"{gd('w')}.data[0].visible") is False
    panel.get_by_label("X axis").select_option("relative")
    ui.wait(f"{gd('w')}.layout.xaxis.type !== 'date'")
    raw = overlay(ui, "w", "raw")
    close(raw["x"], [0, 0, t1 - t0, t1 - t0, t1 - t0])
    # Live appends get their own arrival time.
    ui.post(
        "update",
        {
            "eid": "vc_time",
            "win": "w",
            "append": True,
            "data": [{"x": [5], "y": [6.0], "type": "scatter"}],
        },
    )
    ui.wait(f"{gd('w')}.data.find((t) => t.visdom_overlay === 'raw').x.length === 6")
    last = ui.page.evaluate(f"{gd('w')}.data.find((t) => t.visdom_overlay === 'raw').x[5]")
    assert last >= t1 - t0


def test_a_window_without_wall_time_says_it_shows_step(ui):
    window = {
        "id": "old",
        "type": "plot",
        "title": "old",
        "content": {"data": [{"x": [0, 1, 2], "y": [1, 2, 3], "type": "scatter"}], "layout": {}},
    }
    ui.post("win_data", {"eid": "vc_old", "win": "old", "data": window})
    ui.open("/env/vc_old")
    panel = open_panel(ui, "old")
    panel.get_by_label("X axis").select_option("wall")
    ui.wait("document.querySelector(`[data-win='old'] .view-nowall`).hidden === false")
    assert "step" in panel.locator(".view-nowall").inner_text()
    assert ui.page.evaluate(f"Array.from({gd('old')}.data[0].x)") == [0, 1, 2]


def stored_traces(ui, eid, win):
    resp = requests.post(f"{ui.server.url}/win_data", data=json.dumps({"eid": eid}), timeout=10)
    window = json.loads(resp.text)[win]
    return window["content"]["data"], window["visdom_wall"]


def test_downloads_hold_the_full_stored_data(ui):
    xs = list(range(3000))
    ui.line("vc_dl", "w", xs, [float((i * 7) % 13) for i in xs], name="loss")
    ui.post(
        "update",
        {
            "eid": "vc_dl",
            "win": "w",
            "append": True,
            "data": [{"x": [3000], "y": [0.5], "type": "scatter"}],
        },
    )
    ui.open("/env/vc_dl")
    panel = open_panel(ui, "w")
    traces, wall = stored_traces(ui, "vc_dl", "w")
    with ui.page.expect_download() as info:
        panel.get_by_role("button", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(pathlib.Path(info.value.path()).read_text())))
    assert rows[0] == ["trace", "x", "y", "wall_time"]
    assert len(rows) == 1 + 3001  # every point, not the drawn ones
    assert [int(r[1]) for r in rows[1:]] == traces[0]["x"]
    assert [float(r[2]) for r in rows[1:]] == traces[0]["y"]
    assert {r[0] for r in rows[1:]} == {"loss"}
    assert float(rows[1][3]) == wall[0]["t"][0] and float(rows[-1][3]) == wall[0]["t"][-1]
    with ui.page.expect_download() as info:
        panel.get_by_role("button", name="Download JSON").click()
    body = json.loads(pathlib.Path(info.value.path()).read_text())
    assert body["traces"][0]["x"] == traces[0]["x"]
    assert body["traces"][0]["y"] == traces[0]["y"]
    assert body["traces"][0]["walltime"][-1] == wall[0]["t"][-1]


def test_settings_persist_across_a_reload_and_reach_a_second_page(ui, browser_context):
    ui.line("vc_keep", "w", list(range(1, 30)), [float(i) for i in range(1, 30)])
    ui.open("/env/vc_keep")
    other = browser_context.new_page()
    other.goto(ui.server.url + "/env/vc_keep")
    ui.wait("true")
    panel = open_panel(ui, "w")
    panel.get_by_label("Log y").check()
    panel.get_by_label("Smoothing").fill("0.5")
    ui.wait(f"{gd('w')}.data.some((t) => t.visdom_overlay === 'smoothed')")
    # The other page follows live.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = other.evaluate(
            f"(() => {{ const g = {gd('w')}; return g && g.layout && [g.layout.yaxis.type,"
            " g.data.some((t) => t.visdom_overlay === 'smoothed')]; })()"
        )
        if state == ["log", True]:
            break
        time.sleep(0.1)
    assert state == ["log", True]
    other.close()
    ui.page.reload()
    ui.wait(f"Boolean({gd('w')}?._fullLayout) && {gd('w')}.layout.yaxis.type === 'log'")
    smoothed = overlay(ui, "w", "smoothed")
    close(smoothed["y"], ema([float(i) for i in range(1, 30)], 0.5))
    ui.pane("w").locator("[data-action='view']").click()
    assert ui.pane("w").get_by_label("Log y").is_checked()


def test_env_wide_smoothing_smooths_every_window(ui):
    ui.line("vc_env", "a", list(range(40)), NOISY)
    ui.line("vc_env", "b", list(range(40)), NOISY[::-1])
    ui.open("/env/vc_env")
    ui.wait(f"Boolean({gd('a')}?._fullLayout && {gd('b')}?._fullLayout)")
    ui.page.get_by_label("Smoothing for every window").fill("0.6")
    close(overlay(ui, "a", "smoothed")["y"], ema(NOISY, 0.6))
    close(overlay(ui, "b", "smoothed")["y"], ema(NOISY[::-1], 0.6))
    # Kept with the env: a new page shows it.
    ui.wait("true")
    time.sleep(0.5)  # the slider's value is sent after a short pause
    ui.page.reload()
    ui.wait(f"Boolean({gd('b')}?._fullLayout)")
    close(overlay(ui, "b", "smoothed")["y"], ema(NOISY[::-1], 0.6))
    assert ui.page.evaluate("document.getElementById('env-smoothing').value") == "0.6"
