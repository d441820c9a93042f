"""Browser interactions reach the training code's handlers as upstream events."""

from tests.support.ui import png_data_url

PROPS = [
    {"type": "text", "name": "name", "value": "v"},
    {"type": "number", "name": "lr", "value": "0.1"},
    {"type": "button", "name": "go", "value": "Start"},
    {"type": "checkbox", "name": "flag", "value": True},
    {"type": "select", "name": "opt", "value": 1, "values": ["red", "green", "blue"]},
]


def test_property_edits_send_property_update(ui, subscribe):
    data = [{"content": PROPS, "type": "properties"}]
    ui.post("events", {"eid": "ev1", "win": "P", "opts": {"title": "props"}, "data": data})
    sub = subscribe("ev1")
    page = ui.open("/env/ev1")
    pane = ui.pane("P")

    pane.locator('[data-property-id="0"]').fill("hello")
    pane.locator('[data-property-id="0"]').press("Enter")
    ev = sub.next("PropertyUpdate")
    assert (ev["target"], ev["eid"], ev["propertyId"], ev["value"]) == ("P", "ev1", 0, "hello")
    assert ev["pane_data"]["type"] == "properties"

    pane.locator('[data-property-id="1"]').fill("0.5")
    page.keyboard.press("Tab")
    ev = sub.next("PropertyUpdate")
    assert (ev["propertyId"], ev["value"]) == (1, "0.5")

    pane.locator('[data-property-id="2"]').click()
    ev = sub.next("PropertyUpdate")
    assert (ev["propertyId"], ev["value"]) == (2, "clicked")

    pane.locator('[data-property-id="3"]').uncheck()
    ev = sub.next("PropertyUpdate")
    assert (ev["propertyId"], ev["value"]) == (3, False)

    pane.locator('[data-property-id="4"]').select_option("2")
    ev = sub.next("PropertyUpdate")
    assert (ev["propertyId"], ev["value"]) == (4, "2")


def test_key_press_on_focused_pane(ui, subscribe):
    ui.text("ev2", "T", "press keys here", title="keys")
    sub = subscribe("ev2")
    page = ui.open("/env/ev2")
    ui.pane("T").locator(".text-pane").click()
    page.keyboard.press("a")
    ev = sub.next("KeyPress")
    assert (ev["target"], ev["eid"], ev["key"], ev["key_code"]) == ("T", "ev2", "a", 65)
    assert ev["pane_data"]["content"] == "press keys here"
    page.keyboard.press("ArrowLeft")
    ev = sub.next("KeyPress")
    assert (ev["key"], ev["key_code"]) == ("ArrowLeft", 37)


def test_image_click_sends_image_coordinates(ui, subscribe):
    src = png_data_url(40, 20)
    content = {"src": src, "caption": "red"}
    data = [{"content": content, "type": "image"}]
    ui.post("events", {"eid": "ev3", "win": "I", "opts": {"title": "img"}, "data": data})
    sub = subscribe("ev3")
    page = ui.open("/env/ev3")
    img = ui.pane("I").locator("img.image-img")
    ui.wait("() => document.querySelector('[data-win=I] img').naturalWidth === 40")
    box = img.bounding_box()
    assert box["width"] > 40  # scaled up to fit the pane: coordinates must be rescaled
    # The middle of image pixel (30, 5) and of pixel (3, 17).
    for px, py in [(30, 5), (3, 17)]:
        page.mouse.click(
            box["x"] + (px + 0.5) * box["width"] / 40, box["y"] + (py + 0.5) * box["height"] / 20
        )
        ev = sub.next("Click")
        assert ev["target"] == "I"
        assert (ev["image_coord"]["x"], ev["image_coord"]["y"]) == (px, py)
        assert ev["image_coord"]["visibility"] in ("hidden", "visible")
    assert ui.pane("I").locator(".image-caption").text_content() == "red"


def test_image_zoom_pan_and_coordinates(ui):
    content = {"src": png_data_url(40, 20), "caption": ""}
    data = [{"content": content, "type": "image"}]
    ui.post("events", {"eid": "ev4", "win": "I", "opts": {"title": "img"}, "data": data})
    page = ui.open("/env/ev4")
    img = ui.pane("I").locator("img.image-img")
    ui.wait("() => document.querySelector('[data-win=I] img').naturalWidth === 40")
    before = img.bounding_box()
    box = ui.pane("I").locator(".image-stage").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    ui.wait(
        f"() => document.querySelector('[data-win=I] img').getBoundingClientRect().width > {before['width'] * 1.05}"
    )
    # Alt shows the image pixel under the mouse.
    page.keyboard.down("Alt")
    page.mouse.move(box["x"] + box["width"] / 2 + 1, box["y"] + box["height"] / 2)
    coords = ui.pane("I").locator(".image-coords")
    assert coords.is_visible()
    assert coords.text_content().startswith("x: ")
    # Alt-scroll pans.
    zoomed = img.bounding_box()
    page.mouse.wheel(0, 100)
    page.keyboard.up("Alt")
    ui.wait(
        f"() => document.querySelector('[data-win=I] img').getBoundingClientRect().y !== {zoomed['y']}"
    )
    # Double-click resets zoom and pan.
    ui.pane("I").locator(".image-stage").dblclick()
    ui.wait(
        f"() => Math.abs(document.querySelector('[data-win=I] img').getBoundingClientRect().width - {before['width']}) < 1"
    )
    assert abs(img.bounding_box()["y"] - before["y"]) < 1
