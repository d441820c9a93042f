"""Windows are drawn when they come near the viewport, the first screen first."""

from tests.support.waiting import poll

# A plot is drawn when its pane holds plotly's svg; an undrawn pane has no body at all.
DRAWN = "(win) => Boolean(document.querySelector(`[data-win='${win}'] .plot-pane .main-svg`))"
BODY = "(win) => document.querySelector(`[data-win='${win}'] .pane-body`).childElementCount"
GD = "(win) => document.querySelector(`[data-win='${win}'] .plot-pane`)"

# Split the panes by where they are: on the first screen, or more than two screens below.
PLACES = """() => {
  const out = {screen: [], far: []};
  for (const el of document.querySelectorAll('.grid-stack-item[data-win]')) {
    const r = el.getBoundingClientRect();
    const drawn = Boolean(el.querySelector('.plot-pane .main-svg'));
    if (r.top < innerHeight && r.bottom > 0) out.screen.push([el.dataset.win, drawn]);
    else if (r.top > 3 * innerHeight) out.far.push([el.dataset.win, drawn]);
  }
  return out;
}"""


def lines(ui, eid, count, points=3, traces=1):
    """Create `count` line windows w0..w<count-1> (each `traces` traces of `points` points)."""
    xs = list(range(points))
    for i in range(count):
        data = [
            {"x": xs, "y": [i + t + v % 7 for v in xs], "name": f"t{t}", "type": "scatter"}
            for t in range(traces)
        ]
        body = {"eid": eid, "win": f"w{i}", "opts": {"title": f"w{i}"}, "layout": {}, "data": data}
        ui.post("events", body)


def test_far_window_is_drawn_when_scrolled_to(ui):
    lines(ui, "lazy1", 30)
    ui.open("/env/lazy1")
    ui.wait(DRAWN, "w0")
    assert ui.page.evaluate("document.body.dataset.windows") == "30"
    places = ui.page.evaluate(PLACES)
    assert "w29" in [win for win, _ in places["far"]]
    # Far below the fold: nothing drawn, not even an empty plot element.
    assert ui.page.evaluate(BODY, "w29") == 0
    assert ui.pane("w29").get_attribute("data-drawn") is None
    assert ui.pane("w0").get_attribute("data-drawn") == "true"

    ui.pane("w29").scroll_into_view_if_needed()
    ui.wait(DRAWN, "w29")
    assert ui.pane("w29").get_attribute("data-drawn") == "true"
    assert ui.page.evaluate(f"({GD})('w29').data[0].y") == [29, 30, 31]
    assert ui.pane("w29").locator(".pane-download").count() == 2  # buttons of a drawn plot


def test_first_screen_is_drawn_while_far_windows_are_not(ui):
    lines(ui, "lazy50", 50, points=2000, traces=2)
    ui.open("/env/lazy50")

    def first_screen():
        places = ui.page.evaluate(PLACES)
        return places if places["screen"] and all(d for _, d in places["screen"]) else None

    places = _poll(first_screen)
    assert len(places["screen"]) >= 6  # three windows a row, more than two rows on screen
    assert len(places["far"]) >= 20
    assert not any(drawn for _, drawn in places["far"]), places["far"]
    first = places["screen"][0][0]
    assert ui.page.evaluate(f"({GD})('{first}').data.map(t => t.x.length)") == [2000, 2000]

    # Scrolling down draws every window, screen by screen (windows left far behind give
    # their plots back, so the count is of windows seen drawn while on screen).
    seen = set()
    for _ in range(60):
        seen |= {win for win, drawn in ui.page.evaluate(PLACES)["screen"] if drawn}
        if len(seen) == 50:
            break
        ui.page.mouse.wheel(0, 700)
        _poll(lambda: all(d for _, d in ui.page.evaluate(PLACES)["screen"]))
    assert len(seen) == 50


def test_live_appends_to_an_undrawn_window_show_once_drawn(ui):
    lines(ui, "lazy2", 30)
    ui.open("/env/lazy2")
    ui.wait(DRAWN, "w0")
    assert ui.page.evaluate(BODY, "w29") == 0
    seq = ui.page.evaluate("visdomPage.workspace.seq.get('lazy2')")
    append = {"eid": "lazy2", "win": "w29", "name": "t0", "append": True, "opts": {}}
    for step in range(3, 6):
        data = [{"x": [step], "y": [100 + step], "name": "t0", "type": "scatter"}]
        ui.post("update", {**append, "data": data})
    # A named append to a trace the window does not have yet adds one.
    new = [{"x": [0, 1], "y": [7, 8], "name": "late", "type": "scatter"}]
    ui.post("update", {**append, "name": "late", "data": new})
    ui.wait("(want) => visdomPage.workspace.seq.get('lazy2') === want", seq + 4)
    # Still not drawn: the appends only grew the window's data.
    assert ui.page.evaluate(BODY, "w29") == 0
    assert ui.page.evaluate("visdomPage.workspace.resyncs") == 0

    ui.pane("w29").scroll_into_view_if_needed()
    ui.wait(DRAWN, "w29")
    data = ui.page.evaluate(f"({GD})('w29').data.map(t => [t.name, t.x, t.y])")
    assert data == [
        ["t0", [0, 1, 2, 3, 4, 5], [29, 30, 31, 103, 104, 105]],
        ["late", [0, 1], [7, 8]],
    ]
    # Appends after the draw extend the drawn plot as usual.
    data = [{"x": [6], "y": [106], "name": "t0", "type": "scatter"}]
    ui.post("update", {**append, "data": data})
    ui.wait(f"({GD})('w29').data[0].x.length === 7")
    assert ui.page.evaluate("visdomPage.workspace.resyncs") == 0


def _poll(predicate, timeout=30.0):
    return poll(predicate, timeout, "the windows on screen to be drawn")
