"""The event-file reader: framing, checksums, partial records, decoding of real summaries."""

import math
import struct

import numpy as np
import pytest
from tensorboardX import SummaryWriter

from app.tensorboard.events import BASIS_POINTS, decode, parse_event, percentiles
from app.tensorboard.names import env_name, title_problem, window_id
from app.tensorboard.records import CorruptRecord, frame, read_records


def _records(path, offset=0):
    return list(read_records(str(path), offset))


def _event_file(tmp_path):
    writer = SummaryWriter(str(tmp_path / "run"))
    for step in range(5):
        writer.add_scalar("loss/train", 1.0 / (step + 1), step)
    writer.add_scalar("weird", float("inf"), 5)
    writer.add_histogram("w", np.arange(100, dtype=np.float64), 0)
    writer.add_text("notes", "**bold** ünïcode", 0)
    writer.close()  # flush() returns before the queue is on disk; close() waits
    (path,) = (tmp_path / "run").iterdir()
    return path


def test_reads_every_record_a_real_writer_wrote(tmp_path):
    path = _event_file(tmp_path)
    records = _records(path)
    assert records[-1][1] == path.stat().st_size  # the last end offset is the file's end
    items = [item for data, _ in records for item in decode(parse_event(data))]
    scalars = [(i[1], i[2], i[4]) for i in items if i[0] == "scalar"]
    assert scalars[:5] == [("loss/train", s, pytest.approx(1.0 / (s + 1))) for s in range(5)]
    assert scalars[5][2] == math.inf
    (text,) = [i for i in items if i[0] == "text"]
    assert text[1] == "notes" and text[4] == "**bold** ünïcode"
    (hist,) = [i for i in items if i[0] == "histogram"]
    assert len(hist[4]) == len(BASIS_POINTS)
    assert hist[4][0] == pytest.approx(0.0) and hist[4][-1] == pytest.approx(99.0)
    assert 40 < hist[4][4] < 60  # the median of 0..99


def test_a_partial_last_record_is_read_once_complete(tmp_path):
    whole = frame(b"first") + frame(b"second record")
    path = tmp_path / "events.out.tfevents.1.x"
    path.write_bytes(whole[:-5])  # the second record lacks its last bytes
    assert [d for d, _ in _records(path)] == [b"first"]
    end = _records(path)[0][1]
    assert _records(path, end) == []  # never half a record
    path.write_bytes(whole)
    assert [d for d, _ in _records(path, end)] == [b"second record"]


def test_a_damaged_record_raises_after_the_good_ones(tmp_path):
    data = bytearray(frame(b"good") + frame(b"damaged") + frame(b"after"))
    bad_at = len(frame(b"good"))
    data[bad_at + 14] ^= 0xFF  # a byte of the second record's data
    path = tmp_path / "events.out.tfevents.2.x"
    path.write_bytes(bytes(data))
    got = []
    with pytest.raises(CorruptRecord) as info:
        for record, _ in read_records(str(path)):
            got.append(record)
    assert got == [b"good"] and info.value.offset == bad_at


def test_a_damaged_length_is_caught_by_its_checksum(tmp_path):
    data = bytearray(frame(b"x" * 10))
    data[0:8] = struct.pack("<Q", 1 << 40)
    path = tmp_path / "events.out.tfevents.3.x"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptRecord, match="length"):
        _records(path)


def test_garbage_is_not_an_event(tmp_path):
    from app.tensorboard.events import BadEvent

    with pytest.raises(BadEvent):
        parse_event(b"\xff\xff\xff\xff not a protobuf")


def test_percentiles_of_buckets():
    # 10 points in [0, 1), 10 in [1, 2): the median is 1, the ends 0 and 2.
    got = percentiles([0, 1], [1, 2], [10, 10], 0, 2)
    assert got[0] == 0 and got[-1] == 2 and got[4] == pytest.approx(1.0)
    assert all(a <= b for a, b in zip(got, got[1:], strict=False))
    assert all(math.isnan(v) for v in percentiles([0], [1], [0], 0, 1))
    # TensorFlow's outer limits (±DBL_MAX) are clamped to the histogram's min and max.
    assert percentiles([-1.7e308], [1.7e308], [5], -3, 3) == pytest.approx(
        [-3 + 6 * bp / 10000 for bp in BASIS_POINTS]
    )


def test_env_names_are_stable_readable_and_safe():
    assert env_name("exp1/run_a", "/logs") == "exp1_run_a"
    assert env_name(".", "/data/my logs") == "my logs"
    assert env_name("ünï/运行", "/l") == "ünï_运行"
    assert env_name(".hidden/a:b?c", "/l", prefix="tb_") == "tb_.hidden_a-b-c"
    assert env_name(".hidden", "/l") == "_hidden"
    assert env_name(" x ", "/l") == "x"
    long = "d" * 300
    assert env_name(long, "/l") == long  # stored under a hashed file name by the store
    assert window_id("scalar", "loss") == window_id("scalar", "loss") != window_id("image", "loss")


def test_tags_that_cannot_be_titles():
    assert title_problem("loss/train") is None
    assert title_problem("ünï 运行") is None
    assert "empty" in title_problem("")
    assert "control" in title_problem("a\x01b")
    assert "characters" in title_problem("t" * 5000)
