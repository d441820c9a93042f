"""Wall time per point: one stamp per append, kept through the journal and env file."""

import json
import os

import pytest

from app.panes import walltime
from app.state import Store


def events(win, n):
    return {"win": win, "data": [{"x": list(range(n)), "y": [1.0] * n, "type": "scatter"}]}


def append(win, xs):
    data = [{"x": list(xs), "y": [2.0] * len(xs), "type": "scatter"}]
    return {"win": win, "append": True, "data": data}


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("app.state.replica.time.time", lambda: now[0])
    return now


def stamps_of(store, eid, win, k=0):
    window = store.window(eid, win)
    st = window["visdom_wall"][k]
    return list(st["n"]), list(st["t"])


def test_one_stamp_per_append_not_per_point(tmp_path, clock):
    store = Store(str(tmp_path), save_interval=3600)
    store.put_window("main", events("w", 3))
    clock[0] = 1010.0
    store.update_window("main", append("w", range(3, 8)))
    clock[0] = 1025.5
    store.update_window("main", append("w", range(8, 9)))
    assert stamps_of(store, "main", "w") == ([3, 8, 9], [1000.0, 1010.0, 1025.5])
    st = store.window("main", "w")["visdom_wall"][0]
    times = walltime.all_times(st, 9)
    assert times == [1000.0] * 3 + [1010.0] * 5 + [1025.5]
    store.close()


def test_replace_restarts_the_stamps_and_deleting_a_trace_drops_them(tmp_path, clock):
    store = Store(str(tmp_path), save_interval=3600)
    store.put_window("main", events("w", 3))
    clock[0] = 1005.0
    store.update_window("main", {"win": "w", "data": events("w", 2)["data"]})
    assert stamps_of(store, "main", "w") == ([2], [1005.0])
    store.update_window("main", {"win": "w", "name": "b", "append": True, **append("w", [5])})
    assert len(store.window("main", "w")["visdom_wall"]) == 2
    store.update_window("main", {"win": "w", "name": "b", "delete": True})
    assert "visdom_wall" not in store.window("main", "w")
    store.close()


def test_wall_time_survives_a_crash_and_a_snapshot(tmp_path, clock):
    path = str(tmp_path)
    store = Store(path, save_interval=3600)
    store.put_window("main", events("w", 2))
    clock[0] = 1042.0
    store.update_window("main", append("w", [2, 3]))
    store.files.close()  # a crash: only the journal is on disk
    again = Store(path, save_interval=3600)
    assert stamps_of(again, "main", "w") == ([2, 4], [1000.0, 1042.0])
    again.save(["main"])  # writes the env file
    again.close()
    with open(os.path.join(path, "main.json")) as f:
        saved = json.load(f)
    assert saved["jsons"]["w"]["visdom_wall"] == [{"n": [2, 4], "t": [1000.0, 1042.0]}]
    third = Store(path, save_interval=3600)
    assert stamps_of(third, "main", "w") == ([2, 4], [1000.0, 1042.0])
    clock[0] = 1050.0
    third.update_window("main", append("w", [4]))
    assert stamps_of(third, "main", "w") == ([2, 4, 5], [1000.0, 1042.0, 1050.0])
    third.close()


def test_a_window_from_before_wall_time_stays_without_stamps(tmp_path, clock):
    path = str(tmp_path)
    window = {
        "id": "old",
        "type": "plot",
        "content": {"data": [{"x": [0, 1], "y": [1, 2], "type": "scatter"}], "layout": {}},
    }
    with open(os.path.join(path, "main.json"), "w") as f:
        json.dump({"jsons": {"old": window}, "reload": {}}, f)
    store = Store(path, save_interval=3600)
    store.update_window("main", append("old", [2]))
    assert "visdom_wall" not in store.window("main", "old")
    store.close()


def test_decimated_traces_carry_the_wall_time_of_each_drawn_point(tmp_path, clock):
    store = Store(str(tmp_path), save_interval=3600)
    store.put_window("main", events("w", 5000))
    clock[0] = 2000.0
    store.update_window("main", append("w", range(5000, 6000)))
    answer = store.read_range("main", "w", px=100)
    cols = answer["traces"][0]["columns"]
    assert len(cols["visdom_walltime"]) == len(cols["x"]) < 6000
    for x, t in zip(cols["x"], cols["visdom_walltime"], strict=True):
        assert t == (1000.0 if x < 5000 else 2000.0)
    store.close()


def test_stamps_closer_than_a_tenth_of_a_second_are_merged():
    """Single-point appends at any rate add at most ten stamps a second per trace."""
    from app.panes import walltime

    window = {
        "type": "plot",
        "content": {"data": [{"x": [0], "y": [0.0], "type": "scatter"}], "layout": {}},
    }
    walltime.stamp_new(window, 1000.0)
    trace = window["content"]["data"][0]
    for k in range(1, 1001):  # 1,000 appends over one second
        trace["x"].append(k)
        trace["y"].append(float(k))
        walltime.stamp_update(window, 1000.0 + k / 1000, append=True)
    stamps = window[walltime.KEY][0]
    assert 9 <= len(stamps["n"]) <= 11
    times = walltime.all_times(stamps, 1001)
    assert all(abs(t - (1000.0 + i / 1000)) <= 0.1 + 1e-9 for i, t in enumerate(times))
