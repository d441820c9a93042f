"""How the page looks: synced hover, dark mode, narrow screens, LaTeX, small images.

docs/ui.md "Look"; issue 11 parts 3, 6 and 7.
"""

import pytest
import requests

from tests.support.ui import UI, VIEWPORT, png_data_url

PLOT = ".grid-stack-item[data-win='{}'] .plot-pane"


def lines(ui, eid, win, traces, title=None, layout=None):
    """A plot window of line traces ({name: (xs, ys)})."""
    data = [
        {"x": xs, "y": ys, "name": name, "type": "scatter", "mode": "lines"}
        for name, (xs, ys) in traces.items()
    ]
    body = {
        "eid": eid,
        "win": win,
        "opts": {"title": title or win},
        "layout": {"title": title or win, "showlegend": True, **(layout or {})},
        "data": data,
    }
    ui.post("events", body)


def wait_plotted(ui, *wins):
    for win in wins:
        ui.wait(
            "(sel) => document.querySelector(sel)?._fullLayout?._size",
            PLOT.format(win),
            timeout=20,
        )


def point_px(ui, win, x, y):
    """Page coordinates of data point (x, y) of a plot window."""
    return ui.page.evaluate(
        """([sel, x, y]) => {
            const gd = document.querySelector(sel);
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.getBoundingClientRect();
            return [box.left + xa._offset + xa.l2p(xa.d2l(x)),
                    box.top + ya._offset + ya.l2p(ya.d2l(y))];
        }""",
        [PLOT.format(win), x, y],
    )


def mark_of(ui, win):
    """The synced-hover mark shown on a window: {x, rows: [[name, value]...]} or None."""
    return ui.page.evaluate(
        """(win) => {
            const m = document.querySelector(`.grid-stack-item[data-win='${win}'] .hover-sync`);
            if (!m || m.hidden) return null;
            const rows = [...m.querySelectorAll('.hover-sync-row')]
                .map((r) => [r.dataset.name, Number(r.dataset.value)]);
            const line = m.querySelector('.hover-sync-line').getBoundingClientRect();
            return {x: m.dataset.x, rows, line: [line.left, line.top, line.height]};
        }""",
        win,
    )


XS = list(range(21))


@pytest.fixture
def hover_env(ui):
    # A: hovermode "x", so that the pointer's height is free (it orders the other tooltips).
    lines(ui, "hov", "A", {"a": (XS, [x * x for x in XS])}, layout={"hovermode": "x"})
    lines(ui, "hov", "B", {"b1": (XS, [2 * x for x in XS]), "b2": (XS, [100 - x for x in XS])})
    dates = [f"2024-01-{d:02d}" for d in range(1, 22)]
    lines(ui, "hov", "D", {"d": (dates, XS)})
    ui.open("/env/hov")
    wait_plotted(ui, "A", "B", "D")
    return ui


def test_hover_marks_the_same_x_in_other_plots_with_every_value_nearest_first(hover_env):
    ui = hover_env
    page = ui.page
    assert page.get_by_label("Sync hover").is_checked()
    # Pointer near the top of A's plot area at x = 10: b2 (90) is nearest the top in B.
    x, _ = point_px(ui, "A", 10, 0)
    top = point_px(ui, "A", 0, 390)[1]
    page.mouse.move(x, top)
    mark = ui.wait(
        "(w) => { const m = document.querySelector("
        "`[data-win='${w}'] .hover-sync`); return m && !m.hidden && m.dataset.x; }",
        "B",
    )
    assert mark == "10"
    got = mark_of(ui, "B")
    assert got["rows"] == [["b2", 90], ["b1", 20]]
    # The line stands at x = 10 of B.
    bx, _ = point_px(ui, "B", 10, 0)
    assert abs(got["line"][0] - bx) < 2
    assert got["line"][2] > 50
    # D's x axis holds dates: not the same kind of x, no mark.
    assert mark_of(ui, "D") is None
    # Pointer near the bottom at x = 4: b1 (8) first now.
    x4, _ = point_px(ui, "A", 4, 0)
    bottom = point_px(ui, "A", 0, 10)[1]
    page.mouse.move(x4, bottom)
    ui.wait("() => document.querySelector(\"[data-win='B'] .hover-sync\").dataset.x === '4'")
    assert mark_of(ui, "B")["rows"] == [["b1", 8], ["b2", 96]]
    # Leaving the plot takes the marks away.
    page.mouse.move(2, 2)
    ui.wait("() => document.querySelector(\"[data-win='B'] .hover-sync\").hidden")


def test_hover_on_decimated_traces_reads_the_points_drawn(ui):
    n = 200_000
    xs = list(range(n))
    ys = [float(i % 1000) for i in xs]
    lines(ui, "hovbig", "big", {"saw": (xs, ys)})
    lines(
        ui, "hovbig", "small", {"s": ([0, 100_000, 199_999], [1, 2, 3])}, layout={"hovermode": "x"}
    )
    ui.open("/env/hovbig")
    wait_plotted(ui, "big", "small")
    drawn = ui.page.evaluate(
        f'() => document.querySelector("{PLOT.format("big")}").data[0].x.length'
    )
    assert drawn < n  # decimated
    x, y = point_px(ui, "small", 100_000, 2)
    ui.page.mouse.move(x, y)
    ui.wait("() => !document.querySelector(\"[data-win='big'] .hover-sync\")?.hidden")
    got = mark_of(ui, "big")
    assert got["x"] == "100000"
    [[name, value]] = got["rows"]
    # The value of the drawn point nearest x = 100000.
    expect = ui.page.evaluate(
        """(sel) => { const t = document.querySelector(sel).data[0];
            let best = 0; for (let i = 0; i < t.x.length; i++)
              if (Math.abs(t.x[i] - 100000) < Math.abs(t.x[best] - 100000)) best = i;
            return t.y[best]; }""",
        PLOT.format("big"),
    )
    assert (name, value) == ("saw", expect)


def test_sync_hover_toggle_turns_it_off_and_is_kept(hover_env):
    ui = hover_env
    page = ui.page
    page.get_by_label("Sync hover").uncheck()
    x, y = point_px(ui, "A", 6, 36)
    page.mouse.move(x, y)
    # A's own plotly hover label shows: the hover happened ...
    ui.wait("() => document.querySelector(\"[data-win='A'] .hoverlayer\")?.childElementCount > 0")
    page.wait_for_timeout(200)
    # ... and B shows no mark.
    assert mark_of(ui, "B") is None
    page.reload()
    ui.wait("() => document.body.dataset.loaded === 'hov'", timeout=15)
    assert not page.get_by_label("Sync hover").is_checked()
    page.get_by_label("Sync hover").check()
    wait_plotted(ui, "A", "B")
    page.mouse.move(*point_px(ui, "A", 6, 36))
    ui.wait("() => document.querySelector(\"[data-win='B'] .hover-sync\")?.dataset.x === '6'")


def colors(ui, win):
    return ui.page.evaluate(
        """(sel) => {
            const gd = document.querySelector(sel);
            return {theme: document.documentElement.dataset.theme,
                    body: getComputedStyle(document.body).backgroundColor,
                    paper: gd._fullLayout.paper_bgcolor,
                    font: gd._fullLayout.font.color};
        }""",
        PLOT.format(win),
    )


DARK_BG = "rgb(18, 20, 24)"
LIGHT_BG = "rgb(238, 240, 243)"


def test_dark_mode_follows_the_system_and_the_theme_toggle_overrides(ui):
    page = ui.page
    lines(ui, "dark", "P", {"a": ([0, 1, 2], [1, 3, 2])})
    page.emulate_media(color_scheme="dark")
    ui.open("/env/dark")
    wait_plotted(ui, "P")
    ui.wait(
        "() => document.querySelector(\"[data-win='P'] .plot-pane\")._fullLayout.paper_bgcolor === '#1c2026'"
    )
    got = colors(ui, "P")
    assert got == {"theme": "dark", "body": DARK_BG, "paper": "#1c2026", "font": "#d6dae0"}
    # The Theme toggle overrides the system: light, on the page and on the drawn plot.
    page.get_by_label("Theme").select_option("light")
    ui.wait(
        "() => document.querySelector(\"[data-win='P'] .plot-pane\")._fullLayout.paper_bgcolor === '#fff'"
    )
    assert colors(ui, "P")["body"] == LIGHT_BG
    # Kept across reloads, the system still saying dark.
    page.reload()
    ui.wait("() => document.body.dataset.loaded === 'dark'", timeout=15)
    wait_plotted(ui, "P")
    assert colors(ui, "P")["theme"] == "light"
    assert colors(ui, "P")["paper"] == "#fff"
    # Dark chosen on a light system: a window created now is dark from its first drawing.
    page.emulate_media(color_scheme="light")
    page.get_by_label("Theme").select_option("dark")
    lines(ui, "dark", "Q", {"q": ([0, 1], [0, 1])})
    wait_plotted(ui, "Q")
    assert colors(ui, "Q")["paper"] == "#1c2026"
    assert colors(ui, "Q")["body"] == DARK_BG
    # Back to "system" (light now): everything light again.
    page.get_by_label("Theme").select_option("system")
    ui.wait(
        "() => document.querySelector(\"[data-win='Q'] .plot-pane\")._fullLayout.paper_bgcolor === '#fff'"
    )
    assert colors(ui, "P")["body"] == LIGHT_BG


def test_a_window_with_its_own_template_keeps_it_in_dark_mode(ui):
    page = ui.page
    layout = {"template": {"layout": {"paper_bgcolor": "#abcdef"}}}
    lines(ui, "dark2", "T", {"a": ([0, 1], [1, 2])}, layout=layout)
    page.emulate_media(color_scheme="dark")
    ui.open("/env/dark2")
    wait_plotted(ui, "T")
    assert colors(ui, "T")["paper"] == "#abcdef"
    assert colors(ui, "T")["body"] == DARK_BG


@pytest.fixture
def narrow(browser_context, server):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 500, "height": 700})
    helper = UI(page, server)
    yield helper
    page.close()
    assert not helper.errors, helper.errors


def test_narrow_screen_stacks_windows_in_one_column(narrow):
    ui = narrow
    eid = "narrow"
    for i, win in enumerate(["W1", "W2", "W3", "W4"]):
        lines(ui, eid, win, {"a": ([0, 1, 2], [i, i + 1, i])})
    # Side by side on a wide screen: two rows of two (stored as a page would store a drag).
    layout = {"W1": [0, 0], "W2": [50, 0], "W3": [0, 30], "W4": [50, 30]}
    ui.open("/env/" + eid)
    ui.page.evaluate(
        """async (layout) => {
            const ws = window.visdomPage.workspace;
            for (const [win, [x, y]] of Object.entries(layout))
              await ws.emit('layout_item_update', {win, layout: {x, y, w: 50, h: 28}});
        }""",
        layout,
    )
    ui.open("/env/" + eid)
    wait_plotted(ui, "W1")  # the others are drawn as they are scrolled to
    boxes = ui.page.evaluate(
        """() => [...document.querySelectorAll('.grid-stack-item')].map((el) => {
            const r = el.getBoundingClientRect();
            return {win: el.dataset.win, left: r.left, top: r.top, width: r.width,
                    bottom: r.bottom, x: el.gridstackNode.x};
        })"""
    )
    boxes.sort(key=lambda b: b["top"])
    # One column, in reading order, full width, none overlapping.
    assert [b["win"] for b in boxes] == ["W1", "W2", "W3", "W4"]
    assert len({round(b["left"]) for b in boxes}) == 1
    assert all(b["width"] > 450 for b in boxes), boxes
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["bottom"] <= below["top"] + 0.5
    # The grid keeps its two-column layout (nothing saved, a wide screen shows it as before).
    assert sorted(b["x"] for b in boxes) == [0, 0, 50, 50]
    stored = requests.get(ui.server.url + f"/api/env/{eid}", timeout=5).json()["reload"]
    assert stored["W2"]["x"] == 50
    # Every window is reached by scrolling, and its plot fits the narrow width.
    for b in boxes:
        item = ui.page.locator(f".grid-stack-item[data-win='{b['win']}']")
        item.scroll_into_view_if_needed()
        box = item.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 700 + 1
        ui.wait(
            "(sel) => { const gd = document.querySelector(sel);"
            " return gd._fullLayout && gd._fullLayout.width <= gd.parentElement.clientWidth + 1; }",
            PLOT.format(b["win"]),
        )
    # Wide again: side by side as stored.
    ui.page.set_viewport_size(VIEWPORT)
    ui.wait(
        "() => { const r = (w) => document.querySelector(`[data-win='${w}']`).getBoundingClientRect();"
        " return Math.abs(r('W1').top - r('W2').top) < 1 && r('W2').left > r('W1').right - 1; }"
    )


def test_latex_title_is_typeset_offline(ui):
    page = ui.page
    requested = []
    page.on("request", lambda req: requested.append(req.url))
    lines(ui, "tex", "plain", {"a": ([0, 1], [1, 2])}, title="no math here")
    ui.open("/env/tex")
    wait_plotted(ui, "plain")
    # No LaTeX on the page: MathJax is not loaded.
    assert page.evaluate("() => typeof window.MathJax") == "undefined"
    lines(
        ui,
        "tex",
        "math",
        {"a": ([0, 1], [1, 2])},
        title="$\\alpha^2$",
        layout={"xaxis": {"title": "$x_1$"}},
    )
    sel = ".grid-stack-item[data-win='math'] .plot-pane"
    ui.wait(f'() => document.querySelector("{sel} .gtitle-math")', timeout=20)
    # MathJax's SVG output, with the glyphs drawn (paths), in the title and the axis title.
    got = page.evaluate(
        f"""() => {{
            const gd = document.querySelector("{sel}");
            const title = gd.querySelector('.gtitle-math');
            const x = gd.querySelector('.g-xtitle-math, [class*="xtitle-math"]');
            return {{version: window.MathJax.version, titlePaths: title.querySelectorAll('path, use').length,
                     xtitle: Boolean(x),
                     rawShown: [...gd.querySelectorAll('text.gtitle')]
                        .filter((t) => getComputedStyle(t).display !== 'none').length}};
        }}"""
    )
    assert got["version"].startswith("3.")
    assert got["titlePaths"] > 0
    assert got["xtitle"]
    assert got["rawShown"] == 0  # the TeX source is not shown as text
    assert any("/static/" in u and u.endswith("/vendor/mathjax-tex-svg.js") for u in requested)
    outside = [
        u for u in requested if not u.startswith(ui.server.url) and not u.startswith("data:")
    ]
    assert outside == []


def test_small_image_is_scaled_up_with_crisp_pixels_and_keeps_its_close_button(ui):
    page = ui.page
    src = png_data_url(28, 28)
    data = [{"content": {"src": src, "caption": ""}, "type": "image"}]
    # As upstream's client sends it: width/height are the image's own pixel size.
    opts = {"title": "a digit with a long title", "width": 28, "height": 28}
    ui.post("events", {"eid": "img", "win": "D", "opts": opts, "data": data})
    ui.open("/env/img")
    ui.wait("() => document.querySelector('[data-win=D] img')?.naturalWidth === 28")
    ui.wait("() => document.querySelector('[data-win=D] img').getBoundingClientRect().width >= 112")
    img = page.evaluate(
        """() => { const img = document.querySelector('[data-win=D] img');
            const r = img.getBoundingClientRect();
            return {w: r.width, h: r.height, rendering: getComputedStyle(img).imageRendering}; }"""
    )
    assert img["w"] >= 4 * 28 and img["w"] == img["h"]
    assert img["w"] % 28 == 0  # a whole scale: every image pixel is the same size
    assert img["rendering"] == "pixelated"
    close_is_visible(ui, "D")
    ui.pane("D").locator(".pane-close").click()
    ui.wait("() => !document.querySelector('[data-win=D]')")


def close_is_visible(ui, win):
    """The close button is inside its window, on top, and the title bar has room for it."""
    got = ui.page.evaluate(
        """(win) => { const item = document.querySelector(`[data-win='${win}']`);
            const b = item.querySelector('.pane-close').getBoundingClientRect();
            const pane = item.querySelector('.pane').getBoundingClientRect();
            const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
            return {inside: b.left >= pane.left && b.right <= pane.right, width: b.width,
                    onTop: Boolean(hit?.closest('.pane-close'))}; }""",
        win,
    )
    assert got == {"inside": True, "width": got["width"], "onTop": True}
    assert got["width"] > 8


def test_no_window_is_narrower_than_its_title_bar_buttons(ui):
    page = ui.page
    lines(ui, "thin", "P", {"a": ([0, 1], [1, 2])}, title="a plot squeezed to nothing")
    ui.open("/env/thin")
    wait_plotted(ui, "P")
    # A layout (another page's, or an old env file's) two columns wide: 28 px.
    page.evaluate(
        "() => window.visdomPage.workspace.onLayout({eid: 'thin', win: 'P',"
        " layout: {x: 0, y: 0, w: 2, h: 20},"
        " seq: window.visdomPage.workspace.seq.get('thin') + 1})"
    )
    ui.wait(
        "() => { const item = document.querySelector('[data-win=P]');"
        " const bar = item.querySelector('.pane-buttons').getBoundingClientRect();"
        " return item.getBoundingClientRect().width >= bar.width + 40; }"
    )
    close_is_visible(ui, "P")
    # The downloads are still there too.
    assert ui.pane("P").locator(".pane-download").count() == 2


def test_pure_functions(ui):
    ui.text("lookmod", "T", "x")
    ui.open("/env/lookmod")
    has_tex = "return arg.map((l) => m.hasTex(l));"
    layouts = [
        {"title": "loss"},
        {"title": "$\\alpha$"},
        {"title": {"text": "a $b$ c"}},
        {"yaxis2": {"title": {"text": "$y$"}}},
        {"scene": {"zaxis": {"title": "$z$"}}},
        {"title": "costs $5"},
        {"xaxis": {"title": "5$ and 6"}},
    ]
    assert ui.module("lib/mathjax.js", has_tex, layouts) == [
        False,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    sizes = ui.module(
        "panes/image/image.js",
        "return arg.map((w) => m.displaySize(w));",
        [
            {"width": 28, "height": 28},
            {"width": 64, "height": 32},
            {"width": 640, "height": 480},
            {},
        ],
    )
    assert sizes == [
        {"width": 224, "height": 224},
        {"width": 256, "height": 128},
        {"width": 640, "height": 480},
        None,
    ]
    scales = ui.module(
        "panes/image/image.js",
        "return arg.map((a) => m.fitScale(...a));",
        [[28, 28, 250, 300], [100, 50, 80, 100], [10, 10, 10, 10]],
    )
    assert scales == [8, 0.8, 1]
