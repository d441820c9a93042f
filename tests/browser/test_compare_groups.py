"""Compare view grouped aggregates (docs/ui.md, "Compare runs"): Group by an experiment
param or a regex over env names, mean/median line with a band filled behind it, legend
counts, runs per point on hover, "Show runs", live follow, and a bad regex said in the
window instead of a blank plot."""

import time

import numpy as np
import requests

STEPS = list(range(0, 50, 5))
RUNS = {  # env -> (lr, offset of its loss curve)
    "cg_lr1_seed0": (0.1, 0.0),
    "cg_lr1_seed1": (0.1, 1.0),
    "cg_lr1_seed2": (0.1, 5.0),
    "cg_lr2_seed0": (0.2, 10.0),
    "cg_lr2_seed1": (0.2, 14.0),
}
EIDS = list(RUNS)


def loss(offset):
    return [offset + 100.0 / (1 + s) for s in STEPS]


def gd(win):
    return f"document.querySelector(`[data-win='{win}'] .plot-pane`)"


def setup_runs(ui):
    for eid, (lr, offset) in RUNS.items():
        ui.line(eid, "L", STEPS, loss(offset), title="loss")
        ui.line(eid, "T", STEPS, [s * 1000.0 for s in STEPS], title="tokens")
        ui.post("experiments/log", {"eid": eid, "action": "log", "params": {"lr": lr, "seed": 0}})


def traces(ui, win, kind):
    return ui.page.evaluate(
        f"{gd(win)}.data.filter((t) => t.visdom_overlay === '{kind}')"
        ".map((t) => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y), fill: t.fill || null,"
        " n: t.customdata ? Array.from(t.customdata) : null, hover: t.hovertemplate || null,"
        " fillcolor: t.fillcolor || null}))"
    )


def open_compare(ui):
    ui.open("/compare/" + "+".join(EIDS))
    ui.wait(f"Boolean({gd('L_compare')}?._fullLayout)")
    ui.pane("L_compare").locator("[data-action='view']").click()
    return ui.pane("L_compare").locator(".view-panel")


def test_group_by_param_draws_mean_and_band_per_group(ui):
    setup_runs(ui)
    panel = open_compare(ui)
    group = panel.get_by_label("Group by")
    ui.wait(
        "Array.from(document.querySelectorAll(`[data-win='L_compare'] .view-group option`))"
        ".some((o) => o.value === 'param:lr')"
    )
    group.select_option("param:lr")
    ui.wait(f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate').length === 2")
    lines = {t["name"]: t for t in traces(ui, "L_compare", "aggregate")}
    assert set(lines) == {"0.1 (n=3)", "0.2 (n=2)"}  # the legend says how many runs
    low = np.mean([loss(o) for lr, o in RUNS.values() if lr == 0.1], axis=0)
    assert lines["0.1 (n=3)"]["x"] == STEPS
    np.testing.assert_allclose(lines["0.1 (n=3)"]["y"], low, rtol=1e-9)
    assert lines["0.1 (n=3)"]["n"] == [3] * len(STEPS)  # hover: runs behind each point
    assert "n=%{customdata}" in lines["0.1 (n=3)"]["hover"]
    # The band: a low edge and a high edge filled down to it, as the server computed it.
    his = traces(ui, "L_compare", "band-hi")
    los = traces(ui, "L_compare", "band-lo")
    assert len(his) == len(los) == 2 and all(h["fill"] == "tonexty" for h in his)
    assert all(h["fillcolor"].startswith("rgba(") for h in his)
    url = f"{ui.server.url}/api/compare/{'+'.join(EIDS)}/aggregate"
    answer = requests.get(url, params={"title": "loss", "group": "param:lr"}, timeout=10).json()
    served = {g["name"]: g for g in answer["groups"]}
    np.testing.assert_allclose(his[0]["y"], served["0.1"]["hi"])
    np.testing.assert_allclose(los[0]["y"], served["0.1"]["lo"])
    assert all(lo < y < hi for lo, y, hi in zip(los[0]["y"], low, his[0]["y"], strict=True))
    # The runs themselves are hidden, or faint behind with "Show runs".
    raw = f"{gd('L_compare')}.data.filter((t) => !t.visdom_overlay)"
    assert ui.page.evaluate(f"{raw}.every((t) => t.visible === false)")
    panel.get_by_label("Show runs").check()
    ui.wait(f"{raw}.every((t) => t.visible === true && t.opacity < 0.5)")
    # Median with a min-max band: the band spans the runs.
    panel.get_by_label("Statistic").select_option("median")
    panel.get_by_label("Band").select_option("minmax")
    ui.wait(
        f"{gd('L_compare')}.data.some((t) => t.visdom_overlay === 'aggregate'"
        " && (t.hovertemplate || '').includes('median'))"
    )
    his = traces(ui, "L_compare", "band-hi")
    np.testing.assert_allclose(his[0]["y"], loss(5.0))  # the group's highest run
    ui.shot("compare_groups_param")
    # Back to no grouping: the runs as they are.
    group.select_option("")
    ui.wait(f"!{gd('L_compare')}.data.some((t) => t.visdom_overlay)")
    assert ui.page.evaluate(f"{raw}.every((t) => t.visible !== false)")


def test_regex_groups_bad_regex_error_and_live_follow(ui):
    setup_runs(ui)
    panel = open_compare(ui)
    panel.get_by_label("Group by").select_option("re")
    regex = panel.get_by_label("Group regex")
    regex.fill("^(cg_lr\\d)_seed\\d+$")
    regex.dispatch_event("change")
    ui.wait(f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate').length === 2")
    names = sorted(t["name"] for t in traces(ui, "L_compare", "aggregate"))
    assert names == ["cg_lr1 (n=3)", "cg_lr2 (n=2)"]
    # A regex that does not compile: the server's message is shown in the window.
    regex.fill("^(cg_lr")
    regex.dispatch_event("change")
    error = ui.pane("L_compare").locator(".view-error")
    ui.wait("document.querySelector(`[data-win='L_compare'] .view-error`)?.hidden === false")
    text = error.inner_text()
    assert "Cannot draw this view" in text and "group" in text.lower()
    # Fixed again: the error goes, the groups come back.
    regex.fill("^(cg_lr\\d)_seed\\d+$")
    regex.dispatch_event("change")
    ui.wait("document.querySelector(`[data-win='L_compare'] .view-error`).hidden === true")
    ui.wait(f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate').length === 2")
    # Live: a run appends, the aggregate follows within a couple of seconds.
    before = max(max(t["x"]) for t in traces(ui, "L_compare", "aggregate"))
    ui.post(
        "update",
        {
            "eid": "cg_lr2_seed0",
            "win": "L",
            "append": True,
            "data": [{"x": [60, 70], "y": [1.0, 2.0], "type": "scatter"}],
        },
    )
    started = time.monotonic()
    ui.wait(
        f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate')"
        f".some((t) => Math.max(...t.x) >= 70)",
        timeout=6,
    )
    assert time.monotonic() - started < 5
    grown = [t for t in traces(ui, "L_compare", "aggregate") if max(t["x"]) >= 70]
    assert grown[0]["name"] == "cg_lr2 (n=2)" and before < 70
    assert grown[0]["n"][-1] == 1  # only the run that logged step 70 is behind that point


def test_compare_x_by_another_metric(ui):
    setup_runs(ui)
    panel = open_compare(ui)
    panel.get_by_label("X axis").select_option("metric:T_compare")
    ui.wait(f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate').length === 5")
    lines = traces(ui, "L_compare", "aggregate")  # no group: each env its own group of one
    assert all(t["name"].endswith("(n=1)") for t in lines)
    assert lines[0]["x"] == [s * 1000.0 for s in STEPS]


def test_x_by_metric_in_one_env_persists(ui):
    ui.line("cg_metric", "L", STEPS, loss(0.0), title="loss")
    ui.line("cg_metric", "T", STEPS, [s * 7.0 + 3 for s in STEPS], title="tokens seen")
    ui.open("/env/cg_metric")
    ui.wait(f"Boolean({gd('L')}?._fullLayout)")
    ui.pane("L").locator("[data-action='view']").click()
    panel = ui.pane("L").locator(".view-panel")
    labels = panel.get_by_label("X axis").locator("option").all_inner_texts()
    assert labels == ["Step", "Wall time", "Relative time", "tokens seen"]
    panel.get_by_label("X axis").select_option(label="tokens seen")
    ui.wait(f"{gd('L')}.data.some((t) => t.visdom_overlay === 'raw')")
    raw = traces(ui, "L", "raw")[0]
    assert raw["x"] == [s * 7.0 + 3 for s in STEPS]
    np.testing.assert_allclose(raw["y"], loss(0.0))
    assert ui.page.evaluate(f"{gd('L')}.data[0].visible") is False
    # Kept with the env: a reload draws the same.
    ui.open("/env/cg_metric")
    ui.wait(f"{gd('L')}.data.some((t) => t.visdom_overlay === 'raw')")
    assert traces(ui, "L", "raw")[0]["x"] == [s * 7.0 + 3 for s in STEPS]


def test_envelope_holds_a_spike_and_follows_zoom(ui):
    n = 20000
    xs = list(range(n))
    ys = [float(np.sin(i / 300.0)) for i in xs]
    ys[12345] = 50.0  # one spike
    ys[100] = float("nan")
    ui.line("cg_env", "E", xs, ys, title="dense")
    ui.open("/env/cg_env")
    ui.wait(f"Boolean({gd('E')}?._fullLayout)")
    ui.pane("E").locator("[data-action='view']").click()
    ui.pane("E").locator(".view-panel").get_by_label("Envelope").check()
    ui.wait(f"{gd('E')}.data.some((t) => t.visdom_overlay === 'envelope-hi')")
    hi = traces(ui, "E", "envelope-hi")[0]
    lo = traces(ui, "E", "envelope-lo")[0]
    mean = traces(ui, "E", "envelope")[0]
    assert hi["fill"] == "tonexty" and len(hi["x"]) < n
    assert max(hi["y"]) == 50.0  # the spike stays inside the band
    assert max(mean["y"]) < 50.0  # ... while the mean line smooths it
    assert all(a <= m <= b for a, m, b in zip(lo["y"], mean["y"], hi["y"], strict=True))
    # Zoom: the visible range is read again, finer.
    ui.page.evaluate(f"Plotly.relayout({gd('E')}, {{'xaxis.range': [12000, 12600]}})")
    ui.wait(
        f"(() => {{ const t = {gd('E')}.data.find((t) => t.visdom_overlay === 'envelope-hi');"
        " return t && t.x[0] >= 11999 && t.x[t.x.length - 1] <= 12601; })()"
    )
    hi = traces(ui, "E", "envelope-hi")[0]
    assert max(hi["y"]) == 50.0
    ui.shot("envelope_zoom")
    # Kept with the env: a reload draws the envelope again.
    ui.open("/env/cg_env")
    ui.wait(f"{gd('E')}.data.some((t) => t.visdom_overlay === 'envelope-hi')")


def test_envs_left_out_of_the_groups_are_listed_under_the_plot(ui):
    setup_runs(ui)
    ui.line("cg_nolr", "L", STEPS, loss(3.0), title="loss")  # no experiment record
    eids = ["cg_lr1_seed0", "cg_lr1_seed1", "cg_nolr"]
    ui.open("/compare/" + "+".join(eids))
    ui.wait(f"Boolean({gd('L_compare')}?._fullLayout)")
    ui.pane("L_compare").locator("[data-action='view']").click()
    panel = ui.pane("L_compare").locator(".view-panel")
    ui.wait(
        "Array.from(document.querySelectorAll(`[data-win='L_compare'] .view-group option`))"
        ".some((o) => o.value === 'param:lr')"
    )
    panel.get_by_label("Group by").select_option("param:lr")
    ui.wait(f"{gd('L_compare')}.data.filter((t) => t.visdom_overlay === 'aggregate').length === 1")
    assert traces(ui, "L_compare", "aggregate")[0]["name"] == "0.1 (n=2)"
    note = ui.pane("L_compare").locator(".view-missing")
    ui.wait("document.querySelector(`[data-win='L_compare'] .view-missing`)?.hidden === false")
    assert note.inner_text().startswith("Left out: cg_nolr (")
    # Back to no grouping: nothing is left out.
    panel.get_by_label("Group by").select_option("")
    ui.wait("document.querySelector(`[data-win='L_compare'] .view-missing`).hidden === true")


def test_groups_by_wall_time_and_relative_time(ui):
    setup_runs(ui)
    panel = open_compare(ui)
    ui.wait(
        "Array.from(document.querySelectorAll(`[data-win='L_compare'] .view-group option`))"
        ".some((o) => o.value === 'param:lr')"
    )
    panel.get_by_label("Group by").select_option("param:lr")
    panel.get_by_label("X axis").select_option("wall")
    ui.wait(
        f"{gd('L_compare')}.layout.xaxis.type === 'date' && {gd('L_compare')}.data"
        ".some((t) => t.visdom_overlay === 'aggregate' && t.x[0] > 1e12)"
    )
    now_ms = time.time() * 1000
    xs = [x for t in traces(ui, "L_compare", "aggregate") for x in t["x"]]
    assert all(now_ms - 600_000 < x <= now_ms + 1000 for x in xs)  # milliseconds, just now
    panel.get_by_label("X axis").select_option("relative")
    ui.wait(
        f"{gd('L_compare')}.layout.xaxis.type !== 'date' && {gd('L_compare')}.data"
        ".some((t) => t.visdom_overlay === 'aggregate' && t.x[0] < 1e6)"
    )
    xs = [x for t in traces(ui, "L_compare", "aggregate") for x in t["x"]]
    assert min(xs) >= 0 and max(xs) < 600  # seconds since each run's start
