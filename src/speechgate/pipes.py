"""Length-framed messages over a pipe between a process and the helper it forked.

In: a pipe's file descriptor and bytes. Out: the same bytes at the other end, one message at
a time, or None when the writer ended (exited or closed) before a whole message arrived.
"""

from __future__ import annotations

import os
import struct

_LENGTH = struct.Struct("<Q")


def send(fd: int, data: bytes) -> None:
    """Write one message (blocks while the pipe is full: the reader sets the pace)."""
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def receive(fd: int) -> bytes | None:
    """The next message, or None if the writer ended first."""
    head = _read_exactly(fd, _LENGTH.size)
    return None if head is None else _read_exactly(fd, _LENGTH.unpack(head)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
