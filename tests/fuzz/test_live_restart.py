"""Junk to every route of a real server process, then a kill -9 and a restart: every env it
listed comes back with the same windows (snapshots plus journal replay)."""

import requests
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from .helpers import (
    budget,
    check_healthy,
    check_restart_keeps,
    close_everything,
    register_api_endpoints,
)
from .test_http import fuzz_every_door, seed


class Response:
    """A requests response with the Flask test response's reading methods."""

    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code
        self.mimetype = response.headers.get("Content-Type", "").split(";")[0].strip()

    def get_data(self, as_text=False):
        return self.response.text if as_text else self.response.content

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.response.close()


class HttpClient:
    """The Flask test client's calls, sent over HTTP to a live server."""

    def __init__(self, url, application):
        self.url = url
        self.application = application  # an in-process twin, for its url_map only
        self.session = requests.Session()

    def open(self, path, method="GET", data=None, headers=None, content_type=None, json=None):
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        # One connection per request: what is fuzzed is the server's answer to junk, not
        # the client's reuse of a kept-alive connection the server may have just closed.
        headers.setdefault("Connection", "close")
        response = self.session.request(
            method,
            self.url + path,
            data=data,
            json=json,
            headers=headers,
            timeout=30,
            allow_redirects=False,
        )
        return Response(response)

    def post(self, path, data=None, headers=None, json=None):
        return self.open(path, "POST", data=data, headers=headers, json=json)

    def get(self, path, headers=None):
        return self.open(path, "GET", headers=headers)


def test_junk_then_kill_and_restart_keeps_every_env(server_factory, make_app):
    twin = make_app()
    register_api_endpoints(twin)
    server = server_factory()
    client = HttpClient(server.url, twin)
    seed(client)
    failures = []

    @settings(max_examples=budget(8), phases=[Phase.explicit, Phase.generate])
    @given(st.data())
    def fuzz(data):
        fuzz_every_door(twin, client, data, None, failures)

    fuzz()
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:20])
    before = check_healthy(client)
    server.restart(kill=True)
    check_restart_keeps(before, client)
    check_healthy(client, tag="after")
    close_everything(client)
