"""Runs of consecutive files whose scans the cache also keeps together, in one row.

In: a window's cacheable files as (index, artifact, sha256), in report order. Out: `split`
cuts them into groups; a `Filling` collects the packed scans of groups the cache missed as
they arrive (cache hits and fresh scans, in any order) and stores each group once its last
file is in (ScanCache.put_group).

Why: a warm run of an unchanged tree then reads, checks and splits one row per group
instead of looking up, fetching and checking one row per file (about 11 of the 30 us the
parent spends on each file of a 20,000-file tree). Where a group ends depends only on the
files' own display paths (content-defined, as rsync and backup tools cut their chunks),
so a file added or removed changes the group it falls in, not the groups after it; the
runner's windows also end groups.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from speechgate.cache import ScanCache
    from speechgate.packed import PackedScan

SPAN = 256  # files per group on average: a boundary follows a file with chance 1/SPAN
MAX_GROUP = 1024  # at most this many files a group, whatever the paths
Member = tuple[int, Any, str]  # (index in the window, artifact, sha256)


def split(members: Sequence[Member]) -> list[list[Member]]:
    """`members` in consecutive groups: a group ends after a file whose display path is a
    boundary (`is_boundary`), after MAX_GROUP files, or with the members."""
    groups: list[list[Member]] = []
    current: list[Member] = []
    for member in members:
        current.append(member)
        if len(current) >= MAX_GROUP or is_boundary(member[1].display):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def is_boundary(display: str) -> bool:
    """Whether a group ends after the file shown as `display` (a fixed hash of the path)."""
    return zlib.crc32(display.encode("utf-8", "surrogatepass")) % SPAN == 0


class Filling:
    """The groups of one window that the cache missed, filled in as their scans arrive.

    A group is stored when every file has arrived with a scan the cache may keep; a file
    that arrives without one (it changed while it was read) leaves its group unstored. What
    waits here is bounded by the window, and gone with it.
    """

    def __init__(self, cache: ScanCache) -> None:
        self._cache = cache
        self._waiting: dict[int, tuple[list[Any], int]] = {}  # index -> (group's state, position)

    def expect(self, group: Sequence[Member]) -> None:
        """Wait for the scans of `group`'s files (by their indexes in the window)."""
        state: list[Any] = [group, [None] * len(group), len(group)]  # members, scans, still missing
        for position, (index, _, _) in enumerate(group):
            self._waiting[index] = (state, position)

    def arrived(self, index: int, scan: PackedScan | None) -> None:
        """File `index`'s packed scan, or None when the cache may not keep it."""
        waiting = self._waiting.pop(index, None)
        if waiting is None:
            return
        state, position = waiting
        if scan is None:
            state[2] = -1  # never complete: the group is not stored
            return
        state[1][position] = scan
        state[2] -= 1
        if state[2] == 0:
            self._cache.put_group([(artifact, sha) for _, artifact, sha in state[0]], state[1])
