"""Builders of 0.3.0's evaluation plots: confusion matrix, ROC and precision-recall curves."""

import numpy as np
import pytest

from visdom_client import ArgumentError
from visdom_client.builders import evaluation


def test_confusion_matrix_counts_pairs_and_annotates_every_cell():
    req = evaluation.confusion_matrix(y_true=[0, 1, 1, 2], y_pred=[0, 1, 2, 2], win="C")
    assert req.endpoint == "events"
    trace = req.body["data"][0]
    assert trace["z"] == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    assert trace["x"] == trace["y"] == ["0", "1", "2"]
    layout = req.body["layout"]
    assert len(layout["annotations"]) == 9
    assert layout["annotations"][0] == {
        "x": "0",
        "y": "0",
        "text": "1",
        "showarrow": False,
        "font": {"color": "white"},
    }
    assert layout["yaxis"]["autorange"] == "reversed"
    assert layout["xaxis"] == {"title": "Predicted", "side": "bottom"}


def test_confusion_matrix_normalises_rows_and_shows_percentages():
    req = evaluation.confusion_matrix(cm=[[3, 1], [0, 0]], labels=["a", "b"], normalize="true")
    assert req.body["data"][0]["z"] == [[0.75, 0.25], [0.0, 0.0]]
    assert req.body["layout"]["annotations"][0]["text"] == "3<br>75.0%"


def test_confusion_matrix_replace_and_remove_are_updates():
    replace = evaluation.confusion_matrix(cm=[[1]], update="replace", win="C")
    assert replace.endpoint == "update" and replace.body["updateDir"] == "replace"
    remove = evaluation.confusion_matrix(update="remove", win="C", env="e")
    assert remove.body == {"data": [], "delete": True, "win": "C", "eid": "e"}


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"y_true": [1], "y_pred": [1], "cm": [[1]]}, ["exactly one"]),
        ({"cm": [[1, 2]]}, ["cm", "square"]),
        ({"cm": [[1]], "normalize": "rows"}, ["normalize", "rows"]),
        ({"cm": [[1, 0], [0, 1]], "labels": ["a", "a"]}, ["labels", "unique"]),
        ({"update": "remove"}, ["win"]),
        ({"cm": [[1]], "update": "append", "win": "C"}, ["update", "append"]),
    ],
)
def test_confusion_matrix_rejects_bad_input(kwargs, words):
    with pytest.raises(ArgumentError) as info:
        evaluation.confusion_matrix(**kwargs)
    assert all(w in str(info.value) for w in words)


def test_roc_curve_from_scores_has_auc_title_and_chance_line():
    req = evaluation.roc_curve(y_true=[0, 0, 1, 1], y_score=[0.1, 0.4, 0.35, 0.8])
    curve, chance = req.body["data"]
    assert curve["x"] == [0.0, 0.0, 0.5, 0.5, 1.0]
    assert curve["y"] == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert req.body["opts"]["title"] == "ROC Curve (AUC=0.7500)"
    assert chance["line"] == {"dash": "dash"} and chance["name"] == "Chance"


def test_roc_curve_points_are_sorted_and_checked():
    req = evaluation.roc_curve(fpr=[1.0, 0.0], tpr=[1.0, 0.0])
    assert req.body["data"][0]["x"] == [0.0, 1.0]
    with pytest.raises(ArgumentError, match="fpr"):
        evaluation.roc_curve(fpr=[0.0, 2.0], tpr=[0.0, 1.0])
    with pytest.raises(ArgumentError, match="y_true"):
        evaluation.roc_curve(y_true=[1, 1], y_score=[0.2, 0.3])


def test_pr_curve_average_precision_and_baseline_at_positive_rate():
    req = evaluation.pr_curve(y_true=[1, 0, 1, 0], y_score=[0.9, 0.8, 0.7, 0.1])
    curve, baseline = req.body["data"]
    assert curve["x"] == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert req.body["opts"]["title"] == "PR Curve (AUC=0.8333)"
    assert baseline["y"] == [0.5, 0.5]
    without = evaluation.pr_curve(precision=[0.5, 1.0], recall=[1.0, 0.5])
    assert len(without.body["data"]) == 1  # no baseline without a recall-0 point


def test_threshold_counts_refuse_non_finite_scores():
    with pytest.raises(ArgumentError, match="y_score"):
        evaluation.threshold_counts(np.array([0, 1]), np.array([0.5, np.nan]))
