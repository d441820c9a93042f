"""A -readonly server on prepared env files: no mutating control, upstream layouts, user CSS."""

import os

import pytest

from .conftest import start_server, stop_server, text_window


@pytest.fixture(scope="module")
def server():
    env = {"jsons": {"T": text_window("T", "read me", "t")}, "reload": {}}
    # An env file as upstream visdom writes it: react-grid-layout items in `reload`.
    upstream = {
        "jsons": {"A": text_window("A", "a", "A", 0), "B": text_window("B", "b", "B", 1)},
        "reload": {
            "A": {"i": "A", "x": 50, "y": 0, "w": 30, "h": 20, "moved": False, "static": False},
            "B": {"i": "B", "x": 0, "y": 4, "w": 25, "h": 12, "moved": False, "static": False},
        },
    }
    srv = start_server("-readonly", envs={"ro": env, "up": upstream})
    with open(os.path.join(srv.env_path, "style.css"), "w", encoding="utf-8") as f:
        f.write(".brand { color: rgb(1, 2, 3); }\n")
    yield srv
    stop_server(srv)


def test_readonly_hides_mutating_controls(ui):
    page = ui.open("/")
    assert page.locator(".readonly-badge").is_visible()
    for sel in ("#env-clear", "#env-manage", "#view-save", "#view-delete", "#manage-dialog"):
        assert page.locator(sel).count() == 0, sel
    # The env selector, filter and repack stay usable.
    for sel in ("#env-button", "#filter", "#view-repack"):
        assert page.locator(sel).is_visible(), sel
    assert page.evaluate("JSON.parse(document.getElementById('page-data').textContent).readonly")


def test_readonly_panes_send_no_events(ui, subscribe):
    sub = subscribe("ro")
    page = ui.open("/env/ro")
    assert ui.pane("T").locator(".text-pane").text_content() == "read me"
    assert page.locator(".pane-close").count() == 0
    page.evaluate(
        "() => { const s = window.visdomPage.socket; const emit = s.emit.bind(s);"
        " window.__emitted = []; s.emit = (ev, ...a) => { window.__emitted.push(ev); return emit(ev, ...a); }; }"
    )
    ui.pane("T").locator(".text-pane").click()
    page.keyboard.press("a")
    # Dragging works locally but is not stored.
    bar = ui.pane("T").locator(".pane-bar").bounding_box()
    page.mouse.move(bar["x"] + 20, bar["y"] + 10)
    page.mouse.down()
    page.mouse.move(bar["x"] + 500, bar["y"] + 10, steps=8)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert sub.events.empty()
    assert page.evaluate("window.__emitted") == []
    reload = ui.page.request.get(ui.server.url + "/api/env/ro").json()["reload"]
    assert reload == {}


def test_upstream_layout_items_place_windows(ui):
    ui.open("/env/up")
    nodes = {
        win: ui.page.evaluate(
            "(w) => { const n = document.querySelector(`[data-win=${w}]`).gridstackNode;"
            " return [n.x, n.y, n.w, n.h]; }",
            win,
        )
        for win in ("A", "B")
    }
    # 100 columns, as upstream; B floats up to the top (upstream compacts vertically too).
    assert nodes == {"A": [50, 0, 30, 20], "B": [0, 0, 25, 12]}


def test_user_css_is_applied(ui):
    page = ui.open("/env/ro")
    color = page.evaluate("getComputedStyle(document.querySelector('.brand')).color")
    assert color == "rgb(1, 2, 3)"
