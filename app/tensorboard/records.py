"""TFRecord framing of TensorBoard event files: complete, checksummed records from an offset.

An event file is a sequence of records, each

    uint64 length (little endian) | uint32 masked CRC-32C of those 8 bytes |
    length bytes of data (one serialized `Event`) | uint32 masked CRC-32C of the data

`read_records(path, offset)` yields (data, end offset) for every complete record after
`offset`. A record whose bytes are not all on disk yet (a writer mid-flush) ends the
read without consuming it: the next read starts at the same offset and gets it whole,
never half. A record whose checksums do not match raises `CorruptRecord` (with the
offset), after the good records before it were yielded.

Why our own framing instead of tensorboard's `EventFileLoader`: the loader keeps its
position inside an open reader and cannot start at a byte offset, so a restart could not
resume where it stopped (the server persists an offset per file), and its TensorFlow-free
reader checks CRCs in pure Python (about 0.3 µs per byte, minutes for a 1 GB logdir).
The checks here are the same masked CRC-32C, computed by google-crc32c (C, hardware
accelerated); the records' contents are decoded with tensorboard's own protobufs
(tensorboard.compat.proto), so the format knowledge stays in the maintained package.
"""

import struct

import google_crc32c

HEADER = 12  # the length and its CRC
FOOTER = 4  # the data's CRC
# A record longer than this is taken as corruption (a TensorBoard event is at most a few
# MB: an image summary); the length field of a damaged file can claim anything.
MAX_RECORD = 1 << 30


class CorruptRecord(Exception):
    """A record at `offset` whose checksum does not match (the file is damaged)."""

    def __init__(self, offset, why):
        super().__init__(f"corrupt record at byte {offset}: {why}")
        self.offset = offset


def masked_crc(data):
    """Return TFRecord's masked CRC-32C of `data`."""
    crc = google_crc32c.value(bytes(data))
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path, offset=0, max_bytes=None):
    """Yield (data, end_offset) for each complete record of file `path` after `offset`.

    Stops at the end of the complete records, or once `max_bytes` were read (the caller
    comes back for the rest). Raises CorruptRecord on a checksum mismatch.
    """
    with open(path, "rb", buffering=1 << 20) as f:
        f.seek(offset)
        pos = offset
        while max_bytes is None or pos - offset < max_bytes:
            header = f.read(HEADER)
            if len(header) < HEADER:
                return  # the end, or a writer mid-flush: read it whole next time
            (length,) = struct.unpack_from("<Q", header)
            (length_crc,) = struct.unpack_from("<I", header, 8)
            if masked_crc(header[:8]) != length_crc:
                raise CorruptRecord(pos, "the length's checksum does not match")
            if length > MAX_RECORD:
                raise CorruptRecord(pos, f"implausible record length {length}")
            body = f.read(length + FOOTER)
            if len(body) < length + FOOTER:
                return
            data = body[:length]
            (data_crc,) = struct.unpack_from("<I", body, length)
            if masked_crc(data) != data_crc:
                raise CorruptRecord(pos, "the data's checksum does not match")
            pos += HEADER + length + FOOTER
            yield data, pos


def frame(data):
    """Return `data` framed as one TFRecord (for tests and the benchmark's writer)."""
    header = struct.pack("<Q", len(data))
    return (
        header + struct.pack("<I", masked_crc(header)) + data + struct.pack("<I", masked_crc(data))
    )
