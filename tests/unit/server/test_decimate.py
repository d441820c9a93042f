"""Display decimation (app.panes.decimate): min/max preserving, raw points when they fit."""

import math

import numpy as np
import pytest

from app.panes import apply_update, build_window
from app.panes.decimate import (
    SHOWN,
    TOTAL,
    budget_for,
    decimate,
    delta_for_browser,
    pick,
    trace_points,
    window_for_browser,
)

N = 1_000_000


def big_line(n=N, **extra):
    x = list(range(n))
    y = [math.sin(i / 1000) for i in range(n)]
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, **extra}


def plot_window(traces, width=None):
    args = {"data": traces, "layout": {}, "opts": {"title": "t", "width": width}}
    return build_window(args, "w")


def test_budget_is_two_points_per_pixel_and_clamped():
    assert budget_for(500) == 1000
    assert budget_for(None) == budget_for("junk") == 2 * 600
    assert budget_for(1) == 32 and budget_for(10**9) == 2 * 8192


@pytest.mark.parametrize("as_array", [False, True])
def test_a_single_point_spike_survives(as_array):
    y = np.sin(np.arange(N) / 1000.0)
    y[777_777] = 50.0  # one point, far above everything else
    y[123_457] = -40.0
    x = np.arange(N)
    if not as_array:
        x, y = x.tolist(), y.tolist()
    xs, ys = decimate(x, y, budget=1000)
    assert len(xs) == len(ys) and 994 <= len(xs) <= 1000
    assert 50.0 in ys and -40.0 in ys
    assert xs[ys.index(50.0)] == 777_777
    assert xs == sorted(xs)


@pytest.mark.parametrize("where", [1, 2, 100, N // 2, N - 300, N - 100, N - 3, N - 2])
def test_a_spike_survives_anywhere_even_next_to_the_ends(where):
    y = np.sin(np.arange(N) / 500.0)
    y[where] = -50.0
    assert where in pick(None, y, budget=400)


def test_the_same_data_is_never_sampled_at_random():
    y = np.random.default_rng(1).normal(size=200_000)
    first = pick(None, y, budget=500)
    assert np.array_equal(first, pick(None, y, budget=500))
    # every bucket's extremes are kept: the global ones in particular
    assert int(np.argmax(y)) in first and int(np.argmin(y)) in first


def test_a_range_with_fewer_points_than_the_budget_returns_them_all_exactly():
    trace = big_line()
    points = trace_points(trace, (500_000, 500_200), budget_for(400))
    xs, ys = points["columns"]["x"], points["columns"]["y"]
    # the 201 raw points of the range plus one neighbour each side, values as stored
    assert xs == list(range(499_999, 500_202))
    assert ys == trace["y"][499_999:500_202]
    assert points["raw"] is True and points["total"] == N and points["shown"] == 203


def test_a_wide_range_is_decimated_to_the_budget_and_stays_in_range():
    points = trace_points(big_line(), (100_000.5, 900_000), 800)
    xs = points["columns"]["x"]
    assert points["shown"] == len(xs) and 794 <= len(xs) <= 800 and points["raw"] is False
    assert 100_000 <= xs[0] and xs[-1] <= 900_001


def test_up_to_four_points_per_pixel_are_sent_raw():
    y = list(range(3000))
    assert 994 <= len(pick(None, y, budget=1000)) <= 1000  # 3 per budget point: decimated
    assert len(pick(None, y, budget=1500)) == 3000  # fits 2 × budget: every point


def test_nan_gaps_survive_decimation():
    y = np.sin(np.arange(N) / 1000.0)
    y[300_000:300_010] = np.nan
    ys = decimate(None, y.tolist(), budget=1000)[1]
    assert any(isinstance(v, float) and math.isnan(v) for v in ys)
    # None (a null from a client) is a gap too
    y2 = [1.0] * 100_000
    y2[50_000] = None
    assert None in decimate(None, y2, budget=500)[1]


def test_unsorted_or_non_numeric_x_is_left_whole():
    rng = np.random.default_rng(0)
    cloud = {"type": "scatter", "mode": "markers", "x": rng.random(50_000).tolist()}
    cloud["y"] = rng.random(50_000).tolist()
    window = plot_window([cloud])
    assert window_for_browser(window, budget=500) is window
    assert pick(cloud["x"], cloud["y"], budget=500) is None
    dates = [f"2024-01-{i % 28 + 1:02d}" for i in range(10_000)]
    assert pick(dates, list(range(10_000)), budget=100) is None
    with_nan_x = [0.0, float("nan")] + [float(i) for i in range(2, 10_000)]
    assert pick(with_nan_x, list(range(10_000)), budget=100) is None


def test_window_for_browser_marks_decimated_traces_and_keeps_the_store():
    small = {"type": "scatter", "x": [0, 1, 2], "y": [3, 4, 5], "name": "small"}
    colors = [f"#{i % 256:02x}0000" for i in range(N)]
    big = big_line(marker={"color": colors, "size": 4}, text=[str(i) for i in range(N)])
    window = plot_window([big, small], width=500)
    out = window_for_browser(window)
    shown = out["content"]["data"]
    assert shown[1] is small and TOTAL not in small
    assert shown[0][TOTAL] == N and shown[0][SHOWN] == len(shown[0]["x"])
    assert 994 <= shown[0][SHOWN] <= 1000
    # per-point arrays follow the chosen points
    assert shown[0]["text"] == [str(x) for x in shown[0]["x"]]
    assert shown[0]["marker"]["color"] == [colors[x] for x in shown[0]["x"]]
    assert shown[0]["marker"]["size"] == 4
    # the stored window is untouched
    assert len(window["content"]["data"][0]["x"]) == N and TOTAL not in big
    assert window_for_browser(plot_window([small])) is not None


def test_three_d_and_heatmap_traces_are_not_decimated():
    n = 10_000
    z3 = {"type": "scatter3d", "x": list(range(n)), "y": list(range(n)), "z": list(range(n))}
    heat = {"type": "heatmap", "z": [[1, 2], [3, 4]]}
    window = plot_window([z3, heat])
    assert window_for_browser(window, budget=100) is window


def test_appends_after_decimation_then_re_decimation():
    window = plot_window([big_line(200_000)])
    first = window_for_browser(window, budget=500)["content"]["data"][0]
    assert first[TOTAL] == 200_000 and 494 <= first[SHOWN] <= 500
    # a small append travels whole; the stored trace keeps every point
    args = {"data": [{"x": [200_000, 200_001], "y": [1e6, 0.0]}], "append": True}
    delta = apply_update(window, args)
    assert delta_for_browser(delta) == delta
    assert len(window["content"]["data"][0]["y"]) == 200_002
    # the next overview holds the appended spike
    again = window_for_browser(window, budget=500)["content"]["data"][0]
    assert again[TOTAL] == 200_002 and 1e6 in again["y"] and again["x"][-1] == 200_001
    # a huge append travels decimated, marked with its raw count
    n = 100_000
    xs = list(range(200_002, 200_002 + n))
    ys = [0.0] * n
    ys[n // 2] = -7.0
    delta = apply_update(window, {"data": [{"x": xs, "y": ys}], "append": True})
    sent = delta_for_browser(delta)["traces"][0]
    assert sent[TOTAL] == n and len(sent["x"]) == len(sent["y"]) <= 2 * budget_for()
    assert -7.0 in sent["y"] and delta["traces"][0]["y"] is ys  # the delta itself untouched
    assert len(window["content"]["data"][0]["y"]) == 200_002 + n
