"""The UI's pure functions, run in the browser through their ES modules."""

import pytest


@pytest.fixture
def page(ui):
    ui.text("mod", "T", "x")
    return ui.open("/env/mod")


def run(page, module, body, arg=None):
    """Import static/js/<module> (e.g. "topbar/envtree.js") and run `body` with it as `m`."""
    src = (
        "async (arg) => {"
        " const entry = document.querySelector('script[type=module]').src;"
        f" const m = await import(new URL('../{module}', entry));"
        f" {body} }}"
    )
    return page.evaluate(src, arg)


def test_env_tree_groups_by_first_underscore(page):
    envs = ["main", "exp_b", "exp_a_long", "exp", "solo_x", "z"]
    tree = run(page, "topbar/envtree.js", "return m.buildTree(arg);", envs)
    assert tree == [
        {"root": "exp", "isEnv": True, "children": ["exp_a_long", "exp_b"]},
        {"root": "main", "isEnv": True, "children": []},
        {"root": "solo", "isEnv": False, "children": ["solo_x"]},
        {"root": "z", "isEnv": True, "children": []},
    ]
    found = run(page, "topbar/envtree.js", "return m.buildTree(arg, 'LONG');", envs)
    assert found == [{"root": "exp", "isEnv": True, "children": ["exp_a_long"]}]


def test_env_paths(page):
    cases = {
        "/env/a%20b": ["a b"],
        "/compare/x+y%2Bz": ["x", "y+z"],
        "/": None,
    }
    for path, want in cases.items():
        assert run(page, "topbar/envtree.js", "return m.envsFromPath(arg);", path) == want


def test_lasso_polygon_test(page):
    square = [[0, 0], [10, 0], [10, 10], [0, 10]]
    got = run(
        page,
        "panes/embeddings/embeddings.js",
        "return arg.pts.map(p => m.inside(p, arg.poly));",
        {"poly": square, "pts": [[5, 5], [11, 5], [-1, -1], [9.9, 0.1]]},
    )
    assert got == [True, False, False, True]


def test_plotly_title_compat(page):
    layout = {"title": "t", "xaxis": {"title": "x"}, "scene": {"zaxis": {"title": "z"}}}
    body = "const out = m.layoutForPlotly(arg); return [out, arg];"
    got, original = run(page, "panes/plot/compat.js", body, layout)
    assert got["title"] == {"text": "t"}
    assert got["xaxis"]["title"] == {"text": "x"}
    assert got["scene"]["zaxis"]["title"] == {"text": "z"}
    assert original == layout  # the stored layout is not changed
