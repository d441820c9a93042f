"""Smoothing kinds of the plot view controls (docs/ui.md, "View controls"): debiased EMA,
time-weighted EMA, running average and Gaussian, each equal to a reference computed here
in Python, on irregular steps with gaps (NaN reaches the page as null); the kind and its
strength persist with the env."""

import math

# Irregular steps (gaps of 1, 2 and 7) and a noisy curve with two NaN gaps.
XS = [0, 1, 2, 4, 5, 12, 13, 14, 16, 23, 24, 25, 30, 31, 32, 40, 41, 45, 46, 50]
YS = [((i * 37) % 11) - 5 + i * 0.5 for i in range(len(XS))]
YS[6] = float("nan")
YS[15] = float("nan")
FULL = [1.5 * (i % 4) - i for i in range(20)]  # evenly logged, no gaps


def ok(y):
    return y is not None and math.isfinite(y)


def ema(ys, w):
    out, last, k = [], 0.0, 0
    for y in ys:
        if not ok(y):
            out.append(None)
            continue
        k += 1
        last = last * w + (1 - w) * y
        out.append(last / (1 - w**k))
    return out


def time_ema(ys, xs, w):
    """The EMA whose decay per point is w ** (gap / mean gap), debiased by its weight."""
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if ok(y)]
    unit = (pts[-1][0] - pts[0][0]) / (len(pts) - 1)
    out, last, norm, prev = [], 0.0, 0.0, None
    for x, y in zip(xs, ys, strict=True):
        if not ok(y):
            out.append(None)
            continue
        decay = w if prev is None else w ** ((x - prev) / unit)
        last = last * decay + (1 - decay) * y
        norm = norm * decay + (1 - decay)
        prev = x
        out.append(last / norm)
    return out


def running(ys, n):
    out, seen = [], []
    for y in ys:
        if not ok(y):
            out.append(None)
            continue
        seen.append(y)
        tail = seen[-n:]
        out.append(sum(tail) / len(tail))
    return out


def gaussian(ys, xs, sigma):
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if ok(y)]
    out = []
    for x, y in zip(xs, ys, strict=True):
        if not ok(y):
            out.append(None)
            continue
        near = [(px, py) for px, py in pts if abs(px - x) <= 3 * sigma]
        ws = [math.exp(-((px - x) ** 2) / (2 * sigma**2)) for px, _ in near]
        out.append(sum(w * py for w, (_, py) in zip(ws, near, strict=True)) / sum(ws))
    return out


def same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        if w is None:
            assert g is None
        else:
            assert g is not None and abs(g - w) < 1e-9, (got, want)


def gd(win):
    return f"document.querySelector(`[data-win='{win}'] .plot-pane`)"


def smoothed(ui, win, kind):
    return ui.wait(
        f"(() => {{ const t = ({gd(win)}.data || []).find((t) => t.visdom_overlay === 'smoothed'"
        f" && t.visdom_kind === '{kind}'); return t ? Array.from(t.y) : null; }})()"
    )


def test_pure_smoothing_functions_equal_the_python_references(ui):
    ui.line("sm_pure", "w", [0, 1], [1.0, 2.0])
    ui.open("/env/sm_pure")
    ys = [None if not ok(y) else y for y in YS]
    got = ui.module(
        "panes/plot/smoothing.js",
        "return { ema: m.ema(arg.ys, 0.7), time: m.timeEma(arg.ys, arg.xs, 0.7),"
        " run: m.runningAverage(arg.ys, 4), gauss: m.gaussian(arg.ys, arg.xs, 2.5),"
        " even: m.timeEma(arg.full, arg.full.map((_, i) => i * 3), 0.7) };",
        {"ys": ys, "xs": XS, "full": FULL},
    )
    same(got["ema"], ema(YS, 0.7))
    same(got["time"], time_ema(YS, XS, 0.7))
    same(got["run"], running(YS, 4))
    same(got["gauss"], gaussian(YS, XS, 2.5))
    # Evenly spaced points: the time-weighted EMA is the plain debiased EMA.
    same(got["even"], ema(FULL, 0.7))
    # The time-weighted EMA differs from the plain one where the steps jump.
    assert any(
        abs(a - b) > 1e-3 for a, b in zip(got["time"], got["ema"], strict=True) if a is not None
    )


def test_each_kind_is_drawn_and_persists_with_the_env(ui):
    ui.line("sm_ui", "w", XS, YS)
    ui.open("/env/sm_ui")
    ui.wait(f"Boolean({gd('w')}?._fullLayout)")
    ui.pane("w").locator("[data-action='view']").click()
    panel = ui.pane("w").locator(".view-panel")
    panel.get_by_label("Smoother").select_option("time_ema")
    panel.get_by_label("Smoothing", exact=True).fill("0.6")
    ui.wait(f"{gd('w')}.data.some((t) => t.visdom_kind === 'time_ema')")
    same(smoothed(ui, "w", "time_ema"), time_ema(YS, XS, 0.6))
    panel.get_by_label("Smoother").select_option("running")
    panel.get_by_label("Window (points)").fill("5")
    panel.get_by_label("Window (points)").dispatch_event("change")
    ui.wait(f"{gd('w')}.data.some((t) => t.visdom_kind === 'running')")
    same(smoothed(ui, "w", "running"), running(YS, 5))
    assert not panel.get_by_label("Smoothing", exact=True).is_visible()  # no strength slider
    panel.get_by_label("Smoother").select_option("gaussian")
    panel.get_by_label("Sigma (steps)").fill("3")
    panel.get_by_label("Sigma (steps)").dispatch_event("change")
    ui.wait(f"{gd('w')}.data.some((t) => t.visdom_kind === 'gaussian')")
    same(smoothed(ui, "w", "gaussian"), gaussian(YS, XS, 3.0))
    assert "Gaussian" in panel.inner_text()
    # Kept with the env (the server's view settings): the same curve after a reload.
    ui.open("/env/sm_ui")
    same(smoothed(ui, "w", "gaussian"), gaussian(YS, XS, 3.0))
    ui.pane("w").locator("[data-action='view']").click()
    panel = ui.pane("w").locator(".view-panel")
    assert panel.get_by_label("Smoother").input_value() == "gaussian"
    assert panel.get_by_label("Sigma (steps)").input_value() == "3"
    assert panel.get_by_label("Window (points)").input_value() == "5"
