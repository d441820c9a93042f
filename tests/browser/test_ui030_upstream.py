"""Upstream UI behaviours (visdom's own browser tests) tried against our UI (issue 10, part 5)."""

import base64
import io
import json
from pathlib import Path

import requests

from tests.support.ui import png_data_url
from tests.support.waiting import poll

PROPS = [
    {"type": "text", "name": "name", "value": "v"},
    {"type": "checkbox", "name": "flag", "value": True},
]


def jpeg_data_url(width, height):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def image(ui, eid, win, src, title="img"):
    data = [{"content": {"src": src, "caption": ""}, "type": "image"}]
    ui.post("events", {"eid": eid, "win": win, "opts": {"title": title}, "data": data})


def img_rect(ui, win):
    return ui.page.evaluate(
        "(win) => { const r = document.querySelector(`[data-win='${win}'] .image-img`)"
        ".getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; }",
        win,
    )


def wait_image(ui, win):
    ui.wait(
        "(win) => document.querySelector(`[data-win='${win}'] .image-img`)?.naturalWidth > 0",
        win,
    )


def test_connection_badge_disconnects_and_reconnects(ui):
    ui.text("u5a", "T1", "first")
    page = ui.open("/env/u5a")
    ui.wait("() => document.body.dataset.connection === 'online'")
    badge = page.locator("#connection")
    badge.click()
    ui.wait("() => document.body.dataset.connection === 'offline'")
    assert "reconnect" in badge.get_attribute("title")
    # While disconnected by hand, nothing arrives (and socket.io does not reconnect alone).
    ui.text("u5a", "T2", "second")
    page.wait_for_timeout(1500)
    assert ui.pane("T2").count() == 0
    assert page.evaluate("document.body.dataset.connection") == "offline"
    badge.click()
    ui.wait("() => document.body.dataset.connection === 'online'")
    # Reconnecting resyncs the env: the window created meanwhile shows up.
    ui.pane("T2").locator(".text-pane", has_text="second").wait_for()


def test_dragging_an_image_pans_it_without_a_click_event(ui, subscribe):
    image(ui, "u5b", "I", png_data_url(60, 40))
    sub = subscribe("u5b")
    page = ui.open("/env/u5b")
    wait_image(ui, "I")
    before = img_rect(ui, "I")
    cx, cy = before["x"] + before["w"] / 2, before["y"] + before["h"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 15, cy + 10, steps=3)
    page.mouse.move(cx + 40, cy + 25, steps=5)
    page.mouse.up()
    after = img_rect(ui, "I")
    assert abs(after["x"] - before["x"] - 40) < 1.5, (before, after)
    assert abs(after["y"] - before["y"] - 25) < 1.5, (before, after)
    assert abs(after["w"] - before["w"]) < 0.5  # panning does not zoom
    # The press that panned is not a click; a plain click afterwards is.
    page.mouse.click(after["x"] + 2, after["y"] + 2)
    ev = sub.next("Click")
    assert ev["image_coord"]["x"] <= 2 and ev["image_coord"]["y"] <= 2, ev
    try:
        extra = sub.next("Click", timeout=1)
    except Exception:  # queue.Empty: exactly one Click was sent
        extra = None
    assert extra is None, extra


def test_ctrl_scroll_zooms_about_the_mouse_pointer(ui):
    image(ui, "u5c", "I", png_data_url(80, 60))
    page = ui.open("/env/u5c")
    wait_image(ui, "I")
    r0 = img_rect(ui, "I")
    # A point a quarter across and a third down the image, off its centre.
    mx, my = r0["x"] + 0.25 * r0["w"], r0["y"] + r0["h"] / 3
    page.mouse.move(mx, my)
    page.keyboard.down("Control")
    for _ in range(4):
        page.mouse.wheel(0, -100)
    # 1.1**4 = 1.46
    r1 = poll(lambda: (lambda r: r if r["w"] > r0["w"] * 1.45 else None)(img_rect(ui, "I")))
    page.keyboard.up("Control")
    # The image point under the pointer stays under it.
    assert abs((mx - r1["x"]) / r1["w"] - 0.25) < 0.01, (r0, r1)
    assert abs((my - r1["y"]) / r1["h"] - 1 / 3) < 0.01, (r0, r1)
    # Zooming back out about another point keeps that one still too.
    stage = ui.pane("I").locator(".image-stage").bounding_box()
    mx2, my2 = stage["x"] + stage["width"] / 2 + 30, stage["y"] + stage["height"] / 2 - 15
    u, v = (mx2 - r1["x"]) / r1["w"], (my2 - r1["y"]) / r1["h"]
    page.mouse.move(mx2, my2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, 100)
    r2 = poll(lambda: (lambda r: r if r["w"] < r1["w"] else None)(img_rect(ui, "I")))
    page.keyboard.up("Control")
    assert abs((mx2 - r2["x"]) / r2["w"] - u) < 0.01, (r1, r2)
    assert abs((my2 - r2["y"]) / r2["h"] - v) < 0.01, (r1, r2)


def test_double_click_on_the_resize_grip_restores_the_previous_size(ui):
    ui.text("u5d", "T", "resize me")
    page = ui.open("/env/u5d")
    size = (
        "(win) => { const n = document.querySelector(`[data-win='${win}']`).gridstackNode;"
        " return [n.w, n.h]; }"
    )
    w0, h0 = page.evaluate(size, "T")
    pane = ui.pane("T")
    pane.hover()
    grip = pane.locator(".ui-resizable-se")
    box = grip.bounding_box()
    gx, gy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(gx, gy)
    page.mouse.down()
    page.mouse.move(gx + 60, gy + 40, steps=4)
    page.mouse.move(gx + 150, gy + 120, steps=6)
    page.mouse.up()
    w1, h1 = poll(lambda: (lambda s: s if s != [w0, h0] else None)(page.evaluate(size, "T")))
    assert w1 > w0 and h1 > h0
    pane.hover()
    grip.dblclick()
    ui.wait(f"() => {{ const s = ({size})('T'); return s[0] === {w0} && s[1] === {h0}; }}")
    # The reset is saved like any resize: a reload puts the window at its old size.
    reload = poll(
        lambda: (lambda r: r if r.get("w") == w0 and r.get("h") == h0 else None)(
            requests.get(f"{ui.server.url}/api/env/u5d", timeout=10).json()["reload"].get("T", {})
        ),
        what="the reset layout to be saved",
    )
    assert reload["w"] == w0
    # A second double-click goes back to the size before the reset.
    pane.hover()
    grip.dblclick()
    ui.wait(f"() => {{ const s = ({size})('T'); return s[0] === {w1} && s[1] === {h1}; }}")


def test_text_window_downloads_as_html(ui):
    html = '<h2>Results</h2><p>accuracy <b>0.93</b></p><img src="x" onerror="window.bad=1">'
    ui.text("u5e", "T", html, title="my notes")
    page = ui.open("/env/u5e")
    button = ui.pane("T").locator(".pane-download", has_text="HTML")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "my_notes.html"
    saved = Path(info.value.path()).read_text(encoding="utf-8")
    assert saved.startswith("<!doctype html>") and "<title>my notes</title>" in saved
    assert "<h2>Results</h2>" in saved and "<b>0.93</b>" in saved
    assert "onerror" not in saved  # sanitized, as on the page


def test_properties_window_downloads_as_json(ui):
    data = [{"content": PROPS, "type": "properties"}]
    ui.post("events", {"eid": "u5f", "win": "P", "opts": {"title": "settings"}, "data": data})
    page = ui.open("/env/u5f")
    button = ui.pane("P").locator(".pane-download", has_text="JSON")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "settings.json"
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == PROPS


def test_jpeg_image_download_says_jpeg(ui):
    image(ui, "u5g", "J", jpeg_data_url(16, 12), title="photo")
    image(ui, "u5g", "P", png_data_url(16, 12), title="drawing")
    page = ui.open("/env/u5g")
    jpeg = ui.pane("J").locator(".pane-download")
    assert jpeg.all_text_contents() == ["JPEG"]
    with page.expect_download() as info:
        jpeg.click()
    assert info.value.suggested_filename == "photo.jpg"
    assert Path(info.value.path()).read_bytes()[:3] == b"\xff\xd8\xff"
    assert ui.pane("P").locator(".pane-download").all_text_contents() == ["PNG"]
