"""vis.show() and the Visdom object's rich display in Jupyter: an <iframe> of a server page."""

import html
import re

import pytest

from visdom_client import ArgumentError, ArgumentTypeError, Visdom


@pytest.fixture
def vis():
    client = Visdom(
        server="http://example.test", port=9000, env="main", send=False, use_incoming_socket=False
    )
    yield client
    client.shutdown()


def iframe_src(markup):
    match = re.fullmatch(
        r'<iframe src="([^"]*)" title="([^"]*)" style="([^"]*)"[^>]*></iframe>', markup
    )
    assert match, markup
    return html.unescape(match.group(1)), html.unescape(match.group(2)), match.group(3)


def test_show_without_arguments_embeds_the_clients_env(vis):
    shown = vis.show()
    src, title, style = iframe_src(shown._repr_html_())
    assert src == "http://example.test:9000/env/main"
    assert title == "env main"
    assert "height: 600px" in style and "width: 100%" in style
    assert shown.url == src


def test_show_a_window_embeds_the_single_window_page(vis):
    src, title, style = iframe_src(vis.show(env="exp 1", win="loss/curve")._repr_html_())
    assert src == "http://example.test:9000/window/exp%201/loss%2Fcurve"
    assert title == "window loss/curve of env exp 1"
    assert "height: 420px" in style


def test_env_names_are_sanitised_like_the_server_does_and_urls_escaped_in_html(vis):
    src, _, _ = iframe_src(vis.show(env='a/b"<x>&')._repr_html_())
    assert src == "http://example.test:9000/env/a_b%22%3Cx%3E%26"
    markup = vis.show(env="t", win='w"><script>')._repr_html_()
    assert "<script>" not in markup
    assert iframe_src(markup)[0].endswith("/window/t/w%22%3E%3Cscript%3E")


def test_base_url_and_https_are_kept():
    client = Visdom(
        server="https://viz.example",
        port=443,
        base_url="/visdom",
        env="e",
        send=False,
        use_incoming_socket=False,
    )
    try:
        assert client.show(win="w").url == "https://viz.example:443/visdom/window/e/w"
    finally:
        client.shutdown()


def test_mimebundle_has_html_and_plain_text(vis):
    bundle = vis.show(win="w1")._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert iframe_src(bundle["text/html"])[0].endswith("/window/main/w1")
    assert "http://example.test:9000/window/main/w1" in bundle["text/plain"]


def test_the_visdom_object_displays_its_env(vis):
    assert iframe_src(vis._repr_html_())[0] == "http://example.test:9000/env/main"
    assert iframe_src(vis._repr_mimebundle_()["text/html"])[0].endswith("/env/main")


def test_sizes(vis):
    style = iframe_src(vis.show(width=500, height="30em")._repr_html_())[2]
    assert "width: 500px" in style and "height: 30em" in style


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"env": 3}, ArgumentTypeError, "env"),
        ({"env": ""}, ArgumentTypeError, "env"),
        ({"win": 7}, ArgumentTypeError, "win"),
        ({"height": 0}, ArgumentError, "height"),
        ({"height": True}, ArgumentTypeError, "height"),
        ({"width": "1px; background: red"}, ArgumentError, "width"),
        ({"width": 1.5}, ArgumentTypeError, "width"),
    ],
)
def test_bad_arguments_name_the_argument(vis, kwargs, error, names):
    with pytest.raises(error, match=names):
        vis.show(**kwargs)
