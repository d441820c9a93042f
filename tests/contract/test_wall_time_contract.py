"""update_window(now=...): points are stamped with the given wall time, in every backend,
and the stamp survives a crash (it is journaled with the change)."""

from app.panes.walltime import trace_stamps


def _append(store, xs, now):
    args = {
        "eid": "tb",
        "win": "w",
        "append": True,
        "data": [{"x": xs, "y": [float(x) for x in xs], "type": "scatter", "name": "a"}],
    }
    store.update_window("tb", args, now=now)


def test_given_wall_times_are_the_points_stamps(backend):
    store = backend.open_store()
    store.ensure_env("tb")
    _append(store, [0, 1], now=1_000_000.0)  # creates the window
    _append(store, [2, 3, 4], now=1_000_100.0)
    stamps = trace_stamps(store.window("tb", "w"), 0)
    assert list(stamps["n"]) == [2, 5] and list(stamps["t"]) == [1_000_000.0, 1_000_100.0]
    backend.crash(store)
    again = backend.open_store()
    stamps = trace_stamps(again.window("tb", "w"), 0)
    assert list(stamps["t"]) == [1_000_000.0, 1_000_100.0]
