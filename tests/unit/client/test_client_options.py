"""Client options and helpers of 0.3.0 that need no server: ssl_verify, env names, loggers."""

import numpy as np
import pytest

from visdom_client import ArgumentError, ArgumentTypeError, Visdom
from visdom_client.loggers import VisdomLogger, VisdomSklearnLogger
from visdom_client.names import sanitise_env


def test_ssl_verify_is_only_for_https():
    with pytest.raises(ArgumentError, match="ssl_verify"):
        Visdom(server="http://127.0.0.1", ssl_verify=False, send=False)
    with pytest.raises(ArgumentTypeError, match="ssl_verify"):
        Visdom(server="https://127.0.0.1", ssl_verify=3, send=False)
    vis = Visdom(server="https://127.0.0.1", ssl_verify="/ca.pem", send=False)
    assert vis.ssl_verify == "/ca.pem" and vis.session.verify == "/ca.pem"
    vis.shutdown()


def test_env_names_are_sanitised_like_030():
    assert sanitise_env("a/b\\c\nd\re") == "a_b_c-d-e"
    vis = Visdom(env="x/y", send=False)
    assert vis.env == "x_y" and vis.env_list == {"x_y"}


class Recorder:
    """Stands in for a Visdom client: records line/bar/text calls."""

    env = "main"

    def __init__(self):
        self.calls = []

    def line(self, **kwargs):
        self.calls.append(("line", kwargs))
        return kwargs.get("win") or f"w{len(self.calls)}"

    def bar(self, **kwargs):
        self.calls.append(("bar", kwargs))

    def text(self, text, **kwargs):
        self.calls.append(("text", {"text": text, **kwargs}))


def test_visdom_logger_throttles_and_flushes_on_exit():
    viz = Recorder()
    with VisdomLogger(viz, env="run", log_every=3) as tracker:
        for value in range(5):
            tracker.log("loss", float(value))
    sent = [(k["X"], k["Y"], k.get("update")) for _, k in viz.calls]
    # the first value always; then every third; the held-back last one on exit
    assert sent == [([1], [0.0], None), ([3], [2.0], "append"), ([5], [4.0], "append")]
    assert viz.calls[0][1]["opts"] == {"title": "loss", "xlabel": "epoch", "ylabel": "loss"}


def test_visdom_logger_rejects_bad_input():
    tracker = VisdomLogger(Recorder(), env="run")
    with pytest.raises(TypeError, match="name"):
        tracker.log("", 1.0)
    with pytest.raises(TypeError, match="value"):
        tracker.log("loss", "high")
    with pytest.raises(ValueError, match="log_every"):
        VisdomLogger(Recorder(), log_every=0)
    assert VisdomLogger(Recorder()).env.startswith("run_")


def test_sklearn_autolog_logs_the_outermost_fit_and_restores():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    original = LogisticRegression.fit
    viz = Recorder()
    logger = VisdomSklearnLogger.autolog(viz)
    try:
        assert logger.env.startswith("sklearn_")  # the client's env is "main"
        X, y = np.array([[0.0], [1.0], [2.0], [3.0]] * 3), np.array([0, 0, 1, 1] * 3)
        LogisticRegression().fit(X, y)
        assert [kind for kind, _ in viz.calls] == ["text"]
        assert "dataset" in viz.calls[0][1]["text"] and "12 x 1" in viz.calls[0][1]["text"]
        GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2).fit(X, y)
        kinds = [kind for kind, _ in viz.calls[1:]]
        assert kinds == ["bar", "text"]  # the inner fits of the search are not logged
        assert viz.calls[1][1]["opts"]["rownames"] == ["combo_0", "combo_1"]
    finally:
        VisdomSklearnLogger.restore()
    assert LogisticRegression.fit is original
