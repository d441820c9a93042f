"""Several server processes on one backend (stores of a `shared` backend, see conftest.py):
a change made through one is read through every other, in order, with nothing lost."""

import threading

import pytest

from .test_store_contract import append, create, line, trace


@pytest.fixture
def shared(backend):
    if not backend.shared:
        pytest.skip(f"the {backend.name} store serves one process per data folder")
    return backend


def test_each_process_reads_the_others_changes_in_order(shared):
    a, b = shared.open_store(), shared.open_store()
    create(a, "e", "L", line("a", list(range(1500)), [0.5] * 1500))
    assert list(trace(b, "e", "L")["x"]) == list(range(1500))
    append(b, "e", "L", "a", [1500], [None])
    append(a, "e", "L", "a", [1501], [2.0])
    for store in (a, b):
        got = trace(store, "e", "L")
        assert list(got["x"]) == list(range(1502)) and got["y"][-2:] == [None, 2.0]
    b.set_layout_item("e", "L", {"x": 3})
    create(b, "e", "T", {"type": "text", "content": "hi"})
    a.close_windows("e", "T")
    assert b.undo_count("e") == 1 and a.env_content("e")["reload"] == {"L": {"x": 3}}
    assert b.undo("e") == ("T", 0) and a.window("e", "T")["content"] == "hi"
    assert a.env_content("e")["seq"] == b.env_content("e")["seq"] == 7
    assert a.env_seq("e") == b.env_seq("e") == 7  # the seq alone, read in either process
    # Both processes published their own changes, numbered from one sequence.
    seqs = sorted(seq for store in (a, b) for eid, _e, seq in store.published if eid == "e")
    assert seqs == list(range(1, 8))


def test_concurrent_writers_in_two_processes_lose_no_append(shared):
    a, b = shared.open_store(), shared.open_store()
    create(a, "e", "L", line("a", [0], [0.0]))

    def writer(store, k):
        for n in range(150):
            append(store, "e", "L", "a", [(k + 1) * 1000 + n], [float(n)])

    threads = [threading.Thread(target=writer, args=(s, k)) for k, s in enumerate([a, b, a, b])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    xs = [list(trace(store, "e", "L")["x"]) for store in (a, b, shared.open_store())]
    assert xs[0] == xs[1] == xs[2] and len(xs[0]) == 1 + 4 * 150
    for k in range(4):  # each writer's points in its own order
        mine = [v for v in xs[0] if (k + 1) * 1000 <= v < (k + 1) * 1000 + 150]
        assert mine == sorted(mine) and len(mine) == 150
    seqs = sorted(seq for s in (a, b) for eid, _e, seq in s.published if eid == "e")
    assert seqs == list(range(1, 2 + 4 * 150))  # every change numbered once, no gap


def test_a_delete_and_a_fork_are_seen_by_every_process(shared):
    a, b = shared.open_store(), shared.open_store()
    create(a, "src", "L", line("a", list(range(1200)), [1.0] * 1200))
    assert b.window_exists("src", "L")
    b.fork_env("src", "dst")
    append(a, "dst", "L", "a", [1200], [3.0])
    assert len(trace(b, "dst", "L")["x"]) == 1201 and len(trace(b, "src", "L")["x"]) == 1200
    a.delete_env("src")
    assert not b.has_env("src") and "src" not in b.env_ids()
    create(b, "src", "M", line("m", [0], [0.0]))  # a new env of the same name
    assert list(a.windows("src")) == ["M"]
