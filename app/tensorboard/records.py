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
READ_BLOCK = 1 << 20


class CorruptRecord(Exception):
    """A record at `offset` whose checksum does not match (the file is damaged)."""

    def __init__(self, offset, why):
        super().__init__(f"corrupt record at byte {offset}: {why}")
        self.offset = offset


def masked_crc(data):
    """Return TFRecord's masked CRC-32C of `data`."""
    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path, offset=0, max_bytes=None):
    """Yield (data, end_offset) for each complete record of file `path` after `offset`.

    Stops at the end of the complete records, or once `max_bytes` were read (the caller
    comes back for the rest). Raises CorruptRecord on a checksum mismatch. Reads in
    blocks of READ_BLOCK bytes and slices records out of them (a read per record costs
    more than the record's decoding).
    """
    unpack_q, unpack_i = struct.Struct("<Q").unpack_from, struct.Struct("<I").unpack_from
    limit = offset + max_bytes if max_bytes is not None else None
    with open(path, "rb", buffering=0) as f:
        f.seek(offset)
        buf, base, pos = b"", offset, 0  # buf holds the file's bytes from `base` on
        while limit is None or base + pos < limit:
            if len(buf) - pos < HEADER:
                more = f.read(READ_BLOCK)
                if not more:
                    return  # the end, or a writer mid-flush: read it whole next time
                buf, base, pos = buf[pos:] + more, base + pos, 0
                continue
            (length,) = unpack_q(buf, pos)
            if masked_crc(buf[pos : pos + 8]) != unpack_i(buf, pos + 8)[0]:
                raise CorruptRecord(base + pos, "the length's checksum does not match")
            if length > MAX_RECORD:
                raise CorruptRecord(base + pos, f"implausible record length {length}")
            end = pos + HEADER + length + FOOTER
            if end > len(buf):
                more = f.read(max(READ_BLOCK, end - len(buf)))
                if not more:
                    return
                buf, base, pos = buf[pos:] + more, base + pos, 0
                continue
            data = buf[pos + HEADER : end - FOOTER]
            if masked_crc(data) != unpack_i(buf, end - FOOTER)[0]:
                raise CorruptRecord(base + pos, "the data's checksum does not match")
            pos = end
            yield data, base + pos


def frame(data):
    """Return `data` framed as one TFRecord (for tests and the benchmark's writer)."""
    header = struct.pack("<Q", len(data))
    return (
        header + struct.pack("<I", masked_crc(header)) + data + struct.pack("<I", masked_crc(data))
    )
