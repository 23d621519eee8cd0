"""Reads of small files with os-level calls: no file object, no buffer.

In: a path. Out: bytes. Why: discovery reads the head of every file it classifies and the
engine reads every small file whole; `open()` adds two fstat calls, an isatty ioctl and a
buffered reader per file, which cost as much as reading a small file. Raises OSError.
"""

from __future__ import annotations

import os

# read-only, binary where the platform distinguishes it (Windows), not inherited by children
READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The file's first `size` bytes (fewer if it is shorter): open, one read, close."""
    fd = os.open(path, READ_FLAGS)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)
