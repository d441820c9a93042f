"""The store interface, as every backend must serve it (see conftest.py)."""

import math
import threading

import pytest

from app.common import VisdomError


def line(name, x, y, **extra):
    return dict({"x": x, "y": y, "name": name, "type": "scatter", "mode": "lines"}, **extra)


def create(store, eid, win, *traces):
    return store.put_window(eid, {"win": win, "data": list(traces), "opts": {"title": win}})


def append(store, eid, win, name, x, y):
    body = {"win": win, "name": name, "append": True, "data": [line(name, x, y)]}
    return store.update_window(eid, body)


def trace(store, eid, win, n=0):
    return store.window(eid, win)["content"]["data"][n]


def test_create_read_and_replace_a_window(backend):
    store = backend.open_store()
    assert create(store, "e", "L", line("a", [0, 1], [1.0, 2.0])) == ("L", True)
    assert create(store, "e", "M", line("b", [0], [0.0])) == ("M", False)
    assert create(store, "e", "L", line("a2", [5], [5.0])) == ("L", False)
    windows = store.windows("e")
    assert windows["L"]["i"] == 0 and windows["M"]["i"] == 1  # replacing keeps the index
    assert trace(store, "e", "L") == line("a2", [5], [5.0])
    assert store.window_exists("e", "L") and not store.window_exists("e", "nope")


def test_appends_add_only_the_new_points_in_order(backend):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0], [0.0]), line("b", [0], [10.0]))
    for step in range(1, 3000):
        append(store, "e", "L", "a" if step % 3 else "b", [step], [float(step)])
    a, b = trace(store, "e", "L", 0), trace(store, "e", "L", 1)
    assert list(a["x"]) == [0] + [s for s in range(1, 3000) if s % 3]
    assert list(b["x"]) == [0] + [s for s in range(1, 3000) if not s % 3]
    assert b["y"][0] == 10.0 and a["y"][-1] == 2999.0


def test_every_change_is_published_once_in_store_order(backend):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0], [0.0]))

    def writer(k):
        for n in range(200):
            append(store, "e", "L", "a", [(k + 1) * 1000 + n], [float(n)])

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = [seq for eid, _event, seq in store.published if eid == "e"]
    assert seqs == list(range(1, 1 + 1 + 8 * 200))  # one message per change, no gap
    assert store.env_content("e")["seq"] == store.env_seq("e") == seqs[-1]
    x = list(trace(store, "e", "L")["x"])
    for k in range(8):  # each writer's points in its own order
        mine = [v for v in x if (k + 1) * 1000 <= v < (k + 1) * 1000 + 200]
        assert mine == sorted(mine) and len(mine) == 200


def test_a_refused_change_changes_and_publishes_nothing(backend):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0], [0.0]))
    before, published = store.windows("e"), list(store.published)
    for bad in (
        {"win": "L", "name": "a", "append": True, "data": [{"x": 1, "y": [1]}]},
        {"win": "L", "data": "nope"},
        {"win": "nope", "data": [line("a", [1], [1.0])]},
    ):
        with pytest.raises(VisdomError) as info:
            store.update_window("e", bad)
        assert 400 <= info.value.status < 500
    assert store.windows("e") == before and store.published == published


def test_the_seq_alone_is_the_one_env_content_reads(backend):
    store = backend.open_store()
    with pytest.raises(VisdomError) as info:
        store.env_seq("absent")
    assert info.value.status == 404 and info.value.field == "eid"
    create(store, "e", "L", line("a", [0], [0.0]))
    append(store, "e", "L", "a", [1], [1.0])
    store.set_layout_item("e", "L", {"x": 1})
    assert store.env_seq("e") == store.env_content("e")["seq"] == 3
    assert backend.open_store().env_seq("e") == 3  # read back from what was stored


def test_non_finite_values_and_nulls_come_back_as_sent(backend):
    store = backend.open_store()
    y = [1.0, math.nan, None, math.inf, -math.inf] * 300
    create(store, "e", "L", line("a", list(range(len(y))), y))
    append(store, "e", "L", "a", [len(y)], [math.nan])
    for reader in (store, backend.open_store()):
        got = list(trace(reader, "e", "L")["y"])
        assert got[2] is None and got[3] == math.inf and got[4] == -math.inf
        assert math.isnan(got[1]) and math.isnan(got[-1]) and len(got) == len(y) + 1


def test_short_lists_and_odd_values_come_back_as_sent(backend):
    """Below COLUMN_MIN points x and y are plain lists: NaN, infinities and nulls in them or
    in the options, integers past 64 bits and lone surrogates must come back as sent."""
    store = backend.open_store()
    y = [0.5, math.nan, None, math.inf, -math.inf, 1e300, -0.0]
    create(store, "e", "S", line("a", list(range(len(y))), y, z=[1, math.nan]))
    append(store, "e", "S", "a", [len(y)], [math.inf])
    create(store, "e", "O", line("o", [0], [1.0], opacity=math.nan, note="é ✓"))
    create(store, "e", "W", line("w", [0, 1], [2**70, 1], note="\ud800"))
    create(store, "e", "F", line("f", [0, 1], [1.5, 2.5], meta={"k": [1, 2.5, "x", None]}))
    append(store, "e", "F", "f", [2], [3.5])
    for reader in (store, backend.open_store()):
        got = trace(reader, "e", "S")
        ys = list(got["y"])
        assert ys[0] == 0.5 and math.isnan(ys[1]) and ys[2] is None
        assert ys[3:] == [math.inf, -math.inf, 1e300, -0.0, math.inf]
        assert got["z"][0] == 1 and math.isnan(got["z"][1])
        odd = trace(reader, "e", "O")
        assert math.isnan(odd["opacity"]) and odd["note"] == "é ✓"
        assert list(trace(reader, "e", "W")["y"]) == [2**70, 1]
        assert trace(reader, "e", "W")["note"] == "\ud800"
        fine = trace(reader, "e", "F")
        assert list(fine["y"]) == [1.5, 2.5, 3.5]
        assert fine["meta"] == {"k": [1, 2.5, "x", None]}


@pytest.mark.parametrize("clean", [True, False], ids=["restart", "crash"])
def test_a_restart_restores_every_change(backend, clean):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0], [0.0]))
    for n in range(1, 2500):
        append(store, "e", "L", "a", [n], [n / 2])
    store.set_layout_item("e", "L", {"x": 1, "y": 2, "w": 30, "h": 20})
    create(store, "e", "T", {"type": "text", "content": "hello"})
    store.close_windows("e", "T")
    seq = store.env_content("e")["seq"]
    if clean:
        store.flush(force=True)
    else:
        backend.crash(store)
    again = backend.open_store()
    content = again.env_content("e")
    assert content["seq"] == seq
    assert [w["id"] for w in content["windows"]] == ["L"]
    assert content["reload"] == {"L": {"x": 1, "y": 2, "w": 30, "h": 20}}
    assert list(trace(again, "e", "L")["x"]) == list(range(2500))
    assert trace(again, "e", "L")["y"][-1] == 2499 / 2


def test_envs_fork_and_delete(backend):
    store = backend.open_store()
    create(store, "src", "L", line("a", list(range(2000)), [1.0] * 2000))
    store.fork_env("src", "dst")
    append(store, "src", "L", "a", [2000], [2.0])
    assert len(trace(store, "dst", "L")["x"]) == 2000  # a copy, not shared
    assert len(trace(store, "src", "L")["x"]) == 2001
    store.delete_env("src")
    assert not store.has_env("src") and store.has_env("dst")
    assert not backend.open_store().has_env("src")


def test_a_read_is_a_snapshot_that_later_appends_do_not_change(backend):
    store = backend.open_store()
    create(store, "e", "L", line("a", list(range(2000)), [0.0] * 2000))
    snapshot = store.window("e", "L")
    append(store, "e", "L", "a", [2000], [1.0])
    assert len(snapshot["content"]["data"][0]["x"]) == 2000
    assert len(trace(store, "e", "L")["x"]) == 2001
