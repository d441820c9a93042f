"""The env selector (hierarchy, search, switch, compare) and env management."""

import json


def env_list(ui):
    return json.loads(ui.post("env_state", {}))


def open_menu(ui):
    ui.page.click("#env-button")
    ui.page.locator("#env-menu").wait_for()


def test_switch_env_and_shareable_url(ui):
    ui.text("sw_one", "A", "in one", title="A")
    ui.text("sw_two", "B", "in two", title="B")
    page = ui.open("/env/sw_one")
    assert ui.pane("A").count() == 1
    open_menu(ui)
    page.locator('.env-entry[data-env="sw_two"] .env-name').click()
    ui.wait_loaded("sw_two")
    assert page.url == ui.server.url + "/env/sw_two"
    assert ui.pane("B").count() == 1 and ui.pane("A").count() == 0
    assert page.locator("#env-current").text_content() == "sw_two"
    # Back goes to the previous env.
    page.go_back()
    ui.wait_loaded("sw_one")
    assert ui.pane("A").count() == 1


def test_hierarchy_search_and_live_env_list(ui):
    ui.text("exp_a", "A", "a")
    ui.text("exp_b", "B", "b")
    ui.text("solo", "S", "s")
    page = ui.open("/env/solo")
    open_menu(ui)
    roots = page.locator(".env-tree > .env-root")
    labels = [r.locator(".env-entry").first.text_content() for r in roots.all()]
    assert "exp" in labels and "solo" in labels
    exp = roots.filter(has=page.locator(".env-group-name", has_text="exp"))
    children = exp.locator("ul .env-name").all_text_contents()
    assert children == ["exp_a", "exp_b"]
    page.fill("#env-search", "_b")
    ui.wait("() => document.querySelectorAll('#env-tree .env-name').length === 1")
    assert page.locator("#env-tree .env-name").all_text_contents() == ["exp_b"]
    page.fill("#env-search", "")
    # A new env created by a training script shows up without a reload.
    ui.text("exp_c", "C", "c")
    page.locator('.env-entry[data-env="exp_c"]').wait_for()


def test_fork_save_and_delete_env(ui):
    ui.text("fk_src", "A", "original", title="A")
    page = ui.open("/env/fk_src")
    page.click("#env-manage")
    page.fill("#manage-name", "fk_copy")
    page.click("#manage-fork")
    ui.wait_loaded("fk_copy")
    assert ui.pane("A").locator(".text-pane").text_content() == "original"
    assert "fk_copy" in env_list(ui)
    # Save writes the env file.
    page.click("#env-manage")
    page.click("#manage-save")
    page.locator("#manage-dialog").wait_for(state="hidden")
    # Delete removes it and goes back to main.
    page.click("#env-manage")
    page.click("#manage-delete")
    ui.wait_loaded("main")
    assert "fk_copy" not in env_list(ui)
    assert "fk_src" in env_list(ui)
    open_menu(ui)
    assert page.locator('.env-entry[data-env="fk_copy"]').count() == 0


def test_main_cannot_be_deleted(ui):
    page = ui.open("/")
    page.click("#env-manage")
    assert page.locator("#manage-delete").is_disabled()


def test_clear_env(ui):
    ui.text("clr", "A", "a")
    ui.text("clr", "B", "b")
    page = ui.open("/env/clr")
    assert page.locator(".grid-stack-item").count() == 2
    page.click("#env-clear")
    page.click("#clear-confirm")
    ui.wait("() => document.querySelectorAll('.grid-stack-item').length === 0")
    assert json.loads(ui.post("win_data", {"eid": "clr", "win": None})) == {}


def test_compare_two_envs(ui):
    for eid, ys in [("cmp_a", [1, 2, 3]), ("cmp_b", [3, 2, 1])]:
        ui.line(eid, "loss_" + eid, [0, 1, 2], ys, title="loss", name="train")
    page = ui.open("/env/cmp_a")
    open_menu(ui)
    page.locator('.env-entry[data-env="cmp_a"] .env-check').check()
    page.locator('.env-entry[data-env="cmp_b"] .env-check').check()
    page.click("#env-compare")
    ui.wait_loaded("cmp_a+cmp_b")
    assert page.url == ui.server.url + "/compare/cmp_a+cmp_b"
    plots = page.locator(".grid-stack-item[data-type=plot]")
    assert plots.count() == 1
    names = ui.wait(
        "() => { const d = document.querySelector('[data-type=plot] .plot-pane').data;"
        " return d && d.length === 2 && d.map(t => t.name); }"
    )
    assert names == ["0_train", "1_train"]
    legend = page.locator(".grid-stack-item[data-type=text]")
    assert legend.count() == 1
    assert "cmp_a" in legend.text_content() and "cmp_b" in legend.text_content()
    # Live: an append to one of the envs shows up in the merged plot.
    append = {"x": [3], "y": [9], "name": "train", "type": "scatter"}
    body = {"eid": "cmp_b", "win": "loss_cmp_b", "name": "train", "append": True}
    ui.post("update", {**body, "opts": {}, "layout": {}, "data": [append]})
    ui.wait(
        "() => { const d = document.querySelector('[data-type=plot] .plot-pane').data;"
        " return d && d[1] && d[1].x.length === 4; }"
    )
    # Mutating controls are hidden in a compare view.
    assert not page.locator("#env-manage").is_visible()
    assert page.locator(".pane-close").count() == 0
    # The compare URL is shareable.
    ui.open("/compare/cmp_a+cmp_b")
    assert page.locator(".grid-stack-item[data-type=plot]").count() == 1
