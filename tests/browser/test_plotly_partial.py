"""plotly.js in steps: lines need only the basic bundle, 2-D pages never load the full one."""

import pytest

BUNDLES = "return m.plotlyBundles()"
FULL = "/vendor/plotly.min.js"
BASIC = "/vendor/plotly-basic.min.js"
PARTIAL = "/vendor/plotly-cartesian.min.js"


@pytest.fixture
def seen(ui):
    """The URLs the page requested."""
    urls = []
    ui.page.on("request", lambda r: urls.append(r.url))
    return urls


def gd(win):
    return f"document.querySelector(`[data-win='{win}'] .plot-pane`)"


def test_a_2d_page_draws_without_the_full_bundle(ui, seen):
    xs = list(range(50))
    ui.line("p2d", "line", xs, [x * 0.5 for x in xs])
    bar = [{"x": ["a", "ü", "c"], "y": [3, float("nan"), 1], "type": "bar", "name": "b"}]
    ui.post("events", {"eid": "p2d", "win": "bar", "opts": {"title": "bar"}, "data": bar})
    heat = [{"z": [[1, 2], [3, 4]], "type": "heatmap"}]
    ui.post("events", {"eid": "p2d", "win": "heat", "opts": {"title": "heat"}, "data": heat})
    ui.open("/env/p2d")
    ui.wait(f"{gd('line')}.querySelector('.scatterlayer path.js-line')")
    # The bars are drawn; the NaN one reached the page as null (a gap).
    ui.wait(f"{gd('bar')}.querySelectorAll('.barlayer .point path').length >= 2")
    assert ui.page.evaluate(f"Array.from({gd('bar')}.data[0].y)") == [3, None, 1]
    ui.wait(f"{gd('heat')}.querySelector('.heatmaplayer image')")
    # The heatmap needs the cartesian bundle; nothing needs the full one.
    assert ui.module("lib/plotly.js", BUNDLES) == {"basic": True, "cartesian": True, "full": False}
    assert any(u.endswith(PARTIAL) for u in seen)
    assert not any(u.endswith(FULL) for u in seen), [u for u in seen if "plotly" in u]
    # The line is the one sent: every point, in order.
    ys = ui.page.evaluate(f"Array.from({gd('line')}.data[0].y)")
    assert ys == [x * 0.5 for x in xs]


def test_lines_and_bars_need_only_the_basic_bundle(ui, seen):
    ui.line("pbasic", "line", [0, 1, 2], [1, float("inf"), 2])
    bar = [{"x": ["a", "b"], "y": [2, 1], "type": "bar", "name": "b"}]
    ui.post("events", {"eid": "pbasic", "win": "bar", "opts": {"title": "bar"}, "data": bar})
    ui.open("/env/pbasic")
    ui.wait(f"{gd('line')}.querySelector('.scatterlayer path.js-line')")
    ui.wait(f"{gd('bar')}.querySelectorAll('.barlayer .point path').length === 2")
    assert ui.module("lib/plotly.js", BUNDLES) == {"basic": True, "cartesian": False, "full": False}
    assert any(u.endswith(BASIC) for u in seen)
    assert not any(u.endswith((PARTIAL, FULL)) for u in seen)
    # +Inf reached the page as null: a gap, not a point.
    assert ui.page.evaluate(f"Array.from({gd('line')}.data[0].y)") == [1, None, 2]


def test_a_polar_window_loads_the_full_bundle_and_draws(ui, seen):
    xs = list(range(20))
    ui.line("p3d", "line", xs, xs)
    polar = [
        {"r": [1, 2, 3, 2], "theta": [0, 90, 180, 270], "type": "scatterpolar", "mode": "lines"}
    ]
    ui.post("events", {"eid": "p3d", "win": "polar", "opts": {"title": "polar"}, "data": polar})
    surface = [{"z": [[1, 2, 3], [2, 3, 4], [3, 4, 5]], "type": "surface"}]
    ui.post("events", {"eid": "p3d", "win": "surf", "opts": {"title": "3-D"}, "data": surface})
    ui.open("/env/p3d")
    # scatterpolar is drawn in SVG: its line is on the page.
    ui.wait(f"{gd('polar')}.querySelector('.polarlayer .scatterlayer path.js-line')")
    assert ui.module("lib/plotly.js", BUNDLES)["full"] is True
    assert any(u.endswith(FULL) for u in seen)
    # The surface went through the full bundle (its pixels need WebGL, which this headless
    # Chromium lacks): plotly took the trace in and made a 3-D scene for it.
    ui.wait(f"{gd('surf')}._fullData && {gd('surf')}._fullData[0].type === 'surface'")
    assert ui.page.evaluate(f"Boolean({gd('surf')}._fullLayout.scene)")
    # The 2-D window on the same page is drawn too.
    ui.wait(f"{gd('line')}.querySelector('.scatterlayer path.js-line')")


def test_a_2d_window_redrawn_as_polar_switches_to_the_full_bundle(ui, seen):
    ui.line("pswitch", "w", [0, 1, 2], [2, 1, 2])
    ui.open("/env/pswitch")
    ui.wait(f"{gd('w')}.querySelector('.scatterlayer path.js-line')")
    assert ui.module("lib/plotly.js", BUNDLES) == {"basic": True, "cartesian": False, "full": False}
    polar = [{"r": [1, 2, 1], "theta": [0, 120, 240], "type": "scatterpolar", "mode": "lines"}]
    ui.post("events", {"eid": "pswitch", "win": "w", "opts": {"title": "w"}, "data": polar})
    ui.wait(f"{gd('w')}.querySelector('.polarlayer .scatterlayer path.js-line')")
    assert not ui.page.evaluate(
        f"Boolean({gd('w')}.querySelector('.cartesianlayer .scatterlayer path.js-line'))"
    )
    assert ui.module("lib/plotly.js", BUNDLES)["full"] is True


def test_a_live_trace_the_basic_bundle_lacks_redraws_the_plot_with_the_full_one(ui):
    ui.line("plive", "v", [0, 1], [1, 0])
    ui.open("/env/plive")
    ui.wait(f"{gd('v')}.querySelector('.scatterlayer path.js-line')")
    assert ui.module("lib/plotly.js", BUNDLES) == {"basic": True, "cartesian": False, "full": False}
    polar = {"type": "scatterpolar", "r": [1, 2], "theta": [0, 90], "mode": "lines", "name": "p"}
    ui.post("update", {"eid": "plive", "win": "v", "append": True, "name": "p", "data": [polar]})
    ui.wait(
        f"{gd('v')}.data.length === 2 && "
        f"{gd('v')}.querySelector('.polarlayer .scatterlayer path.js-line')"
    )
    assert ui.module("lib/plotly.js", BUNDLES)["full"] is True
    # The first trace is still drawn, with its points.
    assert ui.page.evaluate(f"Array.from({gd('v')}.data[0].y)") == [1, 0]
    assert ui.page.evaluate(
        f"{gd('v')}.querySelector('.cartesianlayer .scatterlayer path.js-line') !== null"
    )
