"""Statistics across runs, pure numpy: centre, spread, intervals of a mean and of a difference.

Used by the aggregate of curves across envs (aggregate.py) and by the runs table's group
rows and difference readout (runsummary.py). No scipy at runtime: the Student t quantile
is computed here from the regularized incomplete beta function (a continued fraction,
Lentz's method) inverted by bisection; tests/unit checks it against scipy.stats.t.

Conventions, shared by every function here:
- NaN (and ±Inf) values are ignored: they are not observations.
- A spread of one value is 0 (std and sem), and the confidence interval of the mean of
  one value is undefined: it is answered as lo = hi = the value, never NaN, so that the
  JSON a browser reads stays strict. No values at all give NaN, which callers drop.
- Intervals are two-sided 95 %.
"""

import functools
import math

import numpy as np

LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 0  # fixed: the same data always gets the same interval


def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """Return the regularized incomplete beta function I_x(a, b) for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    # The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use symmetry.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    """Return P(T <= t) for Student's t with `df` (> 0, not necessarily whole) degrees."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@functools.lru_cache(maxsize=4096)
def t_quantile(p, df):
    """Return t such that P(T <= t) = p, for 0 < p < 1 and df > 0 (bisection to 1e-12)."""
    if not 0.0 < p < 1.0 or not df > 0:
        raise ValueError(f"t_quantile needs 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2.0 * p - 1.0) * math.sqrt(2.0 / (4.0 * p * (1.0 - p)))
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def t_critical(df, level=LEVEL):
    """Return the two-sided critical value of Student's t for `level` (95 %: p = 0.975)."""
    return t_quantile(0.5 + level / 2.0, float(df))


def finite(values):
    """Return the finite values of `values` as a float array (NaN, ±Inf, null dropped)."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    return arr[np.isfinite(arr)]


def describe(values):
    """Return {"n", "mean", "median", "std", "sem", "lo", "hi"} of the finite values.

    std is the sample standard deviation (ddof 1); lo/hi the 95 % t interval of the mean.
    One value: std = sem = 0 and lo = hi = the value. No value: n = 0 and None elsewhere.
    """
    arr = finite(values)
    n = len(arr)
    if n == 0:
        return {k: None for k in ("mean", "median", "std", "sem", "lo", "hi")} | {"n": 0}
    mean = float(arr.mean())
    std = float(arr.std(ddof=1)) if n > 1 else 0.0
    sem = std / math.sqrt(n)
    half = t_critical(n - 1) * sem if n > 1 else 0.0
    return {
        "n": n,
        "mean": mean,
        "median": float(np.median(arr)),
        "std": std,
        "sem": sem,
        "lo": mean - half,
        "hi": mean + half,
    }


def columns(matrix, stat="mean", band="std"):
    """Return (y, lo, hi, n) per column of `matrix` (rows: runs; NaN: the run is absent).

    y is the column's mean or median; the band is y ± std, y ± sem, the 95 % t
    interval of the mean (centred on the mean whatever `stat` is), or the min and max.
    Columns with no value give NaN in y, lo and hi and n = 0 (the caller drops them).
    """
    m = np.asarray(matrix, dtype=np.float64)
    m = np.where(np.isfinite(m), m, np.nan)
    present = ~np.isnan(m)
    n = present.sum(axis=0)
    some = n > 0
    y = np.full(m.shape[1], np.nan)
    lo, hi = y.copy(), y.copy()
    if not some.any():
        return y, lo, hi, n
    sub = m[:, some]
    k = n[some].astype(np.float64)
    mean = np.nansum(sub, axis=0) / k
    y[some] = np.nanmedian(sub, axis=0) if stat == "median" else mean
    if band == "minmax":
        lo[some], hi[some] = np.nanmin(sub, axis=0), np.nanmax(sub, axis=0)
        return y, lo, hi, n
    dev = np.where(np.isnan(sub), 0.0, sub - mean)
    var = np.divide((dev * dev).sum(axis=0), k - 1, out=np.zeros_like(k), where=k > 1)
    std = np.sqrt(var)
    if band == "std":
        half, centre = std, y[some]
    elif band == "sem":
        half, centre = std / np.sqrt(k), y[some]
    elif band == "ci95":
        crit = np.array([t_critical(c - 1) if c > 1 else 0.0 for c in k])
        half, centre = crit * std / np.sqrt(k), mean
    else:
        raise ValueError(f"unknown band {band!r}")
    lo[some], hi[some] = centre - half, centre + half
    return y, lo, hi, n


def welch_interval(a, b, level=LEVEL):
    """Return (diff, lo, hi) for mean(a) - mean(b) by Welch's t interval (unequal variances).

    Needs at least two finite values in each sample (ValueError otherwise). When both
    samples are constant the difference is exact: lo = hi = diff.
    """
    a, b = finite(a), finite(b)
    if len(a) < 2 or len(b) < 2:
        raise ValueError("Welch's interval needs at least two values in each group")
    na, nb = len(a), len(b)
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    diff = float(a.mean() - b.mean())
    se = math.sqrt(va + vb)
    if se == 0.0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    half = t_critical(df, level) * se
    return diff, diff - half, diff + half


def bootstrap_interval(a, b, level=LEVEL, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED):
    """Return (diff, lo, hi) for mean(a) - mean(b) by a percentile bootstrap.

    Each of `resamples` rounds draws len(a) values from a and len(b) from b with
    replacement (numpy's default_rng(seed), so the answer is reproducible) and takes the
    difference of the means; lo and hi are its 2.5th and 97.5th percentiles. Needs at
    least two finite values in each sample.
    """
    a, b = finite(a), finite(b)
    if len(a) < 2 or len(b) < 2:
        raise ValueError("the bootstrap interval needs at least two values in each group")
    rng = np.random.default_rng(seed)
    means_a = a[rng.integers(0, len(a), size=(resamples, len(a)))].mean(axis=1)
    means_b = b[rng.integers(0, len(b), size=(resamples, len(b)))].mean(axis=1)
    diffs = means_a - means_b
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(diffs, [tail, 1.0 - tail])
    return float(a.mean() - b.mean()), float(lo), float(hi)
