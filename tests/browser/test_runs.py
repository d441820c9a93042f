"""The runs table ({base}/runs): every experiment, metric summaries, sort, filter, compare,
parallel coordinates, and live updates without a reload."""

import json

import pytest
import requests

from tests.support.waiting import poll

RUNS = {
    # eid: (name, params, tags, losses, status)
    "rt_alpha": ("alpha", {"lr": 0.1, "opt": "sgd"}, {"model": "mlp"}, [0.9, 0.5, 0.7], "finished"),
    "rt_beta": ("beta", {"lr": 0.01, "opt": "adam"}, {"model": "cnn"}, [2.0, 1.5], "running"),
    "rt_gamma": ("gamma", {"lr": 0.3, "opt": "sgd"}, {"model": "cnn"}, [0.25, 0.3, 0.2], "failed"),
}


def log(server, body):
    resp = requests.post(f"{server.url}/experiments/log", data=json.dumps(body), timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture(scope="module")
def runs(server):
    for eid, (name, params, tags, losses, status) in RUNS.items():
        log(server, {"eid": eid, "name": name, "params": params, "tags": tags})
        for step, loss in enumerate(losses):
            log(server, {"eid": eid, "action": "metrics", "metrics": {"loss": loss}, "step": step})
        if status != "running":
            log(server, {"eid": eid, "action": "finish", "status": status})
    return RUNS


def open_runs(ui):
    ui.page.goto(ui.server.url + "/runs")
    ui.wait("document.body.dataset.loaded === 'true'")
    ui.wait("Number(document.body.dataset.runs) >= 3")
    return ui.page


def shown_eids(page):
    return page.evaluate(
        "[...document.querySelectorAll('#runs-table tbody tr')].map(tr => tr.dataset.eid)"
        ".filter(e => e.startsWith('rt_'))"
    )


def cells(page, eid):
    return page.evaluate(
        "(eid) => Object.fromEntries([...document.querySelectorAll("
        "`#runs-table tbody tr[data-eid='${eid}'] td[data-col]`)]"
        ".map(td => [td.dataset.col, td.textContent]))",
        eid,
    )


def test_the_table_lists_every_run_with_last_min_and_max(ui, runs):
    page = open_runs(ui)
    assert shown_eids(page) == ["rt_alpha", "rt_beta", "rt_gamma"]
    headers = page.evaluate(
        "[...document.querySelectorAll('#runs-table th[data-col]')].map(t => t.dataset.col)"
    )
    for col in ("env", "name", "status", "tags", "param:lr", "param:opt"):
        assert col in headers
    assert {"metric:loss:last", "metric:loss:min", "metric:loss:max"} <= set(headers)
    alpha = cells(page, "rt_alpha")
    assert alpha["name"] == "alpha"
    assert alpha["status"] == "finished"
    assert alpha["tags"] == "model=mlp"
    assert alpha["param:lr"] == "0.1"
    assert (alpha["metric:loss:last"], alpha["metric:loss:min"], alpha["metric:loss:max"]) == (
        "0.7",
        "0.5",
        "0.9",
    )
    gamma = cells(page, "rt_gamma")
    assert (gamma["metric:loss:last"], gamma["metric:loss:min"], gamma["metric:loss:max"]) == (
        "0.2",
        "0.2",
        "0.3",
    )
    assert cells(page, "rt_beta")["status"] == "running"
    # The env cell links to the env page.
    href = page.get_attribute("#runs-table tr[data-eid='rt_beta'] td[data-col='env'] a", "href")
    assert href.endswith("/env/rt_beta")


def test_clicking_a_header_sorts_and_a_second_click_reverses(ui, runs):
    page = open_runs(ui)
    page.click("#runs-table th[data-col='metric:loss:last'] button")
    assert shown_eids(page) == ["rt_gamma", "rt_alpha", "rt_beta"]  # 0.2, 0.7, 1.5
    sort = page.get_attribute("#runs-table th[data-col='metric:loss:last']", "aria-sort")
    assert sort == "ascending"
    page.click("#runs-table th[data-col='metric:loss:last'] button")
    assert shown_eids(page) == ["rt_beta", "rt_alpha", "rt_gamma"]
    page.click("#runs-table th[data-col='param:lr'] button")
    assert shown_eids(page) == ["rt_beta", "rt_alpha", "rt_gamma"]  # 0.01, 0.1, 0.3
    page.click("#runs-table th[data-col='name'] button")
    page.click("#runs-table th[data-col='name'] button")
    assert shown_eids(page) == ["rt_gamma", "rt_beta", "rt_alpha"]


def test_the_text_box_and_the_status_filter_change_the_rows(ui, runs):
    page = open_runs(ui)
    page.fill("#runs-filter", "cnn")  # a tag value
    assert shown_eids(page) == ["rt_beta", "rt_gamma"]
    page.fill("#runs-filter", "opt=sgd")  # a param
    assert shown_eids(page) == ["rt_alpha", "rt_gamma"]
    page.fill("#runs-filter", "gamma")  # a name
    assert shown_eids(page) == ["rt_gamma"]
    page.fill("#runs-filter", "rt_be")  # an env
    assert shown_eids(page) == ["rt_beta"]
    page.fill("#runs-filter", "")
    page.select_option("#runs-status", "failed")
    assert shown_eids(page) == ["rt_gamma"]
    page.select_option("#runs-status", "running")
    page.fill("#runs-filter", "sgd")
    assert shown_eids(page) == []
    page.select_option("#runs-status", "")
    page.fill("#runs-filter", "")
    assert shown_eids(page) == ["rt_alpha", "rt_beta", "rt_gamma"]


def test_compare_opens_the_compare_view_of_the_selected_runs_envs(ui, runs):
    page = open_runs(ui)
    assert page.is_disabled("#runs-compare")
    page.check("input.run-select[data-eid='rt_alpha']")
    assert page.is_disabled("#runs-compare")  # one run: nothing to compare
    page.check("input.run-select[data-eid='rt_gamma']")
    assert page.inner_text("#runs-compare") == "Compare (2)"
    with page.expect_navigation():
        page.click("#runs-compare")
    assert page.url == ui.server.url + "/compare/rt_alpha+rt_gamma"
    ui.wait_loaded("rt_alpha+rt_gamma")


def test_parallel_coordinates_draw_one_line_per_selected_run(ui, runs):
    page = open_runs(ui)
    for eid in ("rt_alpha", "rt_beta", "rt_gamma"):
        page.check(f"input.run-select[data-eid='{eid}']")
    page.uncheck("input.run-select[data-eid='rt_beta']")
    page.select_option("#runs-metric", "loss")
    page.select_option("#runs-agg", "min")
    page.click("#runs-parcoords")
    ui.wait("document.getElementById('runs-plot').dataset.metric === 'loss (min)'")
    trace = page.evaluate(
        "() => { const t = document.getElementById('runs-plot').data[0];"
        " return {type: t.type, dims: t.dimensions.map(d => ({label: d.label,"
        " values: Array.from(d.values), ticktext: d.ticktext || null})), color: Array.from(t.line.color)}; }"
    )
    assert trace["type"] == "parcoords"
    labels = [d["label"] for d in trace["dims"]]
    assert labels == ["lr", "opt", "loss (min)"]
    # One line per selected run (alpha and gamma, in table order): every axis has 2 values.
    assert all(len(d["values"]) == 2 for d in trace["dims"])
    assert trace["dims"][0]["values"] == [0.1, 0.3]
    assert trace["dims"][2]["values"] == [0.5, 0.2]
    assert trace["color"] == [0.5, 0.2]
    assert trace["dims"][1]["ticktext"] == ["sgd"]
    # Plotly took the figure in (its full data); the lines themselves need WebGL, which
    # this headless Chromium lacks, so the drawn pixels are not checked.
    full = page.evaluate(
        "() => { const t = document.getElementById('runs-plot')._fullData[0];"
        " return [t.type, t.dimensions.length, t.dimensions[2].values.length]; }"
    )
    assert full == ["parcoords", 3, 2]
    assert "2 runs" in page.inner_text("#runs-plot-title")
    # Selecting the third run redraws with three lines.
    page.check("input.run-select[data-eid='rt_beta']")
    ui.wait("document.getElementById('runs-plot').data[0].dimensions[0].values.length === 3")


def test_new_runs_and_metrics_appear_without_a_reload(ui, runs, server):
    page = open_runs(ui)
    polls = int(page.evaluate("document.body.dataset.polls"))
    log(server, {"eid": "rt_delta", "name": "delta", "params": {"lr": 0.5}})
    log(server, {"eid": "rt_delta", "action": "metrics", "metrics": {"loss": 4.0, "acc": 0.5}})
    ui.wait("!!document.querySelector(\"#runs-table tr[data-eid='rt_delta']\")", timeout=15)
    assert int(page.evaluate("document.body.dataset.polls")) > polls
    assert cells(page, "rt_delta")["metric:loss:last"] == "4"
    assert cells(page, "rt_delta")["metric:acc:max"] == "0.5"
    log(server, {"eid": "rt_delta", "action": "metrics", "metrics": {"loss": 1.25}})
    poll(lambda: cells(page, "rt_delta")["metric:loss:last"] == "1.25", 15, "the new metric")
    assert cells(page, "rt_delta")["metric:loss:max"] == "4"
    assert "acc" in page.evaluate(
        "[...document.querySelectorAll('#runs-metric option')].map(o => o.value)"
    )


def test_the_env_page_links_to_the_runs_page(ui, runs):
    ui.open("/env/rt_alpha")
    href = ui.page.get_attribute("#runs-link", "href")
    assert href == "/runs"
    ui.page.click("#runs-link")
    ui.page.wait_for_url(ui.server.url + "/runs")
    ui.wait("Number(document.body.dataset.runs) >= 3")


def test_summaries_skip_non_numbers_and_empty_cells_sort_last(ui, runs):
    open_runs(ui)
    records = [
        {
            "eid": "a",
            "experiment": {
                "name": "a",
                "metrics": [
                    {"key": "loss", "value": 3, "step": 0},
                    {"key": "loss", "value": None, "step": 1},
                    {"key": "loss", "value": "nan?", "step": 2},
                    {"key": "loss", "value": 1, "step": 3},
                ],
                "params": [{"key": "lr", "value": 0.5}],
            },
        },
        {"eid": "b", "experiment": {"name": "b", "metrics": [], "params": []}},
        {"eid": "c", "experiment": {"name": "c", "params": [{"key": "lr", "value": 0.25}]}},
    ]
    body = (
        "const runs = arg.map(m.summarize); const cols = m.columns(runs);"
        " const by = (id, dir) => m.sortRuns(runs, cols.find(c => c.id === id), dir).map(r => r.eid);"
        " return {loss: runs[0].metrics.loss, asc: by('param:lr', 'asc'),"
        " desc: by('param:lr', 'desc'), ids: cols.map(c => c.id)};"
    )
    out = ui.module("runs/data.js", body, records)
    assert out["loss"] == {"last": 1, "min": 1, "max": 3, "step": 3, "count": 4}
    assert out["asc"] == ["c", "a", "b"]
    assert out["desc"] == ["a", "c", "b"]  # the run without lr stays last both ways
    assert out["ids"][-3:] == ["metric:loss:last", "metric:loss:min", "metric:loss:max"]
