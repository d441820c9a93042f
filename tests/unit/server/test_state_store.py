"""The embedded store: persistence in upstream's format, journal replay, snapshots, lazy
loading, ids. (What every backend must do is in tests/contract.)

Why ~550 lines (above the ~500 the project keeps to): it is one story, the embedded
backend's files on disk case by case (format, journal, snapshots, lazy loading, ids, disk
faults), told with the helpers and fixtures at the top.
"""

import json
import math
import os
import threading

import pytest

from app.common import VisdomError
from app.state import Store, escape_eid
from app.state.names import eid_from_filename


def line(name, x, y):
    return {"x": x, "y": y, "name": name, "type": "scatter", "mode": "lines"}


def events(win, *traces, title="t"):
    return {"win": win, "data": list(traces), "layout": {"title": title}, "opts": {"title": title}}


def append(win, name, x, y):
    return {"win": win, "name": name, "append": True, "data": [line(name, x, y)]}


@pytest.fixture
def stores(env_path):
    """Open stores on env_path; each is closed (or its files released) at teardown."""
    opened = []

    def make(**kwargs):
        store = Store(env_path, **kwargs)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.files.close()  # release journal handles; no snapshot for "crashed" stores


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def journal(env_path, eid, suffix=".log"):
    return os.path.join(env_path, ".journal", eid + suffix)


# -- persistence round trip -------------------------------------------------------------


def test_round_trip_in_upstreams_file_format(env_path, stores):
    store = stores()
    store.put_window("exp", events("L", line("a", [0], [1])))
    store.update_window("exp", append("L", "a", [1, 2], [3, 4]))
    store.put_window(
        "exp", {"win": "T", "data": [{"type": "text", "content": "hi"}], "opts": {"title": "n"}}
    )
    store.set_layout_item("exp", "T", {"x": 1, "y": 2, "w": 3, "h": 4})
    store.close()

    saved = read_json(os.path.join(env_path, "exp.json"))
    assert set(saved) >= {"jsons", "reload"}
    assert set(saved["jsons"]) == {"L", "T"}
    plot = saved["jsons"]["L"]
    for key in ("command", "id", "title", "type", "content", "contentID", "i"):
        assert key in plot
    assert plot["command"] == "window" and plot["type"] == "plot"
    assert plot["content"]["data"][0]["x"] == [0, 1, 2]
    assert saved["jsons"]["T"]["content"] == "hi"
    assert saved["jsons"]["T"]["i"] == 1
    assert saved["reload"] == {"T": {"x": 1, "y": 2, "w": 3, "h": 4}}

    again = stores()
    assert again.windows("exp") == saved["jsons"]
    assert again.env_content("exp")["reload"] == saved["reload"]


def test_reads_a_file_written_by_upstream(env_path, stores):
    # upstream writes json.dumps defaults: NaN tokens, ", " separators, extra window keys
    window = {
        "command": "window",
        "id": "w",
        "title": "loss",
        "inflate": True,
        "width": None,
        "height": None,
        "contentID": "c",
        "type": "plot",
        "content": {"data": [line("a", [0, 1], [float("nan"), 2])], "layout": {}},
        "i": 4,
        "version": 7,
        "has_compare": False,
    }
    with open(os.path.join(env_path, "up.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"jsons": {"w": window}, "reload": {"w": {"x": 0}}}))
    store = stores()
    assert "up" in store.env_ids()
    got = store.window("up", "w")
    assert got["version"] == 7 and got["i"] == 4
    store.update_window("up", append("w", "a", [2], [3]))
    store.put_window("up", events("new", line("b", [0], [0])))
    assert store.window("up", "new")["i"] == 5  # numbering continues after the file's
    store.close()
    saved = read_json(os.path.join(env_path, "up.json"))
    assert saved["jsons"]["w"]["content"]["data"][0]["x"] == [0, 1, 2]
    assert saved["jsons"]["w"]["version"] == 8  # an append counts a version, as 0.3.0


def test_main_is_created_on_first_start(env_path, stores):
    store = stores()
    assert store.env_ids() == ["main"]
    store.close()
    assert read_json(os.path.join(env_path, "main.json"))["jsons"] == {}


# -- journal and snapshots --------------------------------------------------------------


def test_journal_replay_after_a_crash(env_path, stores):
    crashed = stores()
    crashed.put_window("run", events("L", line("a", [0], [1]), line("b", [0], [5])))
    crashed.update_window("run", append("L", "a", [1], [2]))
    crashed.update_window("run", {"win": "L", "name": "b", "delete": True, "data": []})
    crashed.put_window("run", events("gone", line("g", [0], [0])))
    crashed.close_windows("run", "gone")
    crashed.set_layout_item("run", "L", {"x": 9})
    expected = crashed.windows("run")
    # no close(), no flush(): the env file was never written
    assert not os.path.exists(os.path.join(env_path, "run.json"))

    recovered = stores()
    assert "run" in recovered.env_ids()
    got = recovered.windows("run")
    assert set(got) == {"L"}
    trace = got["L"]["content"]["data"]
    assert [t["name"] for t in trace] == ["a"]
    assert trace[0]["x"] == [0, 1] and trace[0]["y"] == [1, 2]
    assert got["L"]["i"] == expected["L"]["i"]
    assert recovered.env_content("run")["reload"] == {"L": {"x": 9}}


def test_snapshot_folds_the_journal_and_later_changes_survive_a_crash(env_path, stores):
    store = stores()
    store.put_window("run", events("L", line("a", [0], [1])))
    assert os.path.getsize(journal(env_path, "run")) > 0
    store.flush(force=True)
    assert not os.path.exists(journal(env_path, "run"))
    assert not os.path.exists(journal(env_path, "run", ".old"))
    snap = read_json(os.path.join(env_path, "run.json"))
    assert snap["jsons"]["L"]["content"]["data"][0]["x"] == [0]
    # no temp files are left behind by the atomic write
    assert not [n for n in os.listdir(env_path) if n.endswith(".tmp")]

    store.update_window("run", append("L", "a", [1], [2]))  # journal only
    assert read_json(os.path.join(env_path, "run.json")) == snap

    recovered = stores()
    assert recovered.window("run", "L")["content"]["data"][0]["x"] == [0, 1]


def test_journal_records_already_in_the_snapshot_are_not_replayed_twice(env_path, stores):
    store = stores()
    store.put_window("run", events("L", line("a", [0], [1])))
    store.update_window("run", append("L", "a", [1], [1]))
    # a crash during a snapshot: the old journal is still there next to the new snapshot
    store.flush(force=True)
    with open(journal(env_path, "run", ".old"), "w", encoding="utf-8") as f:
        f.write(
            json.dumps({"seq": 2, "op": "update", "win": "L", "args": append("L", "a", [1], [1])})
        )
        f.write("\n{torn line")
    recovered = stores()
    assert recovered.window("run", "L")["content"]["data"][0]["x"] == [0, 1]


def test_torn_last_journal_line_is_skipped(env_path, stores):
    crashed = stores()
    crashed.put_window("run", events("L", line("a", [0], [1])))
    crashed.files.close()
    with open(journal(env_path, "run"), "a", encoding="utf-8") as f:
        f.write('{"seq": 2, "op": "upd')
    recovered = stores()
    assert recovered.window("run", "L")["content"]["data"][0]["x"] == [0]


# -- lazy and eager loading -------------------------------------------------------------


def write_env(env_path, eid, windows):
    with open(os.path.join(env_path, eid + ".json"), "w", encoding="utf-8") as f:
        json.dump({"jsons": windows, "reload": {}}, f)


def text_window(win, content):
    return {"command": "window", "id": win, "type": "text", "content": content, "i": 0}


def test_lazy_loading_reads_the_file_on_first_access(env_path, stores):
    write_env(env_path, "lazy", {"T": text_window("T", "before")})
    store = stores()
    write_env(env_path, "lazy", {"T": text_window("T", "after")})
    assert store.window("lazy", "T")["content"] == "after"


def test_eager_loading_reads_the_file_at_start(env_path, stores):
    write_env(env_path, "eager", {"T": text_window("T", "before")})
    store = stores(eager=True)
    write_env(env_path, "eager", {"T": text_window("T", "after")})
    assert store.window("eager", "T")["content"] == "before"


@pytest.mark.parametrize("eager", [False, True])
def test_save_and_fork_of_an_untouched_lazy_env_keep_its_data(env_path, stores, eager):
    # upstream W4: a never-accessed lazy env was saved as `null`
    write_env(env_path, "old", {"T": text_window("T", "keep me")})
    store = stores(eager=eager)
    assert store.save(["old"]) == ["old"]
    assert read_json(os.path.join(env_path, "old.json"))["jsons"]["T"]["content"] == "keep me"
    store.fork_env("old", "copy")
    assert read_json(os.path.join(env_path, "copy.json"))["jsons"]["T"]["content"] == "keep me"


@pytest.mark.parametrize("eager", [False, True])
@pytest.mark.parametrize("text", ["{not json", "null", "[1, 2]", "\xff\xfe"])
def test_an_unreadable_env_file_is_left_untouched(env_path, stores, eager, text):
    path = os.path.join(env_path, "bad.json")
    with open(path, "w", encoding="latin-1") as f:
        f.write(text)
    original = file_bytes(path)
    store = stores(eager=eager)
    assert "bad" in store.env_ids()
    for call, field in (
        (lambda: store.windows("bad"), "eid"),
        (lambda: store.put_window("bad", events("L", line("a", [0], [1]))), "eid"),
        (lambda: store.set_layout_item("bad", "L", {}), "eid"),
        (lambda: store.fork_env("bad", "copy"), "prev_eid"),
    ):
        with pytest.raises(VisdomError) as info:
            call()
        assert 400 <= info.value.status < 500
        assert info.value.field == field
    assert store.save(["bad"]) == []
    store.flush(force=True)
    store.close()
    assert file_bytes(path) == original
    assert not os.path.exists(os.path.join(env_path, "copy.json"))


# -- env ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["../x", "..\\x", "..", ".hidden", "a\x00b", "c:x", " x", "x ", 3, ["a"]],
)
def test_escape_eid_refuses_ids_that_could_leave_the_env_path(raw):
    with pytest.raises(VisdomError) as info:
        escape_eid(raw)
    assert info.value.status == 400
    assert info.value.field == "eid"


@pytest.mark.parametrize(
    "raw, eid",
    [
        (None, "main"),
        ("", "main"),
        ("exp", "exp"),
        ("a/b", "a_b"),
        ("/etc/passwd", "_etc_passwd"),
        ("a..b", "a..b"),
        ("ünï", "ünï"),
        ("a\\b", "a_b"),  # 0.3.0's escaping
        ("a\nb\rc", "a-b-c"),
        ("a" * 300, "a" * 300),  # any length: long ids get a hashed file name
    ],
)
def test_escape_eid_like_upstream(raw, eid):
    assert escape_eid(raw) == eid


def test_escape_eid_without_default_requires_a_value():
    with pytest.raises(VisdomError) as info:
        escape_eid(None, field="prev_eid", default=None)
    assert info.value.field == "prev_eid"


@pytest.mark.parametrize(
    "name, eid",
    [("a.json", "a"), ("a.json.bak", None), (".journal", None), ("view", None), (".x.json", None)],
)
def test_env_files_found_on_disk(name, eid):
    assert eid_from_filename(name) == eid


def test_slash_ids_stay_inside_the_env_path(env_path, stores):
    store = stores()
    store.put_window(escape_eid("/etc/passwd"), events("L", line("a", [0], [1])))
    store.close()
    assert os.path.exists(os.path.join(env_path, "_etc_passwd.json"))
    assert set(os.listdir(os.path.dirname(env_path))) == {"envs"}


# -- windows, fork, save, delete --------------------------------------------------------


def test_replacing_a_window_keeps_its_index(stores):
    store = stores()
    store.put_window("e", events("a", line("a", [0], [0])))
    store.put_window("e", events("b", line("b", [0], [0])))
    store.put_window("e", events("a", line("a2", [1], [1])))
    wins = store.windows("e")
    assert wins["a"]["i"] == 0 and wins["b"]["i"] == 1
    assert wins["a"]["content"]["data"][0]["name"] == "a2"


def test_update_of_a_missing_window(stores):
    store = stores()
    with pytest.raises(VisdomError) as info:
        store.update_window("main", {"win": "nope", "data": [line("a", [0], [0])]})
    assert info.value.message == "win does not exist"
    assert info.value.status == 404
    published = []
    store.publish = lambda eid, event, payload: published.append((event, payload))
    assert store.update_window("main", append("nope", "a", [0], [0])) == "nope"
    assert store.window_exists("main", "nope")
    [(event, payload)] = published
    assert event == "window" and payload["window"]["id"] == "nope"


def test_update_of_a_missing_env_is_a_404(stores):
    store = stores()
    with pytest.raises(VisdomError) as info:
        store.update_window("ghost", append("w", "a", [0], [0]))
    assert info.value.status == 404
    assert "ghost" not in store.env_ids()


def test_fork_copies_and_writes_at_once(env_path, stores):
    store = stores()
    store.put_window("src", events("L", line("a", [0], [1])))
    store.set_layout_item("src", "L", {"x": 3})
    assert store.fork_env("src", "dst") == "dst"
    saved = read_json(os.path.join(env_path, "dst.json"))
    assert saved["jsons"]["L"]["content"]["data"][0]["y"] == [1]
    assert saved["reload"] == {"L": {"x": 3}}
    # the copy is independent of its source
    store.update_window("src", append("L", "a", [1], [2]))
    assert store.window("dst", "L")["content"]["data"][0]["y"] == [1]
    with pytest.raises(VisdomError) as info:
        store.fork_env("missing", "x")
    assert info.value.status == 404


def test_save_writes_known_envs_only(env_path, stores):
    store = stores()
    store.put_window("a", events("L", line("a", [0], [1])))
    assert store.save(["a", "unknown"]) == ["a"]
    assert read_json(os.path.join(env_path, "a.json"))["jsons"]["L"]["id"] == "L"
    assert not os.path.exists(os.path.join(env_path, "unknown.json"))


def test_delete_removes_the_env_and_its_files(env_path, stores):
    store = stores()
    store.put_window("gone", events("L", line("a", [0], [1])))
    store.save(["gone"])
    store.put_window("gone", events("M", line("a", [0], [1])))  # journal too
    store.delete_env("gone")
    assert "gone" not in store.env_ids()
    assert not os.path.exists(os.path.join(env_path, "gone.json"))
    assert not os.path.exists(journal(env_path, "gone"))
    with pytest.raises(VisdomError):
        store.windows("gone")
    with pytest.raises(VisdomError) as info:
        store.delete_env("gone")
    assert info.value.status == 404
    store.close()
    assert "gone" not in stores().env_ids()


def test_concurrent_appends_are_all_kept(stores):
    store = stores()
    store.put_window("c", events("L", line("a", [], [])))

    def work(k):
        for n in range(50):
            store.update_window("c", append("L", "a", [k * 1000 + n], [n]))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    xs = store.window("c", "L")["content"]["data"][0]["x"]
    assert sorted(xs) == sorted(k * 1000 + n for k in range(8) for n in range(50))


def test_views_round_trip(env_path, stores):
    store = stores()
    views = {"main": {"v1": {"T": [0, 3, 4]}}}
    store.set_views(views)
    assert read_json(os.path.join(env_path, "view", "layouts.json")) == views
    assert stores().views() == views
    with pytest.raises(VisdomError) as info:
        store.set_views(["x"])
    assert info.value.field == "views"


# -- snapshot races ---------------------------------------------------------------------


def block_first_snapshot_of(store, eid):
    """Make the first snapshot write of `eid` wait; return (entered, release) events."""
    entered, release = threading.Event(), threading.Event()
    write = store.files.write_snapshot
    calls = []

    def slow(name, text):
        if name == eid:
            calls.append(name)
            if len(calls) == 1:
                entered.set()
                release.wait(5)
        write(name, text)

    store.files.write_snapshot = slow
    return entered, release


def test_a_slow_older_snapshot_does_not_overwrite_a_newer_one(env_path, stores):
    store = stores()
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})
    entered, release = block_first_snapshot_of(store, "e")
    saver = threading.Thread(target=store.flush, kwargs={"force": True})
    saver.start()
    assert entered.wait(5)
    store.update_window("e", {"win": "T", "data": [{"type": "text", "content": "v2"}]})
    newer = threading.Thread(target=store.save, args=(["e"],))  # while the older one waits
    newer.start()
    newer.join(0.2)
    release.set()
    saver.join(5)
    newer.join(5)
    store.close()
    assert stores().window("e", "T")["content"] == "v1<br>v2"


def test_a_snapshot_in_flight_does_not_bring_back_a_deleted_env(env_path, stores):
    store = stores()
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})
    entered, release = block_first_snapshot_of(store, "e")
    saver = threading.Thread(target=store.flush, kwargs={"force": True})
    saver.start()
    assert entered.wait(5)
    deleter = threading.Thread(target=store.delete_env, args=("e",))
    deleter.start()
    deleter.join(0.2)
    release.set()
    saver.join(5)
    deleter.join(5)
    store.close()
    assert not os.path.exists(os.path.join(env_path, "e.json"))
    assert "e" not in stores().env_ids()


def test_a_failed_snapshot_keeps_every_change_in_the_journal(env_path, stores):
    store = stores()
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})

    def fail(name, text):
        raise OSError("disk full")

    write = store.files.write_snapshot
    store.files.write_snapshot = fail
    store.flush(force=True)
    store.update_window("e", {"win": "T", "data": [{"type": "text", "content": "v2"}]})
    store.flush(force=True)
    assert os.path.exists(journal(env_path, "e", ".old"))
    assert stores().window("e", "T")["content"] == "v1<br>v2"  # a crash now loses nothing
    store.files.write_snapshot = write
    store.flush(force=True)
    assert not os.path.exists(journal(env_path, "e", ".old"))
    assert read_json(os.path.join(env_path, "e.json"))["jsons"]["T"]["content"] == "v1<br>v2"


def test_a_journal_that_cannot_be_written_refuses_the_change_and_keeps_memory(stores, env_path):
    store = stores()
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})
    published = []
    store.publish = lambda eid, event, payload: published.append(event)
    real_open = store.files._open_journal

    def read_only(eid):
        raise OSError(30, "Read-only file system", os.path.join(env_path, ".journal"))

    store.files._close_journal("e")
    store.files._open_journal = read_only
    with pytest.raises(VisdomError) as info:
        store.update_window("e", {"win": "T", "data": [{"type": "text", "content": "v2"}]})
    assert info.value.status == 503 and "Read-only file system" in info.value.message
    assert store.window("e", "T")["content"] == "v1" and published == []
    # Still refused while the fault lasts (the autosave probe has not seen the disk work).
    store.files._open_journal = real_open
    with pytest.raises(VisdomError):
        store.put_window("e", {"win": "U", "data": [{"type": "text", "content": "u"}]})
    store.flush()  # the probe succeeds: the disk takes writes again
    store.update_window("e", {"win": "T", "data": [{"type": "text", "content": "v2"}]})
    assert store.window("e", "T")["content"] == "v1<br>v2" and published == ["window_update"]
    assert stores().window("e", "T")["content"] == "v1<br>v2"


def test_a_refused_update_leaves_no_journal_record(stores, env_path):
    store = stores()
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})
    before = file_bytes(journal(env_path, "e"))
    with pytest.raises(VisdomError):
        store.update_window("e", {"win": "T", "data": [{"type": "text"}]})
    assert file_bytes(journal(env_path, "e")) == before


def test_an_update_body_is_journaled_as_received_and_replays(stores, env_path):
    store = stores()
    store.put_window("e", events("L", line("a", [0], [1.0])))
    body = '{"win": "L", "name": "a", "append": true,\n "data": [{"x": [1, 2], "y": [NaN, 2.5]}]}'
    store.update_window("e", json.loads(body), raw=body.encode("utf-8"))
    with open(journal(env_path, "e"), encoding="utf-8") as f:
        last = f.read().splitlines()[-1]
    # The body's own text (its spacing, its NaN token), not a re-encoding of it.
    assert '"args": {"win": "L", "name": "a", "append": true,  "data": [{"x": [1, 2]' in last
    assert '"y": [NaN, 2.5]' in last
    store.files.close()  # a crash: the journal alone
    again = stores().window("e", "L")["content"]["data"][0]
    assert again["x"] == [0, 1, 2] and math.isnan(again["y"][1]) and again["y"][2] == 2.5
