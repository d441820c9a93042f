"""Same inputs, same requests: our client against the real upstream clients, call by call.

Upstream visdom 0.3.0 (in .venv-upstream3, Python 3.12) is the reference for every call;
visdom 0.2.4 (in .venv-upstream) for the calls it has, except where 0.3.0 changed what is
sent (CHANGED_IN_030), where we follow 0.3.0.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.support.server import ROOT
from tests.support.upstream import upstream_python

from .capture import CaptureServer

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "wire_script.py")
GENERATED_ID = re.compile(r"^window_[0-9a-f]+$")
STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)

# Calls whose requests differ between 0.2.4 and 0.3.0: ours sends what 0.3.0 sends.
CHANGED_IN_030 = {
    "image_gray_float": "gray images are one-channel PNGs (mode L), no longer RGB",
    "image_single_channel": "gray images are one-channel PNGs (mode L), no longer RGB",
    "dual_axis": "the default y2 title colour is a valid CSS colour (0.2.4: 'rgb(148, 103, 0189)')",
    "dual_axis_opts": "the same colour fix",
}
# Calls where ours deliberately differs from 0.3.0 (documented in docs/client.md).
OURS_DIFFER = {
    "win_hash": "0.3.0 removed win_hash(); ours keeps it",
    "get_env_state": "ours asks /win_data, which every server answers with the window map",
}


def normalise(call, endpoint, body):
    """Return the canonical JSON of a body, with the deliberate differences removed."""
    value = json.loads(body)
    if isinstance(value, dict):
        if isinstance(value.get("win"), str) and GENERATED_ID.match(value["win"]):
            value["win"] = "<generated>"
        data = value.get("data")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            content = data[0].get("content")
            if isinstance(content, str) and content.lstrip().startswith(("<audio", "<video")):
                data[0]["content"] = re.sub(r"\s+", "", content)
            if isinstance(content, str) and content.lstrip().startswith("<style>"):
                # The same CSS rules; only the whitespace of the style block differs.
                style = STYLE.search(content).group(0)
                content = content.replace(style, re.sub(r"\s+", "", style))
                data[0]["content"] = re.sub(r"</style>\s*", "</style>", content).strip()
            # Ours adds "append": true to image-history updates so that the server creates
            # a missing window, instead of upstream's /win_exists round trip.
            if endpoint == "update" and data[0].get("type") == "image_history":
                value.pop("append", None)
    return json.dumps(value, sort_keys=True, allow_nan=True)


def capture(server, python, flavour, tmp_path):
    server.reset()
    workdir = tmp_path / flavour
    workdir.mkdir()
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [python, SCRIPT, flavour, str(server.port), str(workdir)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    requests = {}
    for name, items in server.calls:
        kept = [(e, b) for e, b in items if e != "win_exists" or name == "win_exists"]
        requests[name] = [(e, normalise(name, e, b)) for e, b in kept]
    return requests, dict(server.results)


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """The requests and results of each client; "0.3.0" is missing without its venv."""
    python24 = upstream_python("0.2.4")
    try:
        python30 = upstream_python("0.3.0")
    except pytest.skip.Exception as exc:
        python30 = exc
    tmp_path = tmp_path_factory.mktemp("wire")
    with CaptureServer() as server:
        result = {
            "0.2.4": capture(server, python24, "upstream", tmp_path),
            "ours": capture(server, sys.executable, "ours", tmp_path),
        }
        if isinstance(python30, str):
            result["0.3.0"] = capture(server, python30, "upstream3", tmp_path)
        else:
            result["missing"] = python30
    return result


@pytest.fixture
def with030(captured):
    """Skip (saying how to enable it) a test that needs the 0.3.0 client when it is absent."""
    if "missing" in captured:
        pytest.skip(str(captured["missing"]))
    return captured


def failed_calls(results):
    return {k: v for k, v in results.items() if v.startswith("'EXC")}


def test_every_call_ran_in_our_client(captured):
    ours, our_results = captured["ours"]
    assert list(ours)[: len(captured["0.2.4"][0])] == list(captured["0.2.4"][0])
    assert len(ours) > len(captured["0.2.4"][0]) + 50
    assert failed_calls(our_results) == {}


def test_upstream_024_runs_the_script(captured):
    # Upstream cannot register the embeddings handler without its socket; everything else
    # must run, or the comparison would prove little.
    assert set(failed_calls(captured["0.2.4"][1])) <= {"embeddings"}
    assert len(captured["0.2.4"][0]) > 80


def test_upstream_030_runs_every_call_ours_runs(with030):
    assert list(with030["0.3.0"][0]) == list(with030["ours"][0])
    assert set(failed_calls(with030["0.3.0"][1])) <= {"embeddings", "win_hash"}


def mismatches(reference, ours, names):
    return {
        name: {"upstream": reference[name], "ours": ours.get(name)}
        for name in names
        if ours.get(name) != reference[name]
    }


def test_requests_match_030_call_by_call(with030):
    theirs, ours = with030["0.3.0"][0], with030["ours"][0]
    assert mismatches(theirs, ours, [n for n in theirs if n not in OURS_DIFFER]) == {}


def test_requests_match_024_where_030_did_not_change_them(captured):
    theirs, ours = captured["0.2.4"][0], captured["ours"][0]
    assert mismatches(theirs, ours, [n for n in theirs if n not in CHANGED_IN_030]) == {}


def test_changed_in_030_lists_exactly_the_calls_that_changed(with030):
    old, new = with030["0.2.4"][0], with030["0.3.0"][0]
    changed = {n for n in old if n not in OURS_DIFFER and old[n] != new[n]}
    assert changed == set(CHANGED_IN_030)


def test_get_env_state_asks_for_the_window_map(captured):
    assert captured["ours"][0]["get_env_state"] == [
        ("win_data", json.dumps({"eid": "probe", "win": None}, sort_keys=True))
    ]
    assert captured["ours"][1]["get_env_state"] == repr({"id": "L"})


def test_return_values_match(captured):
    def same(a, b):
        generated = re.compile(r"^'window_[0-9a-f]+'$")
        return a == b or bool(generated.match(a) and generated.match(b or ""))

    skip = {"embeddings", "get_env_list"} | set(OURS_DIFFER)
    for version in ("0.2.4", "0.3.0"):
        if version not in captured:
            continue
        theirs, ours = captured[version][1], captured["ours"][1]
        differ = {
            k: (theirs[k], ours.get(k))
            for k in theirs
            if k not in skip and not same(theirs[k], ours.get(k))
        }
        assert differ == {}, version
