"""Export an env as one standalone HTML file that opens offline (issue 10, part 2)."""

import requests

from tests.support.ui import png_data_url


def make_env(ui, eid):
    ui.line(eid, "L", [0, 1, 2, 3], [3, 1, 2, 5], title="loss curve")
    ui.text(eid, "T", '<p class="note">hello <b>export</b></p><img src=x onerror="window.xss=1">')
    data = [{"content": {"src": png_data_url(20, 10), "caption": "a picture"}, "type": "image"}]
    ui.post("events", {"eid": eid, "win": "I", "opts": {"title": "pic"}, "data": data})


def test_export_html_opens_offline_and_draws_the_windows(ui, browser, tmp_path):
    make_env(ui, "exp1")
    page = ui.open("/env/exp1")
    link = page.locator("#env-export")
    assert link.is_visible() and link.get_attribute("href").endswith("/export/exp1.html")
    with page.expect_download(timeout=30000) as info:
        link.click()
    assert info.value.suggested_filename == "exp1.html"
    path = tmp_path / "exp1.html"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "cdn" not in text.lower().split("<main", 1)[0]  # nothing loaded from outside

    # Opened from disk, with every network request refused.
    context = browser.new_context(offline=True)
    requested = []

    def refuse(route):
        requested.append(route.request.url)
        route.abort()

    context.route("http*://**/*", refuse)
    errors = []
    offline = context.new_page()
    offline.on("pageerror", lambda err: errors.append(str(err)))
    try:
        offline.goto(path.as_uri())
        offline.locator('.export-item[data-win="L"] .main-svg').first.wait_for(timeout=20000)
        assert offline.evaluate("document.body.dataset.rendered") == "3"
        # The plot is plotly's: its trace has the 4 points.
        assert (
            offline.evaluate("document.querySelector('[data-win=L] .plot-pane').data[0].y.length")
            == 4
        )
        title = offline.locator('.export-item[data-win="L"] .pane-title').text_content()
        assert title == "loss curve"
        note = offline.locator('.export-item[data-win="T"] .text-pane p.note')
        assert note.text_content() == "hello export"
        # Text is sanitized in the export too.
        assert offline.locator('.export-item[data-win="T"] img[onerror]').count() == 0
        assert offline.evaluate("window.xss") is None
        img = offline.locator('.export-item[data-win="I"] .image-img')
        assert img.evaluate("(el) => el.complete && el.naturalWidth") == 20
        caption = offline.locator('.export-item[data-win="I"] .image-caption').text_content()
        assert caption == "a picture"
        assert not errors, errors
        assert not requested, requested
    finally:
        context.close()


def test_export_of_a_missing_env_is_404_and_names_are_files(ui):
    resp = requests.get(f"{ui.server.url}/export/no_such_env.html", timeout=10)
    assert resp.status_code == 404
    ui.text("exp2_a b", "T", "x")
    resp = requests.get(f"{ui.server.url}/export/exp2_a%20b.html", timeout=30)
    assert resp.status_code == 200
    assert "filename=exp2_a_b.html" in resp.headers["Content-Disposition"]
    assert resp.headers["Content-Type"].startswith("text/html")


def test_export_link_is_hidden_in_compare_views(ui):
    ui.text("exp3a", "T", "a")
    ui.text("exp3b", "T", "b")
    page = ui.open("/compare/exp3a+exp3b")
    assert not page.locator("#env-export").is_visible()
