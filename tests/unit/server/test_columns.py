"""Numeric trace columns: O(k) appends, list-like reads, upstream's JSON on the way out."""

import json
import math

import numpy as np
import pytest

from app.jsonio import column_json, lenient_dumps, strict_dumps
from app.panes.columns import COLUMN_MIN, Column, columnize_trace, extend_axis


def test_only_numbers_make_a_column():
    assert Column.from_values([1, 2.5, None]) is not None
    for values in (["1", 2], [True, 1], [[1], 2], [2**70, 1], [{"a": 1}]):
        assert Column.from_values(values) is None


def test_ints_stay_ints_and_floats_promote_once():
    column = Column.from_values([0, 1, 2])
    assert column.dtype == np.int64 and column.tolist() == [0, 1, 2]
    assert column.extend([3]) and column.dtype == np.int64
    assert column.extend([4.5, None])
    assert column.dtype == np.float64
    assert column.tolist() == [0.0, 1.0, 2.0, 3.0, 4.5, None]
    assert column.extend(["x"]) is False and len(column) == 6


def test_reads_like_a_list():
    column = Column.from_values([1.0, None, 3.0])
    assert len(column) == 3 and column == [1.0, None, 3.0] and list(column) == column.tolist()
    assert column[0] == 1.0 and column[1] is None and column[-1] == 3.0
    assert column[1:] == [None, 3.0]
    with pytest.raises(IndexError):
        column[3]


def test_a_view_is_a_frozen_snapshot_and_copies_on_write():
    column = Column.from_values([1.0, 2.0])
    view = column.view()
    column.extend([3.0])
    assert view == [1.0, 2.0] and column == [1.0, 2.0, 3.0]
    view.extend([9.0])  # writing to a snapshot copies it first
    assert view == [1.0, 2.0, 9.0] and column == [1.0, 2.0, 3.0]
    assert not column.array.flags.writeable


def test_appends_grow_in_place_with_bounded_slack():
    column = Column.from_values([0.0] * 16)
    for n in range(1, 2001):
        column.extend([float(n)] * 500)
    assert len(column) == 16 + 2000 * 500
    assert column.nbytes <= 8 * len(column) * 1.3  # within the growth factor
    assert column.array[-1] == 2000.0


def test_upstream_json_round_trip_keeps_nan_infinity_and_null():
    values = [1.0, math.nan, None, math.inf, -math.inf, 2.5]
    column = Column.from_values(values)
    back = json.loads(column_json(column))
    assert back[0] == 1.0 and math.isnan(back[1]) and back[2] is None
    assert back[3] == math.inf and back[4] == -math.inf and back[5] == 2.5
    assert json.loads(strict_dumps({"c": column}))["c"] == [1.0, None, None, None, None, 2.5]
    assert json.loads(lenient_dumps({"c": Column.from_values([1, 2])})) == {"c": [1, 2]}


def test_traces_become_columns_when_long_and_numeric():
    trace = {"x": list(range(COLUMN_MIN)), "y": [0.5] * COLUMN_MIN, "text": ["a"] * COLUMN_MIN}
    columnize_trace(trace)
    assert isinstance(trace["x"], Column) and isinstance(trace["y"], Column)
    assert isinstance(trace["text"], list)
    short = {"x": [1, 2], "y": [3, 4]}
    extend_axis(short, "x", list(range(COLUMN_MIN)))
    assert isinstance(short["x"], Column)


def test_a_long_list_that_is_not_numbers_is_not_rescanned_at_every_append(monkeypatch):
    trace = {"x": ["2024-01-01"] * (COLUMN_MIN + 10)}
    calls = []
    monkeypatch.setattr(
        "app.panes.columns.columnize_trace", lambda t: calls.append(1) or t, raising=True
    )
    for _ in range(1000):
        extend_axis(trace, "x", ["2024-01-02"])
    assert len(calls) <= 2  # only when the length passes a power of two


def test_appending_nulls_keeps_snapshots_and_positions():
    column = Column.from_values([1.0, None])
    view = column.view()
    assert column.extend([None, 2.0]) and column.extend([None])
    assert column.tolist() == [1.0, None, None, 2.0, None]
    assert view.tolist() == [1.0, None]  # the snapshot's nulls are its own
