"""View settings and wall-time stamps, as every store backend must keep them."""

import time

import pytest

from app.common import VisdomError

from .test_store_contract import append, create, line


@pytest.mark.parametrize("clean", [True, False], ids=["restart", "crash"])
def test_view_settings_and_wall_time_survive_a_restart(backend, clean):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0, 1], [0.0, 1.0]))
    for n in range(2, 1200):
        append(store, "e", "L", "a", [n], [n / 2])
    store.update_view("e", "L", {"log_y": True, "xaxis": "wall", "smoothing": 0.5})
    store.update_view("e", None, {"smoothing": 0.9})  # the env's: clears the window's own
    stamps = store.window("e", "L")["visdom_wall"][0]
    # One stamp per append, merged when closer than 0.1 s (app.panes.walltime.COALESCE).
    assert list(stamps["n"])[0] == 2 and len(stamps["n"]) == len(stamps["t"]) >= 1
    assert list(stamps["n"]) == sorted(set(stamps["n"])) and stamps["n"][-1] <= 1200
    settings = {"env": {"smoothing": 0.9}, "windows": {"L": {"log_y": True, "xaxis": "wall"}}}
    assert store.env_content("e")["view_settings"] == settings
    published = [event for _eid, event, _seq in store.published]
    assert published[-2:] == ["view_settings", "view_settings"]
    if clean:
        store.flush(force=True)
    else:
        backend.crash(store)
    again = backend.open_store()
    assert again.view_settings("e") == settings
    restored = again.window("e", "L")["visdom_wall"][0]
    assert list(restored["n"]) == list(stamps["n"])
    assert list(restored["t"]) == list(stamps["t"])
    time.sleep(0.15)  # past the merge interval: the next append gets its own stamp
    append(again, "e", "L", "a", [1200], [1.0])
    assert list(again.window("e", "L")["visdom_wall"][0]["n"])[-1] == 1201


def test_a_bad_view_setting_changes_nothing(backend):
    store = backend.open_store()
    create(store, "e", "L", line("a", [0], [0.0]))
    seq = store.env_content("e")["seq"]
    for view, field in (
        ({"smoothing": 1.5}, "view.smoothing"),
        ({"xaxis": "time"}, "view.xaxis"),
        ({"log_x": "yes"}, "view.log_x"),
        ({"colour": 1}, "view"),
        ({}, "view"),
    ):
        with pytest.raises(VisdomError) as err:
            store.update_view("e", "L", view)
        assert err.value.field == field and err.value.status == 400
    assert store.env_content("e")["seq"] == seq
    assert store.view_settings("e") == {"env": {}, "windows": {}}
