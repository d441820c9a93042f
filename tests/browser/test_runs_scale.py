"""The runs table at 1,000 runs × 10 metrics (docs/ui.md, "Runs table"): only the rows in
view are drawn, best and at-step columns, group rows with mean ± 95% CI, the difference of
two groups, and incremental polls that carry only the rows that changed."""

import json
import re

import numpy as np
import pytest
import requests

from .conftest import poll, start_server, stop_server

N_RUNS = 1000
KEYS = [f"m{k}" for k in range(9)] + ["acc"]
STEPS = 5


def value(i, k, s):
    return ((i * 7919 + k * 104729 + s * 13) % 1000) / 1000.0 + k


def eid_of(i):
    return f"rs_{i:04d}"


def experiment(i):
    metrics = [
        {"key": key, "value": value(i, k, s), "step": s, "timestamp": 1.0e9 + s}
        for s in range(STEPS)
        for k, key in enumerate(KEYS)
    ]
    return {
        "env_id": eid_of(i),
        "name": f"run {i}",
        "description": "",
        "status": "finished" if i % 3 else "running",
        "created_at": 1.0e9 + i,
        "finished_at": None,
        "params": [
            {"key": "lr", "value": 0.001 if i % 2 else 0.0003, "dtype": "float"},
            {"key": "seed", "value": i % 5, "dtype": "int"},
        ],
        "metrics": metrics,
        "tags": [{"key": "arch", "value": "cnn" if i % 4 else "mlp"}],
    }


@pytest.fixture(scope="module")
def server():
    """A server whose env files already hold 1,000 experiment records."""
    envs = {
        eid_of(i): {"jsons": {}, "reload": {}, "experiment": experiment(i)} for i in range(N_RUNS)
    }
    srv = start_server(envs=envs)
    yield srv
    stop_server(srv)


def open_runs(ui):
    ui.page.goto(ui.server.url + "/runs")
    ui.wait("document.body.dataset.loaded === 'true'", timeout=20)
    ui.wait(f"Number(document.body.dataset.runs) === {N_RUNS}", timeout=20)
    return ui.page


def drawn_eids(page):
    return page.evaluate(
        "[...document.querySelectorAll('#runs-table tbody tr')].map(tr => tr.dataset.eid)"
        ".filter(Boolean)"
    )


def cell(page, eid, col):
    return page.evaluate(
        "([eid, col]) => document.querySelector("
        "`#runs-table tr[data-eid='${eid}'] td[data-col='${col}']`)?.textContent",
        [eid, col],
    )


def test_a_thousand_runs_draw_only_the_rows_in_view(ui):
    page = open_runs(ui)
    drawn = drawn_eids(page)
    assert 10 <= len(drawn) < 100  # virtualized: not 1,000 row elements
    assert drawn[0] == "rs_0000"
    assert page.inner_text("#runs-count") == f"{N_RUNS} of {N_RUNS} runs"
    # Scrolled to the bottom: the last runs are drawn, the first are not.
    page.evaluate("document.querySelector('.runs-scroll').scrollTop = 1e9")
    ui.wait(
        "[...document.querySelectorAll('#runs-table tbody tr')].some(tr => tr.dataset.eid === 'rs_0999')"
    )
    assert "rs_0000" not in drawn_eids(page)
    # The spacers keep the full scroll height: about one row height per run.
    height = page.evaluate("document.querySelector('.runs-scroll').scrollHeight")
    row = page.evaluate(
        "document.querySelector('#runs-table tbody tr[data-eid^=rs_]').offsetHeight"
    )
    assert abs(height - row * N_RUNS) < row * 5
    # Filtering keeps working on every run, drawn or not.
    page.fill("#runs-filter", "run 999")
    ui.wait("document.body.dataset.runs === '1'")
    assert drawn_eids(page) == ["rs_0999"]
    page.fill("#runs-filter", "")


def test_best_and_at_step_columns_sort_over_every_run(ui):
    page = open_runs(ui)
    best = {eid_of(i): min(value(i, 0, s) for s in range(STEPS)) for i in range(N_RUNS)}
    page.click("#runs-table th[data-col='metric:m0:best'] .runs-sort")
    top = drawn_eids(page)[0]
    assert best[top] == min(best.values())
    assert float(cell(page, top, "metric:m0:best")) == pytest.approx(min(best.values()), abs=1e-6)
    # acc is better high: its best is the maximum; the header button flips it.
    label = page.inner_text("#runs-table th[data-col='metric:acc:best']")
    assert "(max)" in label
    page.click("#runs-table th[data-col='metric:m0:best'] .runs-best-dir")
    ui.wait(
        "document.querySelector(\"th[data-col='metric:m0:best']\").textContent.includes('(max)')"
    )
    page.click(
        "#runs-table th[data-col='metric:m0:best'] .runs-sort"
    )  # sorted on it: descending next
    mx = {eid_of(i): max(value(i, 0, s) for s in range(STEPS)) for i in range(N_RUNS)}
    shown = drawn_eids(page)
    assert mx[shown[0]] in (max(mx.values()), min(mx.values()))
    # The value at step 2 of metric m3, a column of its own.
    page.select_option("#runs-metric", "m3")
    page.fill("#runs-at-step", "2")
    page.dispatch_event("#runs-at-step", "change")
    ui.wait("!!document.querySelector(\"th[data-col='metric:m3:at']\")")
    page.click("#runs-table th[data-col='env'] .runs-sort")
    for eid in drawn_eids(page)[:5]:
        i = int(eid[3:])
        assert float(cell(page, eid, "metric:m3:at")) == pytest.approx(value(i, 3, 2), abs=1e-6)


def ci_numbers(text):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def test_group_rows_and_the_difference_of_two_groups(ui):
    page = open_runs(ui)
    page.select_option("#runs-group", "param:lr")
    ui.wait("document.getElementById('runs-groups-box').dataset.groups === '2'")
    rows = page.evaluate(
        "[...document.querySelectorAll('#runs-groups tbody tr')].map(tr => ({group: tr.dataset.group,"
        " count: tr.children[2].textContent, m1: tr.querySelector(\"td[data-metric='m1']\").textContent}))"
    )
    by = {r["group"]: r for r in rows}
    assert set(by) == {"0.001", "0.0003"}
    assert by["0.001"]["count"] == "500" and by["0.0003"]["count"] == "500"
    odd = [value(i, 1, STEPS - 1) for i in range(N_RUNS) if i % 2]
    mean, lo, hi = ci_numbers(by["0.001"]["m1"])
    assert mean == pytest.approx(np.mean(odd), rel=1e-5)
    half = 1.96 * np.std(odd, ddof=1) / np.sqrt(len(odd))  # t(499) ≈ normal
    assert lo == pytest.approx(np.mean(odd) - half, rel=1e-3)
    assert hi == pytest.approx(np.mean(odd) + half, rel=1e-3)
    # Two groups ticked: the difference readout.
    page.select_option("#runs-metric", "m1")
    page.check("#runs-groups tr[data-group='0.001'] .group-select")
    page.check("#runs-groups tr[data-group='0.0003'] .group-select")
    ui.wait("document.getElementById('runs-diff').dataset.ready === 'true'")
    even = [value(i, 1, STEPS - 1) for i in range(N_RUNS) if i % 2 == 0]
    diff = page.evaluate("document.getElementById('runs-diff').dataset")
    # The first ticked group minus the second.
    assert float(diff["diff"]) == pytest.approx(np.mean(odd) - np.mean(even), abs=1e-9)
    assert float(diff["lo"]) < float(diff["diff"]) < float(diff["hi"])
    text = page.inner_text("#runs-diff")
    assert "n = 500 and 500" in text and "Welch" in text
    page.select_option("#runs-method", "bootstrap")
    ui.wait("document.getElementById('runs-diff').textContent.includes('bootstrap')")
    # A regex that does not compile: the page says so.
    page.select_option("#runs-group", "re")
    page.fill("#runs-group-regex", "^(rs_")
    page.dispatch_event("#runs-group-regex", "change")
    ui.wait("!document.getElementById('runs-groups-error').hidden")
    assert "group" in page.inner_text("#runs-groups-error").lower()
    page.fill("#runs-group-regex", r"^rs_\d\d\d(\d)$")
    page.dispatch_event("#runs-group-regex", "change")
    ui.wait("document.getElementById('runs-groups-box').dataset.groups === '10'")
    assert page.is_hidden("#runs-groups-error")


def test_polls_carry_only_what_changed(ui):
    page = open_runs(ui)
    reads = "window.visdomRuns.state.reads"
    first = page.evaluate(f"{reads}[0]")
    assert first["since"] is False and first["rows"] == N_RUNS
    ui.wait(f"{reads}.some((r) => r.since)")  # a poll since the first read
    seen = page.evaluate(f"{reads}.length")
    body = {"eid": "rs_0501", "action": "metrics", "metrics": {"m0": -7.5}, "step": 99}
    resp = requests.post(f"{ui.server.url}/experiments/log", data=json.dumps(body), timeout=10)
    assert resp.status_code == 200
    page.click("#runs-table th[data-col='metric:m0:last'] .runs-sort")
    poll(lambda: cell(page, "rs_0501", "metric:m0:last") == "-7.5", 15, "the new value")
    later = page.evaluate(f"{reads}.slice({seen})")
    changed = [r for r in later if r["rows"]]
    assert changed and all(r["rows"] == 1 and not r["reset"] for r in changed)
    assert changed[0]["eids"] == ["rs_0501"]
    assert all(r["since"] for r in later)
    # A deleted env leaves the table (the poll's `removed`).
    resp = requests.post(
        f"{ui.server.url}/delete_env", data=json.dumps({"eid": "rs_0501"}), timeout=10
    )
    assert resp.status_code == 200
    ui.wait(f"document.body.dataset.runs === '{N_RUNS - 1}'", timeout=15)
    assert any("rs_0501" in r["removed"] for r in page.evaluate(reads))
    assert page.evaluate("window.visdomRuns.state.byEid.has('rs_0501')") is False
