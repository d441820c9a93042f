"""A page of the env UI driven through Playwright (`UI`), and what tests put on it.

`UI(page, server)` posts like a training script (post, line, text) and waits on the page
(wait, open, module, wait_loaded); stored_window / text_window build upstream env-file
windows and png_data_url an image, for env files written before a server starts.
Used by the browser, cluster and wheel tests.
"""

import base64
import io
import json
import os

import requests
from playwright.sync_api import Error as PlaywrightError

from .server import ROOT
from .waiting import poll

ARTIFACTS = os.path.join(ROOT, "tests", "browser", "artifacts")
VIEWPORT = {"width": 1400, "height": 900}


class UI:
    """A page on the env UI plus helpers to drive the server like a training script."""

    def __init__(self, page, server):
        self.page = page
        self.server = server
        self.dialogs = []
        self.errors = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # ---- the server, as a training script sees it -----------------------------------
    def post(self, endpoint, body):
        """POST a JSON text body like the visdom client (no JSON content type)."""
        resp = requests.post(f"{self.server.url}/{endpoint}", data=json.dumps(body), timeout=10)
        assert resp.status_code == 200, f"/{endpoint} -> {resp.status_code}: {resp.text}"
        return resp.text

    def line(self, eid, win, xs, ys, title=None, name="a"):
        title = title if title is not None else win
        return self.post(
            "events",
            {
                "eid": eid,
                "win": win,
                "opts": {"title": title},
                "layout": {"title": title, "showlegend": True},
                "data": [{"x": xs, "y": ys, "name": name, "type": "scatter", "mode": "lines"}],
            },
        )

    def text(self, eid, win, content, title=None):
        opts = {"title": title} if title is not None else {}
        data = [{"content": content, "type": "text"}]
        return self.post("events", {"eid": eid, "win": win, "opts": opts, "data": data})

    # ---- the page ---------------------------------------------------------------------
    def wait(self, js, arg=None, timeout=10.0):
        """Poll a JS expression (or function of `arg`) until it is truthy; return its value.

        page.wait_for_function compiles its predicate with eval, which the page's
        Content-Security-Policy (no 'unsafe-eval') forbids; page.evaluate is not affected.
        """

        # A TypeError (an element not drawn yet: windows are drawn as they come near the
        # screen) counts as "not yet".
        def attempt():
            try:
                return self.page.evaluate(js, arg)
            except PlaywrightError as exc:
                if "TypeError" not in str(exc):
                    raise
                return None

        return poll(attempt, timeout, f"{js} ({arg!r})")

    def open(self, path="/"):
        """Load a page and wait until the env's windows have been shown (or it is missing)."""
        self.page.goto(self.server.url + path)
        self.wait("document.body.dataset.loaded || document.body.dataset.missing", timeout=15)
        return self.page

    def module(self, module, body, arg=None):
        """Import static/js/<module> (e.g. "workspace/seq.js") in the page; run `body` with it as `m`.

        The page's entry module is static/js/pages/<page>.js: `module` is resolved from js/.
        """
        src = (
            "async (arg) => {"
            " const entry = document.querySelector('script[type=module]').src;"
            f" const m = await import(new URL('../{module}', entry));"
            f" {body} }}"
        )
        return self.page.evaluate(src, arg)

    def wait_loaded(self, eids):
        self.wait("(want) => document.body.dataset.loaded === want", eids, timeout=15)

    def pane(self, win):
        return self.page.locator(f'.grid-stack-item[data-win="{win}"]')

    def shot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"))


def stored_window(win, wtype, content, title="", i=0):
    """A stored window (upstream §3), for env files written before a server starts."""
    return {
        "command": "window",
        "id": win,
        "title": title,
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": f"c-{win}",
        "type": wtype,
        "content": content,
        "i": i,
    }


def text_window(win, content, title="", i=0):
    """A stored text window."""
    return stored_window(win, "text", content, title, i)


def png_data_url(width, height, color=(200, 30, 30)):
    """A data: URL of a solid PNG of the given size."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
