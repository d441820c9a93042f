"""Where the client finds the server: arguments, then VISDOM_* variables, then upstream's defaults."""

import pytest

from visdom_client import ArgumentError, Visdom
from visdom_client.names import server_address


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("http://localhost", 8097, "/")),
        ({"VISDOM_SERVER": "http://10.0.0.5"}, ("http://10.0.0.5", 8097, "/")),
        ({"VISDOM_SERVER": "10.0.0.5"}, ("http://10.0.0.5", 8097, "/")),
        ({"VISDOM_SERVER": "https://vis.example.org:9443"}, ("https://vis.example.org", 9443, "/")),
        ({"VISDOM_PORT": "9000"}, ("http://localhost", 9000, "/")),
        ({"VISDOM_BASE_URL": "/visdom/"}, ("http://localhost", 8097, "/visdom")),
        ({"VISDOM_URL": "https://vis.example.org/team"}, ("https://vis.example.org", 443, "/team")),
        ({"VISDOM_URL": "http://127.0.0.1:8123"}, ("http://127.0.0.1", 8123, "/")),
        ({"VISDOM_URL": "http://[::1]:8123/v/"}, ("http://[::1]", 8123, "/v")),
        # the single variables win over the matching part of VISDOM_URL
        (
            {"VISDOM_URL": "http://a.example:1/x", "VISDOM_PORT": "2", "VISDOM_BASE_URL": "/y"},
            ("http://a.example", 2, "/y"),
        ),
        ({"VISDOM_URL": "http://a.example:1", "VISDOM_SERVER": "http://b"}, ("http://b", 1, "/")),
        ({"VISDOM_PORT": " "}, ("http://localhost", 8097, "/")),  # blank means unset
    ],
)
def test_the_environment_gives_what_no_argument_gives(environ, expected):
    assert server_address(environ=environ) == expected


def test_arguments_win_over_the_environment():
    environ = {"VISDOM_URL": "https://far.example:1/x", "VISDOM_SERVER": "http://b"}
    environ |= {"VISDOM_PORT": "2", "VISDOM_BASE_URL": "/y"}
    assert server_address("http://127.0.0.1", 8097, "/", environ=environ) == (
        "http://127.0.0.1",
        8097,
        "/",
    )
    assert server_address(port=5, environ=environ) == ("http://b", 5, "/y")
    # VISDOM_URL is one address: an argument for any part leaves all of it out
    only_url = {"VISDOM_URL": "https://far.example:1/x"}
    assert server_address(port=5, environ=only_url) == ("http://localhost", 5, "/")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VISDOM_PORT", "eighty"),
        ("VISDOM_PORT", "70000"),
        ("VISDOM_SERVER", "ftp://host"),
        ("VISDOM_SERVER", "http://host:notaport"),
        ("VISDOM_URL", "http://"),
    ],
)
def test_a_bad_variable_is_named(variable, value):
    with pytest.raises(ArgumentError, match=variable):
        server_address(environ={variable: value})


def test_visdom_reads_the_environment(monkeypatch):
    monkeypatch.setenv("VISDOM_URL", "https://vis.example.org:8443/team")
    vis = Visdom(send=False, use_incoming_socket=False)
    assert (vis.server, vis.port, vis.base_url) == ("https://vis.example.org", 8443, "/team")
    assert vis.page_url("main") == "https://vis.example.org:8443/team/env/main"
    explicit = Visdom(server="http://127.0.0.1", port=8097, send=False, use_incoming_socket=False)
    assert (explicit.server, explicit.port, explicit.base_url) == ("http://127.0.0.1", 8097, "")


def test_visdom_keeps_upstream_defaults_without_variables(monkeypatch):
    for name in ("VISDOM_URL", "VISDOM_SERVER", "VISDOM_PORT", "VISDOM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    vis = Visdom(send=False, use_incoming_socket=False)
    assert (vis.server, vis.port, vis.base_url) == ("http://localhost", 8097, "")
