"""Alert rules, the evaluator's scans, webhook bodies and settings: pure functions."""

import math
import threading
import time

import pytest

from app.alerts.delivery import body_for
from app.alerts.evaluate import Smoother, finite_points, first_nonfinite, traces
from app.alerts.rules import check_rule
from app.common import VisdomError
from app.config import webhook_urls
from app.panes.experiment import with_liveness
from visdom_client import liveness


def types(win):
    return {"L": "plot", "T": "text"}.get(win)


def test_a_rule_is_checked_and_given_an_id():
    rule = check_rule({"kind": "above", "win": "L", "threshold": 2, "smoothing": 0.6}, "e", types)
    assert rule["threshold"] == 2.0 and rule["smoothing"] == 0.6 and rule["id"].startswith("rule_")
    assert check_rule({"kind": "nan"}, "e", types)["win"] is None  # any window of the env
    assert check_rule({"kind": "run", "win": "L"}, "e", types)["win"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "above", "win": "L", "threshold": math.inf}, "threshold"),
        ({"kind": "above", "win": "L", "threshold": True}, "threshold"),
        ({"kind": "below", "win": "T", "threshold": 1}, "win"),
        ({"kind": "stalled", "win": "L", "minutes": -1}, "minutes"),
        ({"kind": "above", "win": "L", "threshold": 1, "smoothing": -0.1}, "smoothing"),
        ({"kind": "nan", "win": 5}, "win"),
        ({"kind": "nan", "trace": 5}, "trace"),
        ({"kind": "nan", "webhook": "javascript:alert(1)"}, "webhook"),
        ({"kind": None}, "kind"),
    ],
)
def test_a_rule_that_could_never_fire_is_refused(body, field):
    with pytest.raises(VisdomError) as err:
        check_rule(body, "e", types)
    assert err.value.field == field and 400 <= err.value.status < 500


def test_nonfinite_values_arrive_as_nan_inf_or_null():
    assert first_nonfinite([1, 2, 3], [0.5, math.nan, 1]) == (2, "NaN")
    assert first_nonfinite([1, 2], [1.0, -math.inf]) == (2, "-Infinity")
    assert first_nonfinite([7, 8], [1.0, None]) == (8, "NaN")  # ours and 0.3.0's NaN
    assert first_nonfinite(None, [math.inf]) == (0, "Infinity")
    # stem/quiver segment breaks (x and y null together) are not values
    assert first_nonfinite([1, 1, None, 2, 2, None], [0, 3, None, 0, 4, None]) is None
    assert first_nonfinite(["a", "b"], [1, 2]) is None
    assert first_nonfinite([1], ["x"]) is None  # not numbers: nothing to judge
    big = [0.0] * 1_000_000
    big[-1] = math.nan
    assert first_nonfinite(None, big) == (999_999, "NaN")


def test_traces_of_update_and_events_bodies():
    body = {"win": "L", "name": "loss", "data": [{"x": [1], "y": [2.0], "type": "scatter"}]}
    assert list(traces(body)) == [("loss", [1], [2.0])]
    body = {"data": [{"x": [1], "y": [2], "name": "a"}, {"type": "heatmap", "z": [[1]]}]}
    assert [t[0] for t in traces(body)] == ["a"]
    assert list(traces({"data": {"update_type": "EntitySelected"}})) == []
    assert finite_points([1, 2, 3], [1.0, None, 3.0]) == [(1, 1.0), (3, 3.0)]


def test_smoothing_is_the_debiased_ema_of_the_ui():
    s = Smoother()
    assert s.add("k", 10.0, 0.9) == pytest.approx(10.0)  # debiased: the first value itself
    values = [s.add("k", v, 0.9) for v in (0.0, 0.0)]
    assert values[0] == pytest.approx(10 * 0.9 * 0.1 / (1 - 0.9**2))
    assert s.add("other", 3.0, 0.0) == 3.0


def test_webhook_bodies_for_slack_discord_and_others():
    alert = {"title": "loss got NaN", "text": "env e", "level": "error", "url": "http://h/w"}
    slack = body_for("https://hooks.slack.com/services/T/B/x", alert)
    assert (
        set(slack) == {"text"} and "loss got NaN" in slack["text"] and "http://h/w" in slack["text"]
    )
    discord = body_for("https://discord.com/api/webhooks/1/abc", alert)
    assert set(discord) == {"content"} and "[error]" in discord["content"]
    assert body_for("http://127.0.0.1:9/hook", alert) is alert


def test_webhooks_from_setting_and_flags_merge_without_duplicates():
    config = {
        "ALERT_WEBHOOK": "http://a.example/x, http://b.example/y http://a.example/x",
        "ALERT_WEBHOOKS": ("http://b.example/y", "https://c.example/z"),
    }
    assert webhook_urls(config) == [
        "http://a.example/x",
        "http://b.example/y",
        "https://c.example/z",
    ]
    with pytest.raises(ValueError, match="ALERT_WEBHOOKS"):
        webhook_urls({"ALERT_WEBHOOKS": ("ftp://x.example/",)})


def test_cli_flags_map_onto_the_settings():
    from app.__main__ import build_parser, overrides

    args = build_parser().parse_args(
        [
            "-alert_webhook",
            "http://a.example/1",
            "-alert_webhook",
            "http://b.example/2",
            "-run_timeout",
            "5",
            "-alert_interval",
            "30",
            "-no_alert_nan",
        ]
    )
    found = overrides(args)
    assert found["ALERT_WEBHOOKS"] == ("http://a.example/1", "http://b.example/2")
    assert found["RUN_TIMEOUT"] == 5.0 and found["ALERT_INTERVAL"] == 30.0
    assert found["ALERT_NAN"] is False
    assert "ALERT_NAN" not in overrides(build_parser().parse_args([]))


def test_a_silent_running_run_reads_crashed():
    record = {"status": "running", "created_at": 10.0, "metrics": [{"timestamp": 12.0}]}
    assert with_liveness(record, None, 1e9, 60) == dict(record, last_seen=12.0)  # no beats
    live = with_liveness(record, {"last_seen": 100.0, "pid": 7}, 150.0, 60)
    assert live["status"] == "running" and live["last_seen"] == 100.0 and live["pid"] == 7
    assert with_liveness(record, {"last_seen": 100.0}, 161.0, 60)["status"] == "crashed"
    done = dict(record, status="finished")
    assert with_liveness(done, {"last_seen": 100.0}, 1e9, 60)["status"] == "finished"


def test_the_exit_beat_never_blocks_longer_than_its_budget():
    sent = []

    def slow_post(body, timeout):
        sent.append(body["status"])
        time.sleep(timeout)  # a server that never answers: the request times out
        raise OSError("timed out")

    beat = liveness.Heartbeat(slow_post)
    beat.every = 3600
    for eid in ("a", "b", "c"):
        beat.start(eid)
    started = time.monotonic()
    beat.end("finished")
    assert time.monotonic() - started < 1.0
    assert "finished" in sent
    assert not [
        t
        for t in threading.enumerate()
        if t.name == "visdom-heartbeat"
        and t.is_alive()
        and t is beat._thread
        and not beat._stop.is_set()
    ]


def test_a_webhook_that_is_not_http_stops_the_server_with_a_message(tmp_path):
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-m", "app", "-env_path", str(tmp_path), "-alert_webhook", "ftp://x.y/"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "VISDOM_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert out.returncode != 0
    assert "ALERT_WEBHOOKS: expected http(s) URLs, got 'ftp://x.y/'" in out.stderr
    assert "Traceback" not in out.stderr
