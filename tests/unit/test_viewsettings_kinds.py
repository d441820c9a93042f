"""View settings of issue 16: smoothing kinds and their strengths, x by another window's
values (`metric:<win>`) and the min/max envelope are validated like the others."""

import pytest

from app.common import VisdomError
from app.panes.viewsettings import check_view, merge_view


def test_new_keys_are_accepted_and_kept():
    view = check_view(
        {
            "smoothing_kind": "gaussian",
            "smoothing_window": 25,
            "smoothing_sigma": 4,
            "xaxis": "metric:tokens_seen",
            "envelope": True,
        }
    )
    assert view == {
        "smoothing_kind": "gaussian",
        "smoothing_window": 25,
        "smoothing_sigma": 4.0,
        "xaxis": "metric:tokens_seen",
        "envelope": True,
    }
    merged = merge_view({}, "loss", view)
    assert merged["windows"]["loss"]["smoothing_kind"] == "gaussian"
    # null removes a setting, as for the others.
    assert (
        merge_view(merged, "loss", check_view({"envelope": None}))["windows"]["loss"].get(
            "envelope"
        )
        is None
    )
    for kind in ("ema", "time_ema", "running", "gaussian"):
        assert check_view({"smoothing_kind": kind}) == {"smoothing_kind": kind}


@pytest.mark.parametrize(
    ("view", "field"),
    [
        ({"smoothing_kind": "lowess"}, "view.smoothing_kind"),
        ({"smoothing_kind": 3}, "view.smoothing_kind"),
        ({"smoothing_window": 0}, "view.smoothing_window"),
        ({"smoothing_window": 2.5}, "view.smoothing_window"),
        ({"smoothing_window": True}, "view.smoothing_window"),
        ({"smoothing_window": 10**9}, "view.smoothing_window"),
        ({"smoothing_sigma": -1}, "view.smoothing_sigma"),
        ({"smoothing_sigma": float("nan")}, "view.smoothing_sigma"),
        ({"smoothing_sigma": float("inf")}, "view.smoothing_sigma"),
        ({"smoothing_sigma": "3"}, "view.smoothing_sigma"),
        ({"envelope": 1}, "view.envelope"),
        ({"xaxis": "metric:"}, "view.xaxis"),
        ({"xaxis": "metric:" + "w" * 2000}, "view.xaxis"),
        ({"xaxis": "tokens"}, "view.xaxis"),
    ],
)
def test_bad_values_name_their_field(view, field):
    with pytest.raises(VisdomError) as err:
        check_view(view)
    assert err.value.field == field
    assert err.value.status == 400
