"""What `os.stat` says about a file: the pre-key the cache and the runner compare.

In: a path or an os.stat_result. Out: a StatKey; equal keys mean the file is taken as unchanged.
Its own module so the runner can use it without importing the cache (and sqlite3).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class StatKey(NamedTuple):
    """What `os.stat` says about a file; equal keys mean the file is taken as unchanged."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, path: Path | str) -> StatKey:
        return cls.from_stat(os.stat(path))

    @classmethod
    def from_stat(cls, st: os.stat_result) -> StatKey:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
