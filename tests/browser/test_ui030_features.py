"""The UI features of visdom 0.3.0 (issue 10, part 2): toasts, comments, undo, plot_history,
shapes, SliderMoved, upload, save all, show all."""

import json
import os

import requests

from tests.support.server import ServerProcess
from tests.support.ui import png_data_url
from tests.support.waiting import poll


def win_data(ui, eid, win):
    resp = requests.post(
        f"{ui.server.url}/win_data", data=json.dumps({"eid": eid, "win": win}), timeout=10
    )
    assert resp.status_code == 200, resp.text
    return json.loads(resp.text)


def toasts(page):
    return page.evaluate(
        "[...document.querySelectorAll('#toasts .toast')].map(t => [t.dataset.level, t.textContent])"
    )


def second_page(ui, path):
    page = ui.page.context.new_page()
    page.goto(ui.server.url + path)
    poll(lambda: page.evaluate("document.body.dataset.loaded"), 15, "the second page")
    return page


# ---- toasts -----------------------------------------------------------------------------


def test_event_to_a_missing_window_shows_a_toast(ui):
    ui.text("f_t1", "T", "x")
    page = ui.open("/env/f_t1")
    page.evaluate(
        "window.visdomPage.workspace.send('gone_win', {event_type: 'KeyPress', key: 'a', key_code: 65})"
    )
    shown = poll(lambda: toasts(page), what="a toast")
    assert len(shown) == 1, shown  # the notification and the error ack: told once
    level, text = shown[0]
    assert level in ("warning", "error") and "gone_win" in text


def test_server_notification_and_click_to_dismiss(ui):
    ui.text("f_t2", "T", "x")
    page = ui.open("/env/f_t2")
    page.evaluate(
        "import(new URL('../lib/toast.js', document.querySelector('script[type=module]').src))"
        ".then(m => m.showNotification({level: 'warning', message: '<b>careful</b>'}))"
    )
    toast = page.locator("#toasts .toast")
    assert toast.text_content() == "<b>careful</b>"  # text, never HTML
    assert toast.get_attribute("data-level") == "warning"
    toast.click()
    assert toast.count() == 0


def test_unreadable_env_file_shows_a_toast(browser_context):
    # An env file cut short.
    srv = ServerProcess(envs={"broken": '{"jsons": {"T": '}).start()
    page = browser_context.new_page()
    try:
        page.goto(srv.url + "/env/broken")
        shown = poll(lambda: toasts(page), 15, "a toast")
        assert any(level == "error" and "broken" in text for level, text in shown), shown
    finally:
        page.close()
        srv.close()


# ---- comments ---------------------------------------------------------------------------


def test_comment_is_edited_in_place_saved_and_sent_live(ui):
    ui.text("f_c1", "T", "x", title="notes")
    ui.open("/env/f_c1")
    other = second_page(ui, "/env/f_c1")
    try:
        pane = ui.pane("T")
        assert not pane.locator(".pane-comment").is_visible()
        pane.locator("[data-action=comment]").click()
        box = pane.locator(".comment-input")
        box.fill("good run")
        box.press("Enter")
        assert pane.locator(".comment-text").text_content() == "good run"
        stored = poll(
            lambda: (lambda w: w if w.get("comment") == "good run" else None)(
                win_data(ui, "f_c1", "T")
            ),
            what="the comment stored",
        )
        assert stored["version"] >= 2
        # The other page gets it live.
        other.locator('[data-win="T"] .comment-text', has_text="good run").wait_for()
        # Escape cancels an edit.
        other.locator('[data-win="T"] .comment-text').click()
        other.locator('[data-win="T"] .comment-input').fill("oops")
        other.locator('[data-win="T"] .comment-input').press("Escape")
        assert other.locator('[data-win="T"] .comment-text').text_content() == "good run"
        # A comment is text: markup is shown as typed.
        pane.locator(".comment-text").click()
        pane.locator(".comment-input").fill("<i>x</i> & y")
        pane.locator(".comment-input").press("Enter")
        other.locator('[data-win="T"] .comment-text', has_text="<i>x</i> & y").wait_for()
        assert other.locator('[data-win="T"] .pane-comment i').count() == 0
    finally:
        other.close()


# ---- undo -------------------------------------------------------------------------------


def test_undo_reopens_closed_windows(ui):
    ui.text("f_u1", "A", "first", title="A")
    ui.text("f_u1", "B", "second", title="B")
    page = ui.open("/env/f_u1")
    undo = page.locator("#env-undo")
    assert undo.is_disabled()
    ui.pane("A").locator("[data-action=close]").click()
    ui.pane("B").locator("[data-action=close]").click()
    ui.wait("() => document.getElementById('env-undo').dataset.count === '2'")
    assert ui.pane("A").count() == 0 and ui.pane("B").count() == 0
    undo.click()
    ui.pane("B").locator(".text-pane", has_text="second").wait_for()
    ui.wait("() => document.getElementById('env-undo').dataset.count === '1'")
    # A page opened now gets the count with its join.
    other = second_page(ui, "/env/f_u1")
    try:
        poll(lambda: other.evaluate("document.getElementById('env-undo').dataset.count") == "1")
        assert not other.locator("#env-undo").is_disabled()
        undo.click()
        ui.pane("A").locator(".text-pane", has_text="first").wait_for()
        other.locator('[data-win="A"] .text-pane', has_text="first").wait_for()
        ui.wait("() => document.getElementById('env-undo').disabled")
        poll(lambda: other.evaluate("document.getElementById('env-undo').disabled"))
    finally:
        other.close()


# ---- plot_history -----------------------------------------------------------------------


def frame(ys, caption):
    trace = {"x": list(range(len(ys))), "y": ys, "type": "scatter", "mode": "lines"}
    return {"data": [trace], "layout": {"title": "hist"}, "caption": caption}


def test_plot_history_pane_and_its_slider(ui):
    body = {"eid": "f_h1", "win": "H", "opts": {"title": "hist", "store_history": True}}
    first = [{"type": "plot_history", "content": frame([1, 2], "epoch 0")}]
    ui.post("events", {**body, "data": first})
    page = ui.open("/env/f_h1")
    pane = ui.pane("H")
    pane.locator(".main-svg").first.wait_for()
    assert pane.locator(".plot-history-caption").text_content() == "epoch 0"
    assert not pane.locator(".plot-history-slider").is_visible()  # one frame: no slider
    for i, ys in ((1, [5, 6, 7]), (2, [9, 8, 7, 6])):
        more = [{"type": "plot_history", "content": frame(ys, f"epoch {i}")}]
        ui.post("update", {**body, "data": more})
    ui.wait(
        "() => document.querySelector('[data-win=H] .plot-history-caption').textContent"
        " === 'epoch 2'"
    )
    ys = "() => document.querySelector('[data-win=H] .plot-pane').data[0].y"
    poll(lambda: page.evaluate(ys) == [9, 8, 7, 6], what="the last frame drawn")
    slider = pane.locator(".plot-history-slider")
    assert slider.is_visible() and slider.get_attribute("max") == "2"
    slider.fill("0")
    assert pane.locator(".plot-history-caption").text_content() == "epoch 0"
    poll(lambda: page.evaluate(ys) == [1, 2], what="frame 0 drawn")
    slider.fill("1")
    poll(lambda: page.evaluate(ys) == [5, 6, 7], what="frame 1 drawn")
    assert [b.upper() for b in pane.locator(".pane-download").all_text_contents()] == ["SVG", "PNG"]


# ---- shapes -----------------------------------------------------------------------------


def test_shapes_drawn_on_a_plot_are_kept(ui):
    ui.line("f_s1", "L", [0, 1, 2, 3], [0, 3, 1, 2], title="draw here")
    page = ui.open("/env/f_s1")
    pane = ui.pane("L")
    pane.locator(".main-svg").first.wait_for()
    pane.hover()
    pane.locator('.modebar-btn[data-val="drawrect"]').click()
    area = pane.locator(".nsewdrag").first.bounding_box()
    x0, y0 = area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.3
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 40, y0 + 30, steps=5)
    page.mouse.move(x0 + 80, y0 + 50, steps=5)
    page.mouse.up()
    stored = poll(
        lambda: win_data(ui, "f_s1", "L")["content"]["layout"].get("shapes"),
        what="the shape stored",
    )
    assert len(stored) == 1 and stored[0]["type"] == "rect"
    # A new page draws it again.
    page.reload()
    ui.wait("() => document.body.dataset.loaded === 'f_s1'")
    shapes = "() => document.querySelector('[data-win=L] .plot-pane')?.layout?.shapes?.length"
    poll(lambda: page.evaluate(shapes) == 1, what="the shape redrawn")


# ---- SliderMoved ------------------------------------------------------------------------


def test_image_history_slider_sends_slider_moved(ui, subscribe):
    srcs = [png_data_url(8, 8, c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    body = {"eid": "f_sl1", "win": "H", "opts": {"title": "hist", "store_history": True}}
    content = {"src": srcs[0], "caption": "0"}
    ui.post("events", {**body, "data": [{"content": content, "type": "image_history"}]})
    for i in (1, 2):
        content = {"src": srcs[i], "caption": str(i)}
        ui.post("update", {**body, "data": [{"content": content, "type": "image_history"}]})
    sub = subscribe("f_sl1")
    ui.open("/env/f_sl1")
    slider = ui.pane("H").locator(".image-slider")
    slider.fill("1")
    ev = sub.next("SliderMoved")
    assert (ev["target"], ev["eid"], ev["index"], ev["pane_data"]) == ("H", "f_sl1", 1, False)
    slider.fill("0")
    assert sub.next("SliderMoved")["index"] == 0


# ---- upload, save all, show all -----------------------------------------------------------


def test_upload_an_env_file(ui, tmp_path):
    ui.text("f_up0", "T", "x")
    page = ui.open("/env/f_up0")
    window = {
        "command": "window",
        "id": "W",
        "title": "from a file",
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": "c1",
        "type": "text",
        "content": "uploaded text",
        "i": 0,
    }
    path = tmp_path / "myrun.json"
    path.write_text(json.dumps({"jsons": {"W": window}, "reload": {}}), encoding="utf-8")
    page.locator("#env-upload-file").set_input_files(str(path))
    ui.pane("W").locator(".text-pane", has_text="uploaded text").wait_for()
    eid = page.evaluate("document.body.dataset.loaded")
    assert eid.startswith("uploaded_myrun_")
    assert page.url.endswith("/env/" + eid)
    assert any(level == "success" for level, _ in toasts(page))
    # A file that is not an env: an error toast, and the page stays.
    bad = tmp_path / "bad.json"
    bad.write_text('{"nope": 1}', encoding="utf-8")
    page.locator("#env-upload-file").set_input_files(str(bad))
    poll(lambda: any(lvl == "error" and "bad.json" in t for lvl, t in toasts(page)))
    assert page.evaluate("document.body.dataset.loaded") == eid


def test_save_all_writes_every_env(ui):
    ui.text("f_sa1", "T", "x")
    ui.text("f_sa2", "T", "y")
    page = ui.open("/env/f_sa1")
    page.locator("#save-all").click()
    poll(lambda: any(level == "success" for level, _ in toasts(page)), what="a toast")
    for eid in ("f_sa1", "f_sa2"):
        assert os.path.exists(os.path.join(ui.server.env_path, f"{eid}.json")), eid


def test_show_all_windows_in_a_compare_view(ui):
    ui.line("f_sh1", "L", [0, 1], [1, 2], title="loss")
    ui.line("f_sh2", "L", [0, 1], [2, 1], title="loss")
    ui.text("f_sh1", "N1", "only in one", title="note one")
    ui.text("f_sh2", "N2", "only in two", title="note two")
    page = ui.open("/compare/f_sh1+f_sh2")
    toggle = page.locator("#show-all")
    assert toggle.is_visible() and not toggle.is_checked()
    count = "() => document.querySelectorAll('#grid .grid-stack-item').length"
    before = page.evaluate(count)
    assert page.locator(".text-pane", has_text="only in one").count() == 0
    toggle.check()
    page.locator(".text-pane", has_text="only in one").wait_for()
    page.locator(".text-pane", has_text="only in two").wait_for()
    assert page.evaluate(count) > before
    toggle.uncheck()
    poll(lambda: page.locator(".text-pane", has_text="only in one").count() == 0)


def test_single_env_page_hides_the_compare_toggle(ui):
    ui.text("f_sh3", "T", "x")
    page = ui.open("/env/f_sh3")
    assert not page.locator("#show-all").is_visible()
    assert page.locator("#env-undo").is_visible()
