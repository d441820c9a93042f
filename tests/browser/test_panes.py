"""Every pane type renders; downloads; image history; network; embeddings events."""

import random
from pathlib import Path

from tests.support.ui import png_data_url


def test_plot_svg_and_png_download(ui):
    ui.line("pn1", "L", [0, 1, 2], [3, 1, 2], title="loss curve")
    page = ui.open("/env/pn1")
    pane = ui.pane("L")
    pane.locator(".main-svg").first.wait_for()
    with page.expect_download() as info:
        pane.locator(".pane-download", has_text="SVG").click()
    download = info.value
    assert download.suggested_filename == "loss_curve.svg"
    svg = Path(download.path()).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "scatterlayer" in svg
    with page.expect_download() as info:
        pane.locator(".pane-download", has_text="PNG").click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_image_download_and_history_slider(ui):
    srcs = [png_data_url(8, 8, c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    first = {"src": srcs[0], "caption": "step 0"}
    body = {"eid": "pn2", "win": "H", "opts": {"title": "hist", "store_history": True}}
    ui.post("events", {**body, "data": [{"content": first, "type": "image_history"}]})
    page = ui.open("/env/pn2")
    pane = ui.pane("H")
    for i in (1, 2):
        content = {"src": srcs[i], "caption": f"step {i}"}
        ui.post("update", {**body, "data": [{"content": content, "type": "image_history"}]})
    ui.wait("() => document.querySelector('[data-win=H] .image-caption').textContent === 'step 2'")
    slider = pane.locator(".image-slider")
    assert slider.is_visible() and slider.get_attribute("max") == "2"
    slider.fill("0")
    assert pane.locator(".image-caption").text_content() == "step 0"
    assert pane.locator("img").get_attribute("src") == srcs[0]
    with page.expect_download() as info:
        pane.locator(".pane-download", has_text="PNG").click()
    assert Path(info.value.path()).read_bytes()[:4] == b"\x89PNG"


def test_media_and_svg_text_panes(ui):
    wav = "data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA="
    audio = f'<audio controls><source type="audio/wav" src="{wav}"></audio>'
    video = (
        '<video controls loop><source type="video/mp4" src="data:video/mp4;base64,AAAA"></video>'
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><circle cx="25" cy="25" r="20"/></svg>'
    ui.text("pn3", "A", audio, title="audio")
    ui.text("pn3", "V", video, title="video")
    ui.text("pn3", "S", svg, title="svg")
    page = ui.open("/env/pn3")
    assert ui.pane("A").locator("audio source").get_attribute("src") == wav
    assert ui.pane("V").locator("video[controls][loop] source").count() == 1
    assert ui.pane("S").locator("svg circle").count() == 1
    with page.expect_download() as info:
        ui.pane("S").locator(".pane-download", has_text="SVG").click()
    assert "<circle" in Path(info.value.path()).read_text(encoding="utf-8")


def test_other_plot_kinds(ui):
    figures = {
        "bar": [{"x": [1, 2], "y": [3, 4], "type": "bar"}],
        "heat": [{"z": [[1, 2], [3, 4]], "type": "heatmap", "colorscale": "Viridis"}],
        "gl": [{"x": [0, 1], "y": [1, 0], "type": "scattergl", "mode": "markers"}],
        "pie": [{"values": [1, 2], "labels": ["a", "b"], "type": "pie"}],
    }
    for win, data in figures.items():
        layout = {"title": win, "xaxis": {"title": "x label"}}
        ui.post(
            "events",
            {"eid": "pn4", "win": win, "opts": {"title": win}, "layout": layout, "data": data},
        )
    ui.open("/env/pn4")
    for win in figures:
        ui.pane(win).locator(".main-svg").first.wait_for()
    # String titles (what visdom clients send) are shown by plotly.js 4 too.
    assert ui.pane("bar").locator(".gtitle").text_content() == "bar"
    assert ui.pane("bar").locator(".xtitle").text_content() == "x label"
    assert ui.pane("heat").locator(".hm image, .heatmaplayer image").count() >= 1


def test_network_pane(ui):
    nodes = [{"name": i, "label": f"n{i}", "club": i % 2} for i in range(5)]
    edges = [{"source": i, "target": (i + 1) % 5, "label": f"e{i}"} for i in range(5)]
    ui.post(
        "events",
        {
            "eid": "pn5",
            "win": "G",
            "opts": {"title": "graph", "directed": True, "showVertexLabels": True},
            "data": [{"content": {"nodes": nodes, "edges": edges}, "type": "network"}],
        },
    )
    ui.open("/env/pn5")
    pane = ui.pane("G")
    assert pane.locator("circle").count() == 5
    assert pane.locator(".net-edge line[marker-end]").count() == 5
    assert pane.locator(".net-node-label.label-on").all_text_contents() == [
        f"n{i}" for i in range(5)
    ]
    # Nodes can be dragged.
    first = pane.locator("circle").first.bounding_box()
    x, y = first["x"] + first["width"] / 2, first["y"] + first["height"] / 2
    ui.page.mouse.move(x, y)
    ui.page.mouse.down()
    ui.page.mouse.move(x + 40, y + 30, steps=5)
    ui.page.mouse.up()
    moved = pane.locator("circle").first.bounding_box()
    assert abs(moved["x"] - first["x"] - 40) < 3 and abs(moved["y"] - first["y"] - 30) < 3


def test_embeddings_hover_lasso_and_back(ui, subscribe):
    rng = random.Random(3)
    points = [
        {
            "group": i % 3,
            "name": f"Entity {i}",
            "label": f"p{i}",
            "idx": i,
            "position": [rng.random(), rng.random()],
        }
        for i in range(30)
    ]
    body = {"eid": "pn6", "win": "E", "opts": {"title": "emb"}}
    ui.post("events", {**body, "data": [{"content": {"data": points}, "type": "embeddings"}]})
    sub = subscribe("pn6")
    page = ui.open("/env/pn6")
    pane = ui.pane("E")
    assert pane.locator("circle.emb-point").count() == 30
    pane.locator("circle.emb-point").nth(4).hover()
    ev = sub.next("EntitySelected")
    assert (ev["target"], ev["entityId"], ev["idx"]) == ("E", "Entity 4", 4)
    assert ev["pane_data"] is False
    # A lasso around the whole plot selects every point.
    box = pane.locator("svg.emb-plot").bounding_box()
    corners = [
        (2, 2),
        (box["width"] - 2, 2),
        (box["width"] - 2, box["height"] - 2),
        (2, box["height"] - 2),
        (2, 4),
    ]
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.mouse.down()
    for cx, cy in corners:
        page.mouse.move(box["x"] + cx, box["y"] + cy, steps=4)
    page.mouse.up()
    ev = sub.next("RegionSelected")
    assert sorted(ev["selectedIdxs"]) == list(range(30))
    # The training code answers with the subset: "Back" appears and restores the old set.
    region = {"update_type": "RegionSelected", "points": points[:25]}
    ui.post("update", {**body, "data": region})
    ui.wait("() => document.querySelectorAll('[data-win=E] circle.emb-point').length === 25")
    pane.locator(".emb-back").click()
    ui.wait("() => document.querySelectorAll('[data-win=E] circle.emb-point').length === 30")
