"""Alerts in the browser: a toast and a title count on every open page, browser
notifications when allowed, the /alerts page (history, rules, delete), "Alert…" in a
plot's view controls, and run status (crashed included) in the env menu and runs table."""

import json
import time

import pytest
import requests

from .conftest import start_server, stop_server

RUN_TIMEOUT = 1.0

# A stand-in for the browser's Notification API (headless Chromium shows none): records
# what the page asks to show, with the permission already granted.
FAKE_NOTIFICATION = """
window.__notes = [];
window.Notification = class {
  constructor(title, options) { window.__notes.push({title, body: options && options.body}); }
  static get permission() { return 'granted'; }
  static requestPermission() { return Promise.resolve('granted'); }
};
"""


@pytest.fixture(scope="module")
def server():
    srv = start_server("-run_timeout", str(RUN_TIMEOUT))
    yield srv
    stop_server(srv)


def nan_append(server, eid, win, step):
    body = json.dumps({"eid": eid, "win": win, "name": "loss", "append": True})
    body = body[:-1] + f', "data": [{{"x": [{step}], "y": [NaN], "name": "loss"}}]}}'
    r = requests.post(f"{server.url}/update", data=body, timeout=10)
    assert r.status_code == 200, r.text


def test_a_nan_shows_a_toast_and_counts_in_the_title_on_every_page(ui, browser_context):
    eid = "ba_toast ü"
    ui.line(eid, "L", [0, 1], [1.0, 0.5], name="loss")
    ui.page.add_init_script(FAKE_NOTIFICATION)
    ui.open(f"/env/{requests.utils.quote(eid)}")
    title = ui.page.title()
    runs = browser_context.new_page()  # another open page of the server
    try:
        runs.goto(ui.server.url + "/runs")
        runs.wait_for_function("document.body.dataset.loaded === 'true'")
        nan_append(ui.server, eid, "L", 2)
        toast = ui.page.locator(".toast-alert")
        toast.wait_for(timeout=5000)
        assert "loss got NaN" in toast.inner_text() and eid in toast.inner_text()
        assert ui.wait("document.title.startsWith('(1) ')")
        assert ui.page.title() == f"(1) {title}"
        other = runs.locator(".toast-alert")
        other.wait_for(timeout=5000)
        assert "loss got NaN" in other.inner_text()
        assert runs.title().startswith("(1) ")
        notes = ui.wait("window.__notes.length && window.__notes")
        assert notes[0]["title"] == "loss got NaN" and eid in notes[0]["body"]
        toast.click()  # looked at: the count goes
        assert ui.wait("!document.title.startsWith('(')")
    finally:
        runs.close()


def test_the_alerts_page_lists_history_and_deletes_rules(ui):
    eid = "ba_page"
    ui.line(eid, "L", [0, 1], [1.0, 0.5], name="loss")
    rule = requests.post(
        f"{ui.server.url}/api/alert_rules",
        json={"eid": eid, "kind": "above", "win": "L", "threshold": 3, "smoothing": 0.5},
        timeout=10,
    ).json()
    nan_append(ui.server, eid, "L", 7)
    ui.page.goto(ui.server.url + "/alerts")
    ui.wait("document.body.dataset.ready === '1'")
    row = ui.page.locator(f"#rules-table tr[data-rule='{rule['id']}']")
    assert "above 3 (smoothed 0.5)" in row.inner_text() and eid in row.inner_text()
    fired = ui.wait(
        "(eid) => [...document.querySelectorAll('#history-table tbody tr')]"
        ".map(tr => tr.textContent).find(t => t.includes(eid))",
        eid,
    )
    assert "NaN" in fired and "loss" in fired
    # a new alert arrives live, at the top
    requests.post(
        f"{ui.server.url}/api/alerts",
        json={"eid": eid, "title": "checkpoint saved", "level": "info"},
        timeout=10,
    )
    first = ui.wait(
        "(() => { const tr = document.querySelector('#history-table tbody tr');"
        " return tr && tr.textContent.includes('checkpoint saved') && tr.textContent; })()"
    )
    assert "info" in first
    row.locator(".rule-delete").click()
    ui.wait(f"!document.querySelector(\"#rules-table tr[data-rule='{rule['id']}']\")")
    rules = requests.get(f"{ui.server.url}/api/alert_rules?eid={eid}", timeout=10).json()
    assert rules["rules"] == []


def test_alert_in_the_view_controls_creates_a_rule(ui):
    eid = "ba_viewctl"
    ui.line(eid, "W", [0, 1, 2], [1.0, 2.0, 3.0], name="acc")
    ui.open(f"/env/{eid}")
    ui.wait(
        "Boolean(document.querySelector('.grid-stack-item[data-win=\"W\"] .js-plotly-plot')?._fullLayout)"
    )
    ui.pane("W").locator("[data-action='view']").click()
    panel = ui.pane("W").locator(".view-panel")
    panel.locator(".view-alert").click()
    form = panel.locator(".view-alert-form")
    form.locator(".alert-trace").select_option("acc")

    def submit(kind, value, answer):
        form.locator(".alert-kind").select_option(kind)
        form.locator(".alert-value").fill(value)
        form.locator(".alert-create").click()
        status = "document.querySelector('.grid-stack-item[data-win=\"W\"] .alert-status')"
        ui.wait(f"{status}.textContent.includes({answer!r})")

    submit("below", "0.5", "Rule created")
    (rule,) = requests.get(f"{ui.server.url}/api/alert_rules?eid={eid}", timeout=10).json()["rules"]
    assert rule["kind"] == "below" and rule["threshold"] == 0.5 and rule["trace"] == "acc"
    # a rule that could never fire is refused with the field named
    submit("stalled", "0", "minutes")


def test_run_status_with_crashed_in_the_env_menu_and_runs_table(ui):
    for eid, status in (("ba_run_ok", "finished"), ("ba_run_dead", "running")):
        r = requests.post(f"{ui.server.url}/api/heartbeat", json={"eid": eid}, timeout=10)
        assert r.status_code == 200
        if status == "finished":
            requests.post(
                f"{ui.server.url}/api/heartbeat",
                json={"eid": eid, "status": "finished"},
                timeout=10,
            )
    time.sleep(RUN_TIMEOUT + 0.3)  # ba_run_dead sends no more beats
    ui.open("/env/ba_run_ok")
    ui.page.click("#env-button")
    badge = ui.page.locator(".env-entry[data-env='ba_run_dead'] .env-run-status")
    badge.wait_for(timeout=5000)
    assert badge.inner_text() == "crashed" and "last seen" in badge.get_attribute("title")
    ok = ui.page.locator(".env-entry[data-env='ba_run_ok'] .env-run-status")
    assert ok.inner_text() == "finished"
    ui.page.goto(ui.server.url + "/runs")
    ui.wait("document.body.dataset.loaded === 'true'")
    cell = ui.page.locator("#runs-table tbody tr[data-eid='ba_run_dead'] .run-status")
    assert cell.inner_text() == "crashed" and "last seen" in cell.get_attribute("title")
    ui.page.select_option("#runs-status", "crashed")
    shown = ui.page.evaluate(
        "[...document.querySelectorAll('#runs-table tbody tr')].map(tr => tr.dataset.eid)"
    )
    assert shown == ["ba_run_dead"]
