"""Budget, response checks, the health check and the restart check shared by the fuzz tests.

The fuzz tests are reproducible by default (profile "ci": derandomized, no example
database). `VISDOM_FUZZ=deep` runs ten times the examples with fresh random seeds, to
hunt for new bugs by hand.
"""

import json
import os
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, settings

SUPPRESSED = [
    # One app per test on purpose: junk sent by an earlier example must not break a later one.
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
]
# CI neither shrinks (each shrink step replays a whole server run: minutes) nor explains
# (on Python 3.11 that traces every line); a failure shows the unshrunk steps. The "deep"
# profile shrinks.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=SUPPRESSED,
)
settings.register_profile(
    "deep",
    derandomize=False,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=SUPPRESSED,
)
PROFILE = os.environ.get("VISDOM_FUZZ", "ci")
settings.load_profile(PROFILE)
SCALE = 10 if PROFILE == "deep" else 1


def budget(examples):
    """Return the number of examples to run: `examples` in CI, more when hunting."""
    return examples * SCALE


# Endpoints that answer redirects by design (sign in/out) or HTML pages.
# Pages: Werkzeug redirects a path with "//" to its merged form (308), as for any page.
REDIRECTING = {
    "auth.login",
    "auth.logout",
    "pages.index",
    "pages.env_page",
    "pages.compare_page",
    "pages.window_page",
}
# Endpoints whose refusals are not API errors (upstream's login answers, pages, files).
NOT_API = REDIRECTING | {"auth.upstream_login", "static", "pages.plotly_js", "views.user_css"}


def describe(method, path, body):
    """A short, readable account of a request for a failure message."""
    text = repr(body)
    if len(text) > 200:
        text = text[:160] + f"... ({len(body)} {'bytes' if isinstance(body, bytes) else 'items'})"
    return f"{method} {path} {text}"


def check_response(response, endpoint, what):
    """Assert a 2xx or 4xx answer (3xx only for sign-in and pages); API errors name the field."""
    status = response.status_code
    body = response.get_data()
    context = f"{endpoint}: {what} -> {status} {body[:300]!r}"
    assert status < 500, context
    if 300 <= status < 400:
        # A path with "//" that matched no rule as given: Werkzeug answers 308 to the path
        # with merged slashes (no view ran), whichever rule that one then matches.
        merged = endpoint is None and status == 308 and "//" in what
        assert endpoint in REDIRECTING or merged, context
        return
    assert 200 <= status < 500, context
    if status < 400 or endpoint not in API_ENDPOINTS:
        return
    if response.mimetype == "text/plain":
        # Upstream clients read these refusals literally (protocol section 2.3, and the
        # image/plot slider refusals of 0.3.0): the window or the field at fault is named.
        text = body.decode("utf-8", "replace")
        assert (
            text == "win does not exist"
            or text.startswith("win is not ")
            or (text.startswith("'data[0].selected'"))
        ), context
        return
    error = json.loads(body)
    assert isinstance(error.get("error"), str) and error["error"], context
    assert error.get("status") == status, context
    if status == 404 and error["error"].startswith("no such page"):
        return  # the path matched no route (an HTTP client resolved "..", say)
    if status in (400, 404, 409, 413):
        assert isinstance(error.get("field"), str) and error["field"], context


API_ENDPOINTS = set()  # filled by register_api_endpoints


def register_api_endpoints(app):
    """Remember which endpoints of `app` are API routes (everything but pages and files)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in NOT_API:
            API_ENDPOINTS.add(rule.endpoint)


def post(client, path, body, headers=None):
    """POST a JSON body as text, as the upstream client does; check and return the response."""
    response = client.post(path, data=json.dumps(body), headers=headers or {})
    check_response(response, _endpoint(client, path, "POST"), describe("POST", path, body))
    return response


def _endpoint(client, path, method):
    adapter = client.application.url_map.bind("localhost")
    try:
        return adapter.match(path, method=method)[0]
    except Exception:  # noqa: BLE001 - an unknown path: no endpoint to name
        return None


def canonical(value):
    """JSON text that compares equal for equal data (NaN included)."""
    return json.dumps(value, sort_keys=True)


def read_everything(client, headers=None):
    """Return {eid: canonical window map} for every env the server lists; each must read."""
    response = post(client, "/env_state", {}, headers)
    assert response.status_code == 200
    eids = json.loads(response.get_data())
    assert isinstance(eids, list) and all(isinstance(e, str) for e in eids), eids
    found = {}
    for eid in eids:
        response = post(client, "/win_data", {"eid": eid, "win": None}, headers)
        assert response.status_code == 200, (eid, response.get_data()[:300])
        windows = json.loads(response.get_data())
        assert isinstance(windows, dict), (eid, windows)
        found[eid] = canonical(windows)
    return found


def check_healthy(client, headers=None, tag="h"):
    """Assert the server still works after junk; return what it stores ({eid: windows}).

    A normal create/append/read round trip works; every env listed reads over HTTP and as
    the browser's JSON; every window answers /win_hash; the compare view of all envs works.
    """
    headers = headers or {}
    win = f"health_{tag}"
    line = {"x": [0], "y": [1.5], "type": "scatter", "name": "h"}
    body = {"eid": "fuzz_health", "win": win, "data": [line], "layout": {}, "opts": {}}
    assert post(client, "/events", body, headers).status_code == 200
    append = {"eid": "fuzz_health", "win": win, "append": True, "name": "h"}
    append["data"] = [{"x": [1], "y": [2.5], "type": "scatter"}]
    assert post(client, "/update", append, headers).get_data(as_text=True) == win
    read = post(client, "/win_data", {"eid": "fuzz_health", "win": win}, headers)
    trace = json.loads(read.get_data())["content"]["data"][0]
    assert (trace["x"], trace["y"]) == ([0, 1], [1.5, 2.5])

    stored = read_everything(client, headers)
    assert "fuzz_health" in stored
    for eid, windows in stored.items():
        response = client.get("/api/env/" + quote(eid, safe=""), headers=headers)
        check_response(response, "envs.env_json", f"GET /api/env/{eid}")
        assert response.status_code == 200, (eid, response.get_data()[:300])
        for win_id in json.loads(windows):
            response = post(client, "/win_hash", {"eid": eid, "win": win_id}, headers)
            assert response.status_code == 200, (eid, win_id)
    joined = "+".join(quote(eid, safe="") for eid in stored)
    response = client.get("/api/compare/" + joined, headers=headers)
    check_response(response, "envs.compare_json", f"GET /api/compare/{joined}")
    assert response.status_code == 200
    return stored


def _without_content_ids(windows_text):
    """The windows minus contentID, the browser's render key (a journal replay makes new ones)."""
    windows = json.loads(windows_text)
    for window in windows.values():
        if isinstance(window, dict):
            window.pop("contentID", None)
    return canonical(windows)


def check_restart_keeps(before, client, headers=None):
    """Assert a restarted server lists the same envs with the same windows."""
    after = read_everything(client, headers)
    assert set(before) <= set(after), sorted(set(before) - set(after))
    if "main" not in before:  # deleted: a server always starts with an (empty) main
        assert after.pop("main") == "{}"
    assert sorted(after) == sorted(before)
    for eid, windows in before.items():
        assert _without_content_ids(after[eid]) == _without_content_ids(windows), eid


def close_everything(client, headers=None):
    """Close every window of every env: later operations must work on whatever is stored."""
    for eid in json.loads(post(client, "/env_state", {}, headers).get_data()):
        response = post(client, "/close", {"eid": eid, "win": None}, headers)
        assert response.status_code == 200, (eid, response.get_data()[:300])
        assert json.loads(post(client, "/win_data", {"eid": eid}, headers).get_data()) == {}
