"""app.panes.aggregate, stats and grouping against independent computations (numpy, scipy)."""

import bisect
import math
import re

import numpy as np
import pytest
import scipy.stats

from app.common import VisdomError
from app.panes import aggregate, grouping, stats


def reference(runs, px, stat="mean", band="std"):
    """Aggregate with plain loops: bins over the union range, per run per bin the mean,
    interpolated inside the run's range, then the statistic over the runs present."""
    runs = [
        (
            np.asarray(x, float)[np.isfinite(x) & np.isfinite(y)],
            np.asarray(y, float)[np.isfinite(x) & np.isfinite(y)],
        )
        for x, y in ((np.asarray(x, float), np.asarray(y, float)) for x, y in runs)
    ]
    lo = min(x.min() for x, _ in runs if len(x))
    hi = max(x.max() for x, _ in runs if len(x))
    distinct = sorted(set().union(*[set(x.tolist()) for x, _ in runs]))
    if all(len(set(x.tolist())) <= px for x, _ in runs) and len(distinct) <= px:
        centres = np.array(distinct)

        def where(v):
            return distinct.index(v)
    else:
        edges = np.linspace(lo, hi, px + 1)
        centres = (edges[:-1] + edges[1:]) / 2
        inner = edges[1:-1].tolist()

        def where(v):  # bin k holds edges[k] <= v < edges[k + 1]; the last one also hi
            return bisect.bisect_right(inner, v)

    table = np.full((len(runs), len(centres)), np.nan)
    for r, (x, y) in enumerate(runs):
        cells = {}
        for xv, yv in zip(x.tolist(), y.tolist(), strict=True):
            cells.setdefault(where(xv), []).append(yv)
        if not cells:
            continue
        for k, values in cells.items():
            table[r, k] = sum(values) / len(values)
        have = sorted(cells)
        for k in range(have[0], have[-1] + 1):
            if k not in cells:
                table[r, k] = np.interp(centres[k], centres[have], table[r, have])
    out = {"x": [], "y": [], "lo": [], "hi": [], "n": []}
    for k in range(len(centres)):
        col = table[:, k][~np.isnan(table[:, k])]
        if not len(col):
            continue
        centre = float(np.median(col)) if stat == "median" else float(col.mean())
        sd = float(col.std(ddof=1)) if len(col) > 1 else 0.0
        if band == "minmax":
            a, b = col.min(), col.max()
        elif band == "std":
            a, b = centre - sd, centre + sd
        elif band == "sem":
            a, b = centre - sd / math.sqrt(len(col)), centre + sd / math.sqrt(len(col))
        else:
            if len(col) > 1:
                a, b = scipy.stats.t.interval(
                    0.95, len(col) - 1, loc=col.mean(), scale=scipy.stats.sem(col)
                )
            else:
                a = b = col.mean()
        out["x"].append(centres[k])
        out["y"].append(centre)
        out["lo"].append(a)
        out["hi"].append(b)
        out["n"].append(len(col))
    return out


def same(got, want):
    assert got["n"] == want["n"]
    for key in ("x", "y", "lo", "hi"):
        assert got[key] == pytest.approx(want[key], rel=1e-9, abs=1e-9), key


def staggered_runs(rng):
    """Runs on different step grids and ranges, with NaN and a gap."""
    a_x = np.arange(0, 1000, 3.0)
    b_x = np.arange(50, 700, 7.0)
    c_x = np.concatenate([np.arange(0, 200, 1.0), np.arange(600, 900, 1.0)])  # a gap
    runs = [(x, rng.normal(size=len(x)) + x / 100) for x in (a_x, b_x, c_x)]
    runs[1][1][[3, 10, 11]] = np.nan
    runs[2][1][5] = np.inf
    return runs


@pytest.mark.parametrize("band", aggregate.BANDS)
@pytest.mark.parametrize("stat", aggregate.STATS)
def test_binned_aggregate_matches_the_reference(stat, band):
    runs = staggered_runs(np.random.default_rng(0))
    got = aggregate.aggregate(runs, px=120, stat=stat, band=band)
    same(got, reference(runs, 120, stat, band))
    assert max(got["n"]) == 3 and min(got["n"]) == 1
    assert all(math.isfinite(v) for key in ("x", "y", "lo", "hi") for v in got[key])


def test_runs_on_few_steps_align_exactly_on_their_union():
    runs = [([0, 10, 20, 30], [1.0, 2, 3, 4]), ([0, 25, 50], [10.0, 20, 30])]
    got = aggregate.aggregate(runs, px=1200, band="minmax")
    assert got["x"] == [0, 10, 20, 25, 30, 50]
    # the first run stops at 30: not extrapolated to 50; the second is interpolated at 10
    assert got["n"] == [2, 2, 2, 2, 2, 1]
    assert got["lo"][1] == 2.0 and got["hi"][1] == pytest.approx(14.0)
    same(got, reference(runs, 1200, "mean", "minmax"))


def test_a_group_of_one_has_a_zero_band_and_no_nan():
    got = aggregate.aggregate([([0, 1, 2], [1.0, np.nan, 3.0])], px=10, band="ci95")
    assert got["x"] == [0, 2] and got["y"] == got["lo"] == got["hi"] == [1.0, 3.0]
    assert got["n"] == [1, 1]


def test_no_finite_point_gives_empty_curves():
    assert aggregate.aggregate([([0, 1], [np.nan, np.nan])], px=10)["x"] == []


def test_big_runs_are_binned_to_px():
    rng = np.random.default_rng(1)
    runs = [(np.arange(50_000.0), rng.normal(size=50_000)) for _ in range(5)]
    got = aggregate.aggregate(runs, px=300)
    assert len(got["x"]) == 300 and got["n"] == [5] * 300
    same(got, reference(runs, 300))


def test_envelope_bins_hold_the_raw_extremes():
    rng = np.random.default_rng(2)
    y = rng.normal(size=10_000)
    y[4321] = 99.0
    x = np.arange(10_000.0)
    env = aggregate.envelope(x, y, px=50)
    assert len(env["x"]) == 50 and sum(env["n"]) == 10_000
    edges = np.linspace(0, 9999, 51)
    k = bisect.bisect_right(edges[1:-1].tolist(), 4321)
    assert env["hi"][k] == 99.0
    inside = (x >= edges[k]) & (x < edges[k + 1])
    assert env["mean"][k] == pytest.approx(y[inside].mean())
    assert env["lo"][k] == pytest.approx(y[inside].min())


def test_join_on_step_is_exact_and_takes_the_last_duplicate():
    hit, x = aggregate.join_on_step([0, 1, 2, 3], [3, 1, 1, 5], [30.0, 10.0, 11.0, 50.0])
    assert hit.tolist() == [1, 3] and x.tolist() == [11.0, 30.0]


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 9, 30, 123.4, 5000])
@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.995])
def test_t_quantile_matches_scipy(df, p):
    assert stats.t_quantile(p, df) == pytest.approx(scipy.stats.t.ppf(p, df), rel=1e-9)
    assert stats.t_quantile(1 - p, df) == pytest.approx(scipy.stats.t.ppf(1 - p, df), rel=1e-9)


def test_describe_ci_matches_scipy_and_ignores_nan():
    values = [2.0, 4.0, np.nan, 9.0, 1.5, np.inf]
    clean = [2.0, 4.0, 9.0, 1.5]
    got = stats.describe(values)
    lo, hi = scipy.stats.t.interval(0.95, 3, loc=np.mean(clean), scale=scipy.stats.sem(clean))
    assert got["n"] == 4 and (got["lo"], got["hi"]) == (pytest.approx(lo), pytest.approx(hi))
    assert stats.describe([7.0]) | {} == {
        "n": 1,
        "mean": 7.0,
        "median": 7.0,
        "std": 0.0,
        "sem": 0.0,
        "lo": 7.0,
        "hi": 7.0,
    }
    assert stats.describe([np.nan])["mean"] is None


@pytest.mark.parametrize("seed", range(5))
def test_welch_matches_scipy_ttest_ind(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1 + seed, size=3 + seed)
    b = rng.normal(1, 0.5, size=8 - seed)
    want = scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval()
    diff, lo, hi = stats.welch_interval(a, b)
    assert diff == pytest.approx(a.mean() - b.mean())
    assert (lo, hi) == (pytest.approx(want.low, rel=1e-8), pytest.approx(want.high, rel=1e-8))


def test_bootstrap_is_seeded_and_close_to_scipy():
    rng = np.random.default_rng(7)
    a, b = rng.normal(2, 1, size=40), rng.normal(0, 1, size=30)
    first = stats.bootstrap_interval(a, b)
    assert stats.bootstrap_interval(a, b) == first
    want = scipy.stats.bootstrap(
        (a, b), lambda x, y: x.mean() - y.mean(), method="percentile", rng=0, n_resamples=10_000
    ).confidence_interval
    assert first[1] == pytest.approx(want.low, abs=0.08)
    assert first[2] == pytest.approx(want.high, abs=0.08)
    with pytest.raises(ValueError):
        stats.bootstrap_interval([1.0], [2.0, 3.0])


def test_regex_groups_use_the_first_capture_group_or_the_whole_match():
    eids = ["cifar_lr3e-4_seed0", "cifar_lr3e-4_seed1", "cifar_lr1e-3_seed0", "notes"]
    groups, missing = grouping.group_envs(eids, r"re:^(.*)_seed\d+$", {})
    assert groups == {"cifar_lr3e-4": eids[:2], "cifar_lr1e-3": [eids[2]]}
    assert missing == [{"env": "notes", "reason": "env id does not match '^(.*)_seed\\\\d+$'"}]
    whole, _ = grouping.group_envs(eids, r"re:lr[^_]+", {})
    assert list(whole) == ["lr3e-4", "lr1e-3"]


def test_param_and_tag_groups():
    def record(lr, tag=None):
        return {
            "params": [{"key": "lr", "value": lr, "dtype": "float"}],
            "tags": [{"key": "arch", "value": tag}] if tag else [],
        }

    records = {"a": record(0.0003, "mlp"), "b": record(0.0003), "c": record("x"), "d": None}
    groups, missing = grouping.group_envs(list("abcd"), "param:lr", records)
    assert groups == {"0.0003": ["a", "b"], "x": ["c"]}
    assert [m["env"] for m in missing] == ["d"]
    tags, missing = grouping.group_envs(list("abcd"), "tag:arch", records)
    assert tags == {"mlp": ["a"]} and len(missing) == 3
    with pytest.raises(VisdomError) as err:
        grouping.group_envs(list("abc"), "param:momentum", records)
    assert err.value.field == "group"
    with pytest.raises(VisdomError, match=re.escape("invalid")):
        grouping.parse_group("re:(unclosed")


def test_points_logged_out_of_order_give_the_same_aggregate():
    runs = staggered_runs(np.random.default_rng(4))
    rng = np.random.default_rng(5)
    shuffled = []
    for x, y in runs:
        order = rng.permutation(len(x))
        shuffled.append((x[order], y[order]))
    same(aggregate.aggregate(shuffled, px=90), reference(runs, 90))
    x, y = runs[0]
    order = rng.permutation(len(x))
    assert aggregate.envelope(x[order], y[order], px=40) == aggregate.envelope(x, y, px=40)
