"""The real upstream visdom 0.2.4 client's NaN reaches a webhook (the server-wide rule)."""

import pytest

from tests.client.hooks import Receiver

from .conftest import Upstream


@pytest.fixture
def hooked(server_factory):
    receiver = Receiver()
    yield server_factory("-alert_webhook", receiver.url("/hook")), receiver
    receiver.close()


def test_upstream_nan_append_fires_the_default_rule(hooked):
    server, receiver = hooked
    Upstream(server).run(
        """
        vis = connect()
        vis.line(X=np.array([0.0, 1.0]), Y=np.array([1.0, 0.5]), win="L", name="loss")
        vis.line(X=np.array([2.0]), Y=np.array([np.nan]), win="L", name="loss", update="append")
        vis.line(X=np.array([3.0]), Y=np.array([np.inf]), win="L", name="loss", update="append")
        """,
        env="upstream_nan",
    )
    ((_, body),) = receiver.wait(eid="upstream_nan", timeout=3.0)
    assert body["win"] == "L" and body["trace"] == "loss" and body["step"] == 2.0
    assert body["value"] in ("NaN", "Infinity") and body["rule"]["kind"] == "nan"
