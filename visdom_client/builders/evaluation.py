"""Classifier evaluation plots: confusion matrix, ROC curve and precision-recall curve."""

import warnings

import numpy as np

from ..errors import bad_value
from .arrays import to_array
from .common import Request, layout_from_opts, plot_request, prepare_opts

CONFUSION_UPDATES = (None, "replace", "remove")
NORMALIZE = (None, "true", "pred", "all")


def _exactly_one_mode(first, second, names):
    if (first is not None) == (second is not None):
        raise bad_value(names, "exactly one input mode", "both or neither")


def count_matrix(y_true, y_pred, labels):
    """Return the len(labels)^2 integer matrix of (true, predicted) pairs; others are skipped."""
    if y_true.shape[0] != y_pred.shape[0]:
        raise bad_value("y_pred", f"{y_true.shape[0]} labels like y_true", y_pred.shape[0])
    if y_true.shape[0] == 0:
        raise bad_value("y_true", "at least one label", "an empty array")
    index = {label: i for i, label in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    skipped = 0
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        if t in index and p in index:
            cm[index[t], index[p]] += 1
        else:
            skipped += 1
    if skipped:
        warnings.warn(f"{skipped} samples have labels outside `labels`; ignored", stacklevel=3)
    return cm


def _normalised(cm, normalize):
    if normalize not in NORMALIZE:
        raise bad_value("normalize", "one of None, 'true', 'pred', 'all'", repr(normalize))
    if normalize is None:
        return cm
    if normalize == "all":
        total = float(cm.sum())
        if total == 0:
            warnings.warn("the confusion matrix is all zero", UserWarning, stacklevel=3)
        return cm.astype(float) / (total or 1.0)
    sums = cm.sum(axis=1 if normalize == "true" else 0, keepdims=True).astype(float)
    sums[sums == 0] = 1
    return cm.astype(float) / sums


def _cell_text(raw, value, total, normalize, show_counts, show_percent, integer):
    parts = []
    if show_counts:
        parts.append(str(int(raw)) if integer else f"{float(raw):.3g}")
    if show_percent:
        share = value if normalize is not None else (raw / total if total > 0 else 0)
        parts.append(f"{share:.1%}")
    return "<br>".join(parts)


def confusion_matrix(
    y_true=None,
    y_pred=None,
    cm=None,
    labels=None,
    normalize=None,
    update=None,
    win=None,
    env=None,
    opts=None,
):
    """Return the request drawing a confusion matrix (a heatmap with one annotation per cell).

    Give either y_true and y_pred (label vectors) or cm (a square count matrix).
    update='replace' redraws window `win`; update='remove' deletes it.
    opts: title, xlabel, ylabel, colormap (default "Blues"), showCounts, showPercent.
    """
    opts = prepare_opts(opts)
    if update not in CONFUSION_UPDATES:
        raise bad_value("update", "one of None, 'replace', 'remove'", repr(update))
    if update is not None and win is None:
        raise bad_value("win", f"the id of the window to {update}", "None")
    if update == "remove":
        return Request("update", {"data": [], "delete": True, "win": win, "eid": env})
    _exactly_one_mode(y_true if y_true is not None else y_pred, cm, "y_true/y_pred or cm")
    if cm is None:
        if y_true is None or y_pred is None:
            raise bad_value("y_true/y_pred", "both label vectors", "only one")
        y_true = np.ravel(to_array(y_true, "y_true"))
        y_pred = np.ravel(to_array(y_pred, "y_pred"))
        if labels is None:
            labels = np.unique(np.concatenate([y_true, y_pred])).tolist()
    else:
        cm = to_array(cm, "cm")
        if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
            raise bad_value("cm", "a square 2-D matrix", f"shape {cm.shape}")
        labels = list(range(cm.shape[0])) if labels is None else labels
        if len(labels) != cm.shape[0]:
            raise bad_value("labels", f"{cm.shape[0]} labels (one per row of cm)", len(labels))
    labels = list(labels.tolist() if isinstance(labels, np.ndarray) else labels)
    if len(set(labels)) != len(labels):
        raise bad_value("labels", "unique labels", labels)
    raw = count_matrix(y_true, y_pred, labels) if cm is None else cm
    values = _normalised(raw, normalize)
    names = [str(label) for label in labels]
    opts.setdefault("xlabel", "Predicted")
    opts.setdefault("ylabel", "Actual")
    opts.setdefault("title", "Confusion Matrix")
    show_counts = opts.get("showCounts", True)
    show_percent = opts.get("showPercent", normalize is not None)
    threshold = (float(values.max()) if values.size else 1.0) / 2.0
    total = float(raw.sum())
    integer = np.issubdtype(raw.dtype, np.integer)
    annotations = [
        {
            "x": names[j],
            "y": names[i],
            "text": _cell_text(
                raw[i, j], values[i, j], total, normalize, show_counts, show_percent, integer
            ),
            "showarrow": False,
            "font": {"color": "white" if values[i, j] > threshold else "black"},
        }
        for i in range(values.shape[0])
        for j in range(values.shape[1])
    ]
    trace = {
        "z": values.tolist(),
        "x": names,
        "y": names,
        "type": "heatmap",
        "colorscale": opts.get("colormap", "Blues"),
        "showscale": True,
    }
    layout = layout_from_opts(opts)
    layout["annotations"] = annotations
    layout.setdefault("xaxis", {}).update({"title": opts["xlabel"], "side": "bottom"})
    layout.setdefault("yaxis", {}).update({"title": opts["ylabel"], "autorange": "reversed"})
    body = {"data": [trace], "win": win, "eid": env, "layout": layout, "opts": opts}
    if update == "replace":
        body["updateDir"] = "replace"
        return Request("update", body)
    return Request("events", body)


def _vector(value, argument):
    array = np.asarray(to_array(value, argument))
    if array.ndim != 1:
        raise bad_value(argument, "a 1-D array", f"shape {array.shape}")
    return array


def threshold_counts(y_true, y_score, pos_label=1):
    """Return (false positives, true positives) at each distinct score, highest first."""
    y_true = _vector(y_true, "y_true")
    y_score = _vector(y_score, "y_score").astype(float)
    if y_true.shape[0] != y_score.shape[0]:
        raise bad_value("y_score", f"{y_true.shape[0]} scores like y_true", y_score.shape[0])
    if y_true.shape[0] == 0:
        raise bad_value("y_true", "at least one sample", "an empty array")
    if not np.isfinite(y_score).all():
        raise bad_value("y_score", "finite scores", "NaN or infinite scores")
    order = np.argsort(y_score, kind="mergesort")[::-1]
    positive = (y_true == pos_label)[order]
    scores = y_score[order]
    last = np.r_[np.where(np.diff(scores))[0], positive.size - 1]
    tps = np.cumsum(positive, dtype=float)[last]
    return 1 + last - tps, tps


def roc_points(y_true, y_score, pos_label=1):
    """Return (fpr, tpr) of the ROC curve, starting at (0, 0)."""
    fps, tps = threshold_counts(y_true, y_score, pos_label)
    if tps[-1] <= 0 or fps[-1] <= 0:
        raise bad_value("y_true", "both positive and negative samples", "one class only")
    return np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]]


def pr_points(y_true, y_score, pos_label=1):
    """Return (precision, recall) of the precision-recall curve, starting at (1, 0)."""
    fps, tps = threshold_counts(y_true, y_score, pos_label)
    if tps[-1] <= 0:
        raise bad_value("y_true", f"at least one positive sample ({pos_label!r})", "none")
    return np.r_[1.0, tps / (tps + fps)], np.r_[0.0, tps / tps[-1]]


def _sorted_curve(x, y, x_name, y_name):
    x, y = _vector(x, x_name).astype(float), _vector(y, y_name).astype(float)
    if x.shape[0] != y.shape[0]:
        raise bad_value(y_name, f"{x.shape[0]} values like {x_name}", y.shape[0])
    if x.shape[0] < 2:
        raise bad_value(x_name, "at least 2 points", x.shape[0])
    order = np.argsort(x, kind="mergesort")
    return x[order], y[order]


def _check_unit(values, argument):
    if not np.isfinite(values).all() or ((values < 0) | (values > 1)).any():
        raise bad_value(argument, "finite values in [0, 1]", "values outside")


def _legend(opts, default):
    legend = opts.get("legend")
    if isinstance(legend, list | tuple) and len(legend) >= 2:
        return list(legend)
    if legend is not None:
        warnings.warn(f"opts['legend'] needs 2 names; using {default}", UserWarning, stacklevel=3)
    return list(default)


def _curve_request(curve, baseline, win, env, opts):
    data = [{**curve, "name": opts["legend"][0], "type": "scatter", "mode": "lines"}]
    if baseline is not None:
        data.append(
            {
                **baseline,
                "name": opts["legend"][1],
                "type": "scatter",
                "mode": "lines",
                "line": {"dash": "dash"},
            }
        )
    return plot_request(data, win, env, opts)


def roc_curve(
    y_true=None, y_score=None, fpr=None, tpr=None, pos_label=1, win=None, env=None, opts=None
):
    """Return the request drawing a ROC curve with its AUC in the title and a chance line.

    Give y_true and y_score (computed here) or the curve itself as fpr and tpr.
    """
    opts = prepare_opts(opts)
    raw = y_true if y_true is not None else y_score
    _exactly_one_mode(raw, fpr if fpr is not None else tpr, "y_true/y_score or fpr/tpr")
    if fpr is None and tpr is None:
        if y_true is None or y_score is None:
            raise bad_value("y_true/y_score", "both", "only one")
        fpr, tpr = roc_points(y_true, y_score, pos_label)
    else:
        if fpr is None or tpr is None:
            raise bad_value("fpr/tpr", "both", "only one")
        fpr, tpr = _sorted_curve(fpr, tpr, "fpr", "tpr")
    _check_unit(fpr, "fpr")
    _check_unit(tpr, "tpr")
    auc = float(np.trapezoid(tpr, fpr))
    opts.setdefault("xlabel", "False Positive Rate")
    opts.setdefault("ylabel", "True Positive Rate")
    opts["legend"] = _legend(opts, ["ROC", "Chance"])
    opts.setdefault("title", f"ROC Curve (AUC={auc:.4f})")
    curve = {"x": fpr.tolist(), "y": tpr.tolist()}
    return _curve_request(curve, {"x": [0.0, 1.0], "y": [0.0, 1.0]}, win, env, opts)


def pr_curve(
    y_true=None,
    y_score=None,
    precision=None,
    recall=None,
    pos_label=1,
    win=None,
    env=None,
    opts=None,
):
    """Return the request drawing a precision-recall curve, its average precision in the title.

    Give y_true and y_score (computed here) or the curve itself as precision and recall.
    The dashed baseline sits at the share of positive samples.
    """
    opts = prepare_opts(opts)
    points = precision if precision is not None else recall
    raw = y_true if y_true is not None else y_score
    _exactly_one_mode(raw, points, "y_true/y_score or precision/recall")
    if points is None:
        if y_true is None or y_score is None:
            raise bad_value("y_true/y_score", "both", "only one")
        precision, recall = pr_points(y_true, y_score, pos_label)
        rate = float(np.mean(np.ravel(np.asarray(to_array(y_true, "y_true"))) == pos_label))
    else:
        if precision is None or recall is None:
            raise bad_value("precision/recall", "both", "only one")
        recall, precision = _sorted_curve(recall, precision, "recall", "precision")
        rate = float(precision[0]) if float(recall[0]) == 0.0 else None
    _check_unit(recall, "recall")
    _check_unit(precision, "precision")
    average_precision = float(np.sum(np.diff(recall) * precision[1:]))
    opts.setdefault("xlabel", "Recall")
    opts.setdefault("ylabel", "Precision")
    opts["legend"] = _legend(opts, ["PR", "Baseline"])
    opts.setdefault("title", f"PR Curve (AUC={average_precision:.4f})")
    curve = {"x": recall.tolist(), "y": precision.tolist()}
    baseline = None if rate is None else {"x": [0.0, 1.0], "y": [rate, rate]}
    return _curve_request(curve, baseline, win, env, opts)
