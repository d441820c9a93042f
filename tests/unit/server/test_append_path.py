"""The single-point append path made lighter (issue 19 point 4): the same bytes, ids and
files as before, with less work per append."""

import json
import math
import threading
import uuid

import pytest

from app.jsonio import RawJSON, _flat_dumps, lenient_dumps
from app.panes.window import new_content_id
from app.state import Store

LONG_EID = "é" * 300 + "/runs/😀"

RECORDS = [
    {},
    {"win": "w", "now": 1.5, "seq": 3, "op": "update"},
    {
        "win": 'ü\n"\\\u2028\ud800' + "x" * 10_000,
        "nan": math.nan,
        "inf": math.inf,
        "-inf": -math.inf,
        "zero": -0.0,
        "tiny": 5e-324,
        "big": 10**40,
        "neg": -(2**63),
        "t": True,
        "f": False,
        "none": None,
        LONG_EID: "🎉",
    },
]


@pytest.mark.parametrize("record", RECORDS)
def test_a_flat_record_is_written_as_json_dumps_writes_it(record):
    assert _flat_dumps(record) == json.dumps(record)
    assert lenient_dumps(record) == json.dumps(record)


def test_a_raw_body_is_spliced_as_received():
    body = '{"eid": "main", "data": [{"x": [1], "y": [NaN]}], "w": "\\u00e9"}'
    record = {"win": "w", "args": RawJSON(body), "now": 2.0, "seq": 7, "op": "update"}
    text = lenient_dumps(record)
    assert text == '{"win": "w", "args": ' + body + ', "now": 2.0, "seq": 7, "op": "update"}'
    back = json.loads(text)
    assert back["seq"] == 7 and math.isnan(back["args"]["data"][0]["y"][0])


@pytest.mark.parametrize(
    "value", [{"a": [1, 2]}, {"a": {"b": 1}}, {1: "x"}, {"a": (1,)}, {"a": object()}]
)
def test_anything_but_a_flat_record_takes_the_general_encoder(value):
    assert _flat_dumps(value) is None


def test_content_ids_are_distinct_version_4_uuids():
    ids = [new_content_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for text in ids[:100]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def _line(x, y):
    return {"x": x, "y": y, "name": "a", "type": "scatter"}


def test_appends_go_on_while_a_snapshot_is_encoded(env_path):
    """The env file is encoded with the env's lock released: an append does not wait."""
    store = Store(env_path, save_interval=3600)
    xs = list(range(50_000))
    store.put_window("e", {"win": "L", "data": [_line(xs, [float(v) for v in xs])]})
    encoding, release = threading.Event(), threading.Event()
    real = store.files.env_text

    def slow_env_text(eid, data):
        if eid == "e":  # (the store's "main" env is snapshotted too)
            encoding.set()
            assert release.wait(10)
        return real(eid, data)

    store.files.env_text = slow_env_text
    saver = threading.Thread(target=store.flush, kwargs={"force": True})
    saver.start()
    try:
        assert encoding.wait(10)
        done = threading.Event()

        def append():
            store.update_window("e", {"win": "L", "append": True, "data": [_line([-1], [0.5])]})
            done.set()

        threading.Thread(target=append).start()
        assert done.wait(5), "the append waited for the snapshot's encoding"
    finally:
        release.set()
        saver.join(10)
    store.files.env_text = real
    # The file holds the env as it was when the snapshot began; the append is in the
    # journal, and a restart has both.
    with open(store.files.env_file("e"), encoding="utf-8") as f:
        assert len(json.load(f)["jsons"]["L"]["content"]["data"][0]["x"]) == 50_000
    store.files.close()
    again = Store(env_path, save_interval=3600)
    try:
        x = again.window("e", "L")["content"]["data"][0]["x"]
        assert len(x) == 50_001 and x[-1] == -1
    finally:
        again.files.close()


def test_a_snapshot_that_cannot_be_encoded_keeps_the_env_due(env_path):
    store = Store(env_path, save_interval=3600)
    store.put_window("e", {"win": "T", "data": [{"type": "text", "content": "v1"}]})

    def broken(eid, data):
        if eid == "e":
            raise ValueError("cannot encode")
        return real(eid, data)

    real = store.files.env_text

    store.files.env_text = broken
    with pytest.raises(ValueError):
        store.flush(force=True)
    env = store._find("e")
    assert env.dirty  # retried on the next tick
    store.files.close()
    again = Store(env_path, save_interval=3600)
    try:
        assert again.window("e", "T")["content"] == "v1"  # the journal kept it
    finally:
        again.files.close()


def test_the_servers_objects_built_at_start_leave_the_gc_passes():
    """`python -m app` and wsgi.py freeze what start built: a full GC pass skips it."""
    import gc

    from app.__main__ import freeze_startup

    try:
        freeze_startup()
        frozen = gc.get_freeze_count()
        assert frozen > 1000
        assert gc.get_count()[2] == 0  # a full pass just ran, before the freeze
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
