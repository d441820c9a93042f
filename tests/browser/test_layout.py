"""Drag, resize, filter, views and repack; layout changes persist with the env."""

import requests

from tests.support.waiting import poll

NODE = (
    "(sel) => { const n = document.querySelector(sel).gridstackNode; return [n.x, n.y, n.w, n.h]; }"
)


def node(ui, win):
    return ui.page.evaluate(NODE, f'.grid-stack-item[data-win="{win}"]')


def drag(page, locator, dx, dy):
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + dx * i / 10, y + dy * i / 10)
    page.mouse.up()


def test_drag_and_resize_persist_across_reload(ui):
    ui.text("lay1", "A", "a", title="A")
    ui.text("lay1", "B", "b", title="B")
    page = ui.open("/env/lay1")
    before = node(ui, "A")
    # Drag A by its title bar to the right, well past B.
    drag(page, ui.pane("A").locator(".pane-bar"), 700, 0)
    ui.wait(f"({NODE})('[data-win=A]')[0] > {before[0] + 20}")
    moved = node(ui, "A")
    # Resize A from its bottom-right corner.
    ui.pane("A").hover()
    drag(page, ui.pane("A").locator(".ui-resizable-se"), 150, 120)
    ui.wait(f"({NODE})('[data-win=A]')[3] > {moved[3]}")
    after = node(ui, "A")
    assert after[2] > moved[2] and after[3] > moved[3]
    # The server stored it with the env ...
    page.wait_for_timeout(300)
    stored = requests.get(ui.server.url + "/api/env/lay1", timeout=5).json()["reload"]["A"]
    assert [stored[k] for k in ("x", "y", "w", "h")] == after
    # ... and a reload puts every window back where it was.
    b_before = node(ui, "B")
    ui.open("/env/lay1")
    assert node(ui, "A") == after
    assert node(ui, "B") == b_before


def test_filter_hides_and_restores(ui):
    for win, title in [("F1", "loss/train"), ("F2", "loss/val"), ("F3", "accuracy")]:
        ui.text("lay2", win, win, title=title)
    page = ui.open("/env/lay2")
    visible = "() => [...document.querySelectorAll('.grid-stack-item:not(.filtered)')].map(e => e.dataset.win).sort().join()"
    assert page.evaluate(visible) == "F1,F2,F3"
    original = {w: node(ui, w) for w in ("F1", "F2", "F3")}
    page.fill("#filter", "^loss")
    ui.wait(f"({visible})() === 'F1,F2'")
    assert not ui.pane("F3").is_visible()
    page.fill("#filter", "acc|val")
    ui.wait(f"({visible})() === 'F2,F3'")
    page.fill("#filter", "")
    ui.wait(f"({visible})() === 'F1,F2,F3'")
    assert {w: node(ui, w) for w in ("F1", "F2", "F3")} == original


def test_save_and_select_view(ui):
    ui.text("lay3", "V1", "one", title="one")
    ui.text("lay3", "V2", "two", title="two")
    page = ui.open("/env/lay3")
    first = node(ui, "V1")
    # Save the current layout as view "wide" after making V1 wider ...
    ui.pane("V1").hover()
    drag(page, ui.pane("V1").locator(".ui-resizable-e"), 300, 0)
    ui.wait(f"({NODE})('[data-win=V1]')[2] > {first[2]}")
    wide = node(ui, "V1")
    page.click("#view-save")
    page.fill("#view-name", "wide")
    page.click("#view-save-confirm")
    ui.wait("[...document.querySelectorAll('#view-select option')].some(o => o.value === 'wide')")
    views = requests.get(ui.server.url + "/api/views", timeout=5).json()
    assert views["lay3"]["wide"]["V1"][2] == wide[2]
    # ... shrink it again, then select the view: the saved size comes back.
    ui.pane("V1").hover()
    drag(page, ui.pane("V1").locator(".ui-resizable-e"), -300, 0)
    ui.wait(f"({NODE})('[data-win=V1]')[2] < {wide[2]}")
    page.select_option("#view-select", "")
    page.select_option("#view-select", "wide")
    ui.wait(f"({NODE})('[data-win=V1]')[2] === {wide[2]}")
    # A new page sees the saved view in its list.
    ui.open("/env/lay3")
    assert page.locator("#view-select option[value=wide]").count() == 1


def test_repack_keeps_order(ui):
    for i in range(3):
        ui.text("lay4", f"R{i}", str(i), title=f"r{i}")
    page = ui.open("/env/lay4")
    # Push R0 far right, then repack: order by row/column is R1, R2, R0 from the left.
    drag(page, ui.pane("R0").locator(".pane-bar"), 900, 0)
    ui.wait(f"({NODE})('[data-win=R0]')[0] > 40")
    page.click("#view-repack")
    page.wait_for_timeout(200)
    xs = {w: node(ui, w)[0] for w in ("R0", "R1", "R2")}
    assert xs["R1"] == 0
    assert xs["R1"] < xs["R2"] < xs["R0"]


def test_second_browser_follows_layout_and_views(ui, browser_context):
    ui.text("lay5", "A", "a", title="A")
    ui.text("lay5", "B", "b", title="B")
    page = ui.open("/env/lay5")
    other = browser_context.new_page()
    try:
        other.goto(ui.server.url + "/env/lay5")
        poll(lambda: other.evaluate("document.body.dataset.loaded"), what="the second page")
        start = other.evaluate(NODE, '[data-win="A"]')
        drag(page, ui.pane("A").locator(".pane-bar"), 700, 0)
        ui.wait(f"({NODE})('[data-win=A]')[0] > {start[0] + 20}")
        moved = node(ui, "A")
        poll(lambda: other.evaluate(NODE, '[data-win="A"]')[:2] == moved[:2], what="the move")
        # A view saved in the first page appears in the second page's list.
        page.click("#view-save")
        page.fill("#view-name", "shared")
        page.click("#view-save-confirm")
        other.locator("#view-select option[value=shared]").wait_for(state="attached")
    finally:
        other.close()
