"""Show an env, or one live window, inline in a Jupyter notebook (an <iframe>)."""

import html
from urllib.parse import quote

from .errors import bad_type, bad_value
from .names import sanitise_env

ENV_HEIGHT = 600
WINDOW_HEIGHT = 420


def _size(name, value):
    """A CSS length from an int (pixels) or a string such as "100%" or "30em"."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_type(name, "pixels (int) or a CSS length (str)", value)
    if isinstance(value, int):
        if value <= 0:
            raise bad_value(name, "a positive number of pixels", value)
        return f"{value}px"
    if not value.strip() or any(c in value for c in "\"'<>;"):
        raise bad_value(name, "a CSS length such as '100%' or '30em'", repr(value))
    return value.strip()


class Embed:
    """An env page or a single-window page of the server, shown as an <iframe> in Jupyter.

    `url` is the page's address as the notebook's browser must reach it. The iframe uses
    that browser's own session: with login on, sign in once at the server in a tab of the
    same browser (see docs/client.md).
    """

    def __init__(self, url, title, width="100%", height=ENV_HEIGHT):
        self.url = url
        self.title = title
        self.width = _size("width", width)
        self.height = _size("height", height)

    def _repr_html_(self):
        return (
            f'<iframe src="{html.escape(self.url, quote=True)}" '
            f'title="{html.escape(self.title, quote=True)}" '
            f'style="width: {self.width}; height: {self.height}; border: 1px solid #d0d4da;" '
            'allow="clipboard-write"></iframe>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def __repr__(self):
        return f"<visdom {self.title}: {self.url}>"


class NotebookMixin:
    """`show()` and the rich display of the Visdom object in Jupyter."""

    def page_url(self, env=None, win=None):
        """The browser address of env `env` (default: this client's), or of window `win` alone."""
        env = self.env if env is None else env
        if not isinstance(env, str) or not env:
            raise bad_type("env", "a non-empty string or None", env)
        root = f"{self.server}:{self.port}{self.base_url}"
        eid = quote(sanitise_env(env), safe="")
        if win is None:
            return f"{root}/env/{eid}"
        if not isinstance(win, str) or not win:
            raise bad_type("win", "a window id (non-empty string) or None", win)
        return f"{root}/window/{eid}/{quote(win, safe='')}"

    def show(self, env=None, win=None, width="100%", height=None):
        """Return an object that Jupyter displays as the env's page, or window `win` alone.

        The page stays live: later plotting calls show up in it. `width` and `height` are
        pixels (int) or CSS lengths (str); height defaults to 600 px for an env and 420 px
        for a window. Outside Jupyter, `.url` is the address to open.
        """
        url = self.page_url(env, win)
        env = self.env if env is None else env
        if height is None:
            height = ENV_HEIGHT if win is None else WINDOW_HEIGHT
        title = f"env {env}" if win is None else f"window {win} of env {env}"
        return Embed(url, title, width, height)

    def _repr_html_(self):
        return self.show()._repr_html_()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.show()._repr_mimebundle_(include, exclude)
