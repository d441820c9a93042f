"""Numeric trace columns: numpy arrays that grow in place, so an append costs O(k).

A plot trace's x, y and z start as the JSON lists a client sent. Once an axis holds
COLUMN_MIN values that are all numbers (and null), it becomes a Column: 8 bytes per
value instead of about 32 for a list of Python floats, appended without touching what
is already there. Columns read like lists (len, iteration, indexing, ==) and serialize
to the same JSON (app.jsonio), so a Python client and an env file see what was sent.

Copies share memory: `view()` is a frozen snapshot of the first n values (appends only
ever write past n, into the same buffer or a new one), and writing to a view copies it
first. That makes a consistent snapshot of a million-point window O(1).
"""

import math

import numpy as np

COLUMN_MIN = 1024
GROWTH = 1.25  # capacity slack stays within a quarter of the data

_INT64 = (-(2**63), 2**63 - 1)


def _numeric_kind(values):
    """Return "int", "float" or None (not all numbers) for a list of JSON values."""
    kinds = set(map(type, values))
    if not kinds <= {int, float, type(None)}:
        return None
    if float in kinds or type(None) in kinds:
        return "float"
    if kinds and (min(values) < _INT64[0] or max(values) > _INT64[1]):
        return None
    return "int"


class Column:
    """A growable numeric column. `nulls` keeps where a JSON null (not NaN) was sent."""

    __slots__ = ("_buf", "_n", "_owner", "nulls")

    def __init__(self, array, nulls=None, owner=True):
        self._buf = array
        self._n = len(array)
        self._owner = owner
        self.nulls = nulls  # sorted list of positions, or None

    @classmethod
    def from_values(cls, values):
        """Return a Column holding `values` (a list of numbers), or None if they are not."""
        kind = _numeric_kind(values)
        if kind is None:
            return None
        if kind == "int":
            return cls(np.array(values, dtype=np.int64))
        nulls = [i for i, v in enumerate(values) if v is None] or None
        return cls(np.array(values, dtype=np.float64), nulls)

    # reading --------------------------------------------------------------------------

    @property
    def array(self):
        """The values as a read-only numpy view (None reads as NaN)."""
        view = self._buf[: self._n]
        view.flags.writeable = False
        return view

    @property
    def dtype(self):
        return self._buf.dtype

    def __len__(self):
        return self._n

    def __array__(self, dtype=None, copy=None):
        return self.array if dtype is None else self.array.astype(dtype)

    def tolist(self):
        values = self.array.tolist()
        for i in self.nulls or ():
            values[i] = None
        return values

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.tolist()[index]
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError("column index out of range")
        if self.nulls and index in self.nulls:
            return None
        return self._buf[index].item()

    def __eq__(self, other):
        if isinstance(other, Column):
            other = other.tolist()
        if isinstance(other, (list, tuple)):
            return self.tolist() == list(other)
        return NotImplemented

    def __repr__(self):
        return f"Column({self._n} x {self._buf.dtype})"

    def view(self):
        """Return a frozen snapshot of the current values that shares memory."""
        return Column(self._buf[: self._n], list(self.nulls) if self.nulls else None, False)

    def __copy__(self):
        return self.view()

    def __deepcopy__(self, memo):
        return self.view()

    @property
    def nbytes(self):
        return self._buf.nbytes

    # writing --------------------------------------------------------------------------

    def extend(self, values):
        """Append `values` (numbers and nulls) in O(k); return False if they are not numbers.

        An int column that receives floats or nulls becomes a float column (one copy).
        """
        if isinstance(values, Column):
            values = values.tolist()
        kind = _numeric_kind(values)
        if kind is None:
            return False
        if not values:
            return True
        new = np.array(values, dtype=np.float64 if kind == "float" else np.int64)
        if new.dtype != self._buf.dtype and self._buf.dtype == np.int64:
            self._buf = self._buf[: self._n].astype(np.float64)
            self._owner = True
        k = len(new)
        if not self._owner or self._n + k > len(self._buf):
            capacity = max(self._n + k, int(math.ceil((self._n + k) * GROWTH)), 16)
            grown = np.empty(capacity, dtype=self._buf.dtype)
            grown[: self._n] = self._buf[: self._n]
            self._buf = grown
            self._owner = True
        self._buf[self._n : self._n + k] = new
        if kind == "float":
            extra = [self._n + i for i, v in enumerate(values) if v is None]
            if extra:
                # In place: an append costs O(k) even when every point is null (a view
                # took its own copy of `nulls`, so no snapshot changes).
                if self.nulls is None:
                    self.nulls = extra
                else:
                    self.nulls.extend(extra)
        self._n += k
        return True


def is_sequence(value):
    """True for the values a trace axis may hold as an appendable sequence."""
    return isinstance(value, (list, Column))


def columnize_trace(trace):
    """Turn a plot trace's long numeric x, y and z lists into Columns (in place)."""
    if not isinstance(trace, dict):
        return trace
    for axis in ("x", "y", "z"):
        values = trace.get(axis)
        if isinstance(values, list) and len(values) >= COLUMN_MIN:
            column = Column.from_values(values)
            if column is not None:
                trace[axis] = column
    return trace


def extend_axis(trace, axis, values):
    """Append `values` to trace[axis] (a list or a Column), becoming a Column when long.

    A list is tried as a Column when it reaches COLUMN_MIN and again each time its length
    passes a power of two, so a long list that is not all numbers costs O(1) amortized.
    """
    current = trace[axis]
    if isinstance(current, Column):
        if current.extend(values):
            return
        current = trace[axis] = current.tolist()  # no longer all numbers
    before = len(current)
    current.extend(values)
    after = len(current)
    if after >= COLUMN_MIN and (before < COLUMN_MIN or before.bit_length() < after.bit_length()):
        columnize_trace(trace)
