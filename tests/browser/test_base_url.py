"""The whole UI works under a -base_url prefix."""

import pytest

from .conftest import start_server, stop_server


@pytest.fixture(scope="module")
def server():
    srv = start_server(base_url="/pre/fix")
    yield srv
    stop_server(srv)


def test_page_assets_and_socket_under_prefix(ui, subscribe):
    requests_seen = []
    ui.page.on("request", lambda r: requests_seen.append(r.url))
    ui.text("pfx", "T", "prefixed", title="t")
    ui.line("pfx_two", "L", [0, 1], [1, 2], title="loss")
    sub = subscribe("pfx")
    page = ui.open("/env/pfx")
    assert page.locator("#connection").text_content() == "online"
    assert ui.pane("T").locator(".text-pane").text_content() == "prefixed"
    local = [u for u in requests_seen if u.startswith(ui.server.root)]
    assert local and all(u.startswith(ui.server.url + "/") for u in local), local
    assert any("/pre/fix/socket.io/" in u for u in local)
    # Live updates, events and env switching all use the prefix.
    ui.text("pfx", "T2", "live", title="t2")
    ui.pane("T2").wait_for()
    ui.pane("T").locator(".text-pane").click()
    page.keyboard.press("k")
    assert sub.next("KeyPress")["key"] == "k"
    page.click("#env-button")
    page.locator('.env-entry[data-env="pfx_two"] .env-name').click()
    ui.wait_loaded("pfx_two")
    assert page.url == ui.server.url + "/env/pfx_two"
    ui.pane("L").locator(".main-svg").first.wait_for()
    # plotly.js (its basic bundle draws lines) under the prefix's hashed static URLs.
    assert any(
        u.startswith(ui.server.url + "/static/") and u.endswith("/vendor/plotly-basic.min.js")
        for u in requests_seen
    )
    # Nothing was fetched from outside the server (no CDN).
    assert all(u.startswith((ui.server.root, "data:", "blob:")) for u in requests_seen)
