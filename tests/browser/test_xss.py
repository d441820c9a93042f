"""Untrusted strings (text-pane HTML, window titles, env names) never run as code."""

import json

TEXT_PAYLOAD = (
    "<b>safe</b><img src=x onerror=\"alert('text-img')\">"
    "<script>alert('text-script')</script>"
    "<svg><script>alert('svg-script')</script><circle r=1 onload=\"alert('svg-onload')\"/></svg>"
    "<a href=\"javascript:alert('link')\">link</a>"
    "<iframe srcdoc=\"<script>alert('iframe')</script>\"></iframe>"
)
TITLE_PAYLOAD = "<img src=x onerror=alert('title')>&amp;{{7*7}}"
# Env names may not contain <>"*/+; an HTML-built selector would still decode the entity.
ENV_PAYLOAD = "xss';alert('env');&lt;b&gt;${x}"

NO_HANDLERS = """(sel) => [...document.querySelectorAll(sel + ' *')].filter(
    el => el.tagName === 'SCRIPT' || el.tagName === 'IFRAME' ||
          [...el.attributes].some(a => /^on/i.test(a.name) || /javascript:/i.test(a.value))
).map(el => el.outerHTML)"""


def test_text_pane_html_is_sanitized(ui):
    ui.text("xss1", "T", TEXT_PAYLOAD, title="payload")
    page = ui.open("/env/xss1")
    text = ui.pane("T").locator(".text-pane")
    assert text.locator("b").text_content() == "safe"
    assert page.evaluate(NO_HANDLERS, '[data-win="T"] .text-pane') == []
    # Live appends are sanitized too.
    body = {"eid": "xss1", "win": "T", "data": [{"content": TEXT_PAYLOAD, "type": "text"}]}
    ui.post("update", body)
    ui.wait("() => document.querySelectorAll('[data-win=T] .text-pane b').length === 2")
    assert page.evaluate(NO_HANDLERS, '[data-win="T"] .text-pane') == []
    text.locator("a").first.click()
    page.wait_for_timeout(300)
    assert ui.dialogs == []


def test_window_title_is_text(ui):
    ui.text("xss2", "T", "x", title=TITLE_PAYLOAD)
    ui.line("xss2", "L", [0, 1], [1, 0], title=TITLE_PAYLOAD)
    ui.open("/env/xss2")
    for win in ("T", "L"):
        bar = ui.pane(win).locator(".pane-title")
        assert bar.text_content() == TITLE_PAYLOAD
        assert bar.locator("*").count() == 0
    ui.pane("L").locator(".main-svg").first.wait_for()
    assert ui.page.evaluate(NO_HANDLERS, '[data-win="L"]') == []
    ui.page.wait_for_timeout(300)
    assert ui.dialogs == []


def test_env_name_is_text(ui):
    ui.text(ENV_PAYLOAD, "T", "x", title="t")
    ui.text("xss_other", "T", "y", title="t")
    page = ui.open("/env/xss_other")
    page.click("#env-button")
    entry = page.locator("#env-tree .env-name").filter(has_text="alert")
    assert entry.text_content() == ENV_PAYLOAD
    entry.click()
    ui.wait_loaded(ENV_PAYLOAD)
    assert page.locator("#env-current").text_content() == ENV_PAYLOAD
    assert ENV_PAYLOAD in page.title()
    page.click("#env-manage")
    assert page.locator("#manage-env").text_content() == ENV_PAYLOAD
    page.click("#manage-cancel")
    # The compare legend lists env names (HTML made by the server, sanitized here).
    ui.line(ENV_PAYLOAD, "L", [0, 1], [1, 2], title="loss", name="n")
    ui.line("xss_other", "L", [0, 1], [2, 1], title="loss", name="n")
    page.click("#env-button")
    for eid in (ENV_PAYLOAD, "xss_other"):
        page.locator(".env-entry").filter(has_text=eid).locator(".env-check").check()
    page.click("#env-compare")
    ui.wait("() => document.body.dataset.loaded && document.body.dataset.loaded.includes('+')")
    legend = page.locator(".grid-stack-item[data-type=text] .text-pane")
    assert ENV_PAYLOAD in legend.text_content()
    assert page.evaluate(NO_HANDLERS, ".grid-stack") == []
    # Page data reaches JS as JSON, not as markup.
    data = json.loads(page.locator("#page-data").text_content())
    assert ENV_PAYLOAD in data["envs"]
    page.wait_for_timeout(300)
    assert ui.dialogs == []
