"""Windows appear, grow and close live, without reloading the page."""


def test_window_appears_live(ui):
    ui.text("live1", "T", "hello <b>world</b>", title="notes")
    ui.open("/env/live1")
    assert ui.pane("T").locator(".text-pane").text_content() == "hello world"
    assert ui.pane("L").count() == 0
    ui.line("live1", "L", [0, 1, 2], [3, 1, 2], title="loss")
    pane = ui.pane("L")
    pane.locator(".plot-pane .main-svg").first.wait_for()
    assert pane.locator(".pane-title").text_content() == "loss"
    assert ui.page.locator(".grid-stack-item").count() == 2


def test_append_extends_trace_in_place(ui):
    ui.line("live2", "L", [0, 1, 2], [3, 1, 2], title="loss")
    page = ui.open("/env/live2")
    plot = ui.pane("L").locator(".plot-pane")
    plot.locator(".main-svg").first.wait_for()
    page.evaluate("document.querySelector('[data-win=L]').visdomMarker = 'original'")
    page.evaluate(
        "window.__redraws = 0;"
        "for (const fn of ['newPlot', 'react', 'redraw']) {"
        "  const orig = Plotly[fn];"
        "  Plotly[fn] = (...a) => { window.__redraws++; return orig(...a); };"
        "} true"
    )
    body = {
        "eid": "live2",
        "win": "L",
        "name": "a",
        "append": True,
        "opts": {},
        "layout": {},
        "data": [{"x": [3, 4], "y": [5, 6], "name": "a", "type": "scatter"}],
    }
    assert ui.post("update", body) == "L"
    ui.wait("document.querySelector('[data-win=L] .plot-pane').data[0].x.length === 5")
    x = page.evaluate("document.querySelector('[data-win=L] .plot-pane').data[0].x")
    assert x == [0, 1, 2, 3, 4]
    # The same pane element (and plot div) is still there: no re-creation, no full redraw.
    assert page.evaluate("document.querySelector('[data-win=L]').visdomMarker") == "original"
    assert page.evaluate("window.__redraws") == 0
    assert page.evaluate("document.querySelectorAll('[data-win=L]').length") == 1
    # A named append to an unknown trace adds a trace, still without a full redraw.
    ui.post(
        "update",
        {**body, "name": "b", "data": [{"x": [0, 1], "y": [1, 1], "name": "b", "type": "scatter"}]},
    )
    ui.wait("document.querySelector('[data-win=L] .plot-pane').data.length === 2")
    names = page.evaluate("document.querySelector('[data-win=L] .plot-pane').data.map(t => t.name)")
    assert names == ["a", "b"]
    assert page.evaluate("window.__redraws") == 0


def test_text_append_and_live_close(ui):
    ui.text("live3", "T", "first", title="log")
    ui.line("live3", "L", [0, 1], [1, 2], title="keep")
    ui.open("/env/live3")
    ui.pane("T").wait_for()
    ui.post("update", {"eid": "live3", "win": "T", "data": [{"content": "second", "type": "text"}]})
    ui.wait("document.querySelector('[data-win=T] .text-pane').textContent === 'firstsecond'")
    assert ui.pane("T").locator(".text-pane br").count() == 1
    ui.post("close", {"eid": "live3", "win": "T"})
    ui.pane("T").wait_for(state="detached")
    assert ui.pane("L").count() == 1


def test_close_button_sends_close_event(ui, subscribe):
    ui.text("live4", "T", "close me", title="closable")
    sub = subscribe("live4")
    ui.open("/env/live4")
    ui.pane("T").locator('[data-action="close"]').click()
    ev = sub.next("close")
    assert ev["target"] == "T"
    assert ev["eid"] == "live4"
    assert ev["pane_data"]["content"] == "close me"
    ui.pane("T").wait_for(state="detached")
    # The window is gone on the server too: a reload does not bring it back.
    ui.open("/env/live4")
    assert ui.pane("T").count() == 0


def test_connection_indicator(ui):
    ui.text("live5", "first", "first window")
    page = ui.open("/env/live5")
    assert page.locator("#connection").text_content() == "online"
    page.evaluate("window.visdomPage.socket.disconnect()")
    ui.wait("document.getElementById('connection').textContent === 'offline'")
    ui.text("live5", "T", "while offline", title="late")
    page.evaluate("window.visdomPage.socket.connect()")
    ui.wait("document.getElementById('connection').textContent === 'online'")
    # Resynced after reconnecting: the window sent while offline is shown.
    ui.pane("T").locator(".text-pane").wait_for()
    assert ui.pane("T").locator(".text-pane").text_content() == "while offline"


def test_env_created_after_the_page_opened(ui):
    page = ui.open("/env/live_late")
    assert page.evaluate("document.body.dataset.missing") == "true"
    assert "live_late" in page.locator("#empty-note").text_content()
    ui.text("live_late", "T", "now it exists", title="late")
    ui.pane("T").locator(".text-pane").wait_for()
    assert ui.pane("T").locator(".text-pane").text_content() == "now it exists"
    # The page shows no error for it any more.
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.dataset.missing") == ""


def test_page_reconnects_after_server_restart(ui):
    ui.text("live6", "T", "before restart", title="t")
    page = ui.open("/env/live6")
    ui.server.stop()
    ui.wait("document.getElementById('connection').textContent === 'offline'")
    ui.server.start()
    ui.wait("document.getElementById('connection').textContent === 'online'", timeout=20)
    # The env survived the restart and the page follows the new server's pushes.
    ui.text("live6", "T2", "after restart", title="t2")
    ui.pane("T2").locator(".text-pane").wait_for(timeout=15000)
    assert ui.pane("T").locator(".text-pane").text_content() == "before restart"
    assert page.locator(".grid-stack-item").count() == 2
