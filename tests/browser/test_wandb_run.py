"""A run of the wandb-style API, as a person sees it in Chromium: its line, image-history,
histogram and table windows on the env page, and the run in the runs table."""

import numpy as np
import pytest

import visdom_client.wandb as wandb
from visdom_client.integrations.tracker import window_id

from .conftest import poll

EID = "wb_browser run ✓"


@pytest.fixture(scope="module")
def wandb_run(server):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VISDOM_URL", server.url)
        run = wandb.init(project="wb", name="browser run ✓", config={"lr": 0.25})
        rng = np.random.default_rng(0)
        for step in range(3):
            wandb.log(
                {
                    "loss": 1.0 / (step + 1),
                    "sample": wandb.Image(np.full((6, 9, 3), 40 * step, np.uint8), caption="s"),
                    "weights": wandb.Histogram(rng.normal(size=500)),
                }
            )
        table = wandb.Table(columns=["id", "label"], data=[[1, "<b>cat</b>"], [2, "dog"]])
        wandb.log({"preds": table})
        wandb.finish()
    assert run.env == EID
    return run


def test_the_run_is_drawn_on_its_env_page(ui, wandb_run):
    page = ui.open(f"/env/{EID}")
    loss = ui.pane(window_id("loss"))
    loss.locator(".main-svg").first.wait_for(timeout=30000)
    ys = f"() => document.querySelector('[data-win={window_id('loss')}] .plot-pane').data[0].y"
    poll(lambda: page.evaluate(ys) == pytest.approx([1.0, 0.5, 1 / 3]), what="the loss line")
    sample = ui.pane(window_id("sample"))
    assert sample.locator(".image-slider").get_attribute("max") == "2"  # one frame per step
    assert "step 2" in sample.locator(".image-caption").text_content()
    weights = ui.pane(window_id("weights"))
    weights.locator(".main-svg").first.wait_for(timeout=30000)
    assert weights.locator(".plot-history-slider").get_attribute("max") == "2"
    assert weights.locator(".plot-history-caption").text_content() == "step 2"
    assert weights.locator(".pane-title").text_content() == "weights"
    preds = ui.pane(window_id("preds"))
    assert preds.locator("table td", has_text="<b>cat</b>").count() == 1  # escaped, not bold
    assert preds.locator("table b").count() == 0
    ui.shot("wandb_run")


def test_the_run_is_in_the_runs_table(ui, wandb_run):
    ui.page.goto(ui.server.url + "/runs")
    ui.wait("document.body.dataset.loaded === 'true'")
    row = ui.page.locator(f'#runs-table tbody tr[data-eid="{EID}"]')
    row.wait_for()
    text = row.text_content()
    assert "browser run ✓" in text and "finished" in text and "0.25" in text
