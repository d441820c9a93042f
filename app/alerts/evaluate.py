"""Find what a rule fires on in an /events or /update body: pure functions over numbers.

Non-finite values arrive three ways: NaN/Infinity tokens from the upstream 0.2.4 client
(parsed to float nan/inf), `null` from ours and from 0.3.0's (they send NaN as null). A
`null` y is a NaN unless its x is null too: stem and quiver plots separate segments with
points whose x and y are both null, and those are not values.
"""

import math

import numpy as np

SCATTER = (None, "scatter", "scattergl")


def traces(args):
    """Yield (trace name, xs, ys) of every 2-D scatter/line trace in a request body."""
    data = args.get("data")
    if not isinstance(data, list):
        return
    for n, trace in enumerate(data):
        if not isinstance(trace, dict) or trace.get("type") not in SCATTER:
            continue
        ys = trace.get("y")
        if not isinstance(ys, list) or not ys or trace.get("z") is not None:
            continue
        name = trace.get("name")
        if name is None:
            name = args.get("name")
        xs = trace.get("x")
        yield (
            (str(name) if name is not None else str(n)),
            (xs if isinstance(xs, list) else None),
            ys,
        )


def _floats(values):
    """Return values as a float array (None -> nan), or None for non-numeric data."""
    try:
        out = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return out if out.ndim == 1 else None


def value_text(value):
    """Return a JSON-safe form of a value: a number, or "NaN" / "Infinity" / "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def first_nonfinite(xs, ys):
    """Return (step, value) of the first non-finite y (value as value_text), or None."""
    arr = _floats(ys)
    if arr is None:
        return None
    bad = np.flatnonzero(~np.isfinite(arr))
    for i in bad:
        i = int(i)
        step = xs[i] if xs is not None and i < len(xs) else i
        if ys[i] is None and xs is not None and step is None:
            continue  # a segment break (stem, quiver), not a value
        return step, value_text(float(arr[i]))
    return None


def finite_points(xs, ys):
    """Return [(step, value)] of the finite points, in order."""
    arr = _floats(ys)
    if arr is None:
        return []
    out = []
    for i in np.flatnonzero(np.isfinite(arr)):
        i = int(i)
        step = xs[i] if xs is not None and i < len(xs) else i
        out.append((step, float(arr[i])))
    return out


class Smoother:
    """Debiased exponential moving average per key (as TensorBoard's and the UI's slider)."""

    def __init__(self):
        self._state = {}

    def add(self, key, value, strength):
        """Feed one value; return the smoothed value so far."""
        if not strength:
            return value
        ema, n = self._state.get(key, (0.0, 0))
        ema, n = strength * ema + (1 - strength) * value, n + 1
        self._state[key] = (ema, n)
        return ema / (1 - strength**n)

    def forget(self, prefix):
        """Drop every key that starts with `prefix` (a deleted rule's state)."""
        for key in [k for k in self._state if k[0] == prefix]:
            del self._state[key]


def crossed(kind, value, threshold):
    return value > threshold if kind == "above" else value < threshold
