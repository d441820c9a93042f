"""glibc's mmap threshold is fixed at start (app.memory); bench/bigdata.py measures the
effect on the server's memory per point (about 110 B before, about 22 B after)."""

import sys

import pytest

from app import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_threshold_is_set_on_glibc():
    assert memory.fix_malloc_threshold() is True


def test_no_libc_is_not_an_error(monkeypatch):
    monkeypatch.setattr(memory.ctypes.util, "find_library", lambda name: None)
    assert memory.fix_malloc_threshold() is False
