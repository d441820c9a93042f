"""Notebooks: a notebook run by nbclient shows `vis.show(win=...)` and the Visdom object as
iframes; opened in Chromium from another origin, the window page draws the window and
follows live appends."""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.support.server import ROOT
from tests.support.waiting import poll

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EID = "nb_env"
WIN = "nb_loss"


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory):
    """A Jupyter data dir with a kernel spec that runs this Python (the project's venv)."""
    path = tmp_path_factory.mktemp("jupyter")
    spec = path / "kernels" / "visdom-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "visdom tests", "language": "python"})
    )
    return str(path)


@pytest.fixture(scope="module")
def executed(server, kernel_path, tmp_path_factory):
    """Run a notebook against the live server; return its output cells' HTML."""
    cells = [
        "from visdom_client import Visdom\n"
        f"vis = Visdom(server='http://127.0.0.1', port={server.port}, env={EID!r},"
        " use_incoming_socket=False)\n"
        f"vis.line(Y=[1.0, 0.5, 0.25], X=[0, 1, 2], win={WIN!r}, opts={{'title': 'loss'}})\n"
        "vis.text('not in the window page', win='nb_other')",
        f"vis.show(win={WIN!r})",
        "vis",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    home = tmp_path_factory.mktemp("home")
    env = {
        "JUPYTER_PATH": kernel_path,
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="visdom-test", resources={"metadata": {"path": ROOT}}
        )
        client.execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    outputs = []
    for cell in nb.cells[1:]:
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert len(results) == 1, cell.outputs
        outputs.append(results[0]["data"])
    return outputs


@pytest.fixture
def other_origin():
    """Serve one HTML page from another origin (as Jupyter does): set .html, read .url."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = f"<!doctype html><html><body>{site.html}</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.html = ""
    site.url = f"http://127.0.0.1:{site.server_address[1]}/notebook"
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


def test_the_output_cells_hold_iframes_of_the_window_and_env_pages(executed, server):
    window_out, vis_out = executed
    assert f'<iframe src="{server.url}/window/{EID}/{WIN}"' in window_out["text/html"]
    assert f"{server.url}/window/{EID}/{WIN}" in window_out["text/plain"]
    assert f'<iframe src="{server.url}/env/{EID}"' in vis_out["text/html"]


def frame_of(ui, url):
    page = ui.page

    def find():
        return next((f for f in page.frames if f.url == url), None)

    try:
        return poll(find, 15, f"the frame {url}")
    except AssertionError:
        raise AssertionError([f.url for f in page.frames]) from None


def frame_wait(frame, js, timeout=15):
    return poll(lambda: frame.evaluate(js), timeout, js)


def test_the_window_page_is_drawn_in_the_iframe_and_follows_appends(
    executed, server, ui, other_origin
):
    other_origin.html = executed[0]["text/html"]
    ui.page.goto(other_origin.url)
    frame = frame_of(ui, f"{server.url}/window/{EID}/{WIN}")
    frame_wait(frame, f"document.body.dataset.loaded === '{EID}'")
    plot = f"document.querySelector('[data-win={WIN}] .plot-pane')"
    frame_wait(frame, f"{plot} && {plot}.data && {plot}.data[0].x.length === 3")
    # Only that window, filling the frame: the env's other window has no pane here.
    assert frame.evaluate("document.querySelectorAll('.grid-stack-item').length") == 1
    assert frame.evaluate("document.querySelector('[data-win=nb_other]')") is None
    assert frame.inner_text(f"[data-win={WIN}] .pane-title") == "loss"
    box = frame.evaluate(f"{plot}.getBoundingClientRect().width")
    assert box > 0.9 * ui.page.evaluate("document.querySelector('iframe').clientWidth")
    # A training script appends a point: the embedded plot extends without a reload.
    body = {"eid": EID, "win": WIN, "append": True, "name": "1"}
    body["data"] = [{"x": [3], "y": [0.125]}]
    resp = requests.post(f"{server.url}/update", data=json.dumps(body), timeout=10)
    assert resp.status_code == 200, resp.text
    frame_wait(frame, f"{plot}.data[0].x.length === 4")
    assert frame.evaluate(f"Array.from({plot}.data[0].y)")[-1] == 0.125


def test_the_visdom_objects_iframe_shows_the_env(executed, server, ui, other_origin):
    other_origin.html = executed[1]["text/html"]
    ui.page.goto(other_origin.url)
    frame = frame_of(ui, f"{server.url}/env/{EID}")
    frame_wait(frame, f"document.body.dataset.loaded === '{EID}'")
    frame_wait(frame, "document.querySelectorAll('.grid-stack-item').length === 2")


def test_pages_outside_the_embed_list_may_not_frame_them(server):
    csp = requests.get(f"{server.url}/window/{EID}/{WIN}", timeout=10).headers[
        "Content-Security-Policy"
    ]
    ancestors = [d for d in csp.split(";") if d.strip().startswith("frame-ancestors")]
    assert len(ancestors) == 1
    assert "http://127.0.0.1:*" in ancestors[0] and "*." not in ancestors[0]
    assert " * " not in ancestors[0] + " "
    runs = requests.get(f"{server.url}/runs", timeout=10).headers["Content-Security-Policy"]
    assert runs.rstrip().endswith("frame-ancestors 'self'")


def test_a_window_created_after_the_page_opened_shows_up(ui, server):
    ui.page.goto(f"{server.url}/window/nb_late/later")
    ui.wait("document.body.dataset.loaded === 'nb_late'")
    assert ui.page.is_visible("#empty-note")
    ui.text("nb_late", "other", "elsewhere")
    ui.text("nb_late", "later", "here at last", title="late")
    ui.wait("!!document.querySelector('[data-win=later] .text-pane')")
    assert "here at last" in ui.page.inner_text("[data-win=later] .text-pane")
    assert ui.page.is_hidden("#empty-note")
    assert ui.page.evaluate("document.querySelectorAll('.grid-stack-item').length") == 1
