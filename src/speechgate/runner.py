"""Scan many artifacts: cache look-ups, then a serial loop or a process pool.

In: artifacts, ScanSettings (plain data, sent to workers) and RunnerOptions. Out:
`scan_packed` yields (index, PackedScan) pairs as they are ready (cache hits first, then
in the pool's order); callers place them by index, so reports are identical for any
--jobs. Workers compile the rules once per process (engine._compile is cached) and pack
their scans (findings encoded once, facts drawn), so the parent only passes them on.
`scan_many` is the plain form: one ArtifactScan per artifact, in the order given.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from speechgate.engine import ArtifactScan, ScanSettings, _compile, scan_artifact
from speechgate.model import Artifact
from speechgate.packed import PackedScan, pack, unpack
from speechgate.progress import Progress
from speechgate.readers import NEVER_OPENED
from speechgate.statkey import StatKey

if TYPE_CHECKING:
    from speechgate.cache import ScanCache

Task = tuple[int, Artifact, str | None]
WINDOW = 4096  # artifacts scanned per window of a streamed run (a pool is forked per window)


@dataclass(frozen=True)
class RunnerOptions:
    """How to run a scan: worker processes (None: all usable cores), cache folder (None: off)."""

    jobs: int | None = 1
    cache_dir: Path | None = None
    progress: bool = False


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def scan_many(artifacts: Sequence[Artifact], settings: ScanSettings,
              options: RunnerOptions = RunnerOptions()) -> list[ArtifactScan]:
    """Scan every artifact (cached where possible); the result list follows `artifacts`' order."""
    results: list[ArtifactScan | None] = [None] * len(artifacts)
    for index, packed in scan_packed(artifacts, settings, options):
        results[index] = unpack(packed, artifacts[index])
    return [r for r in results if r is not None]


def scan_packed(artifacts: Sequence[Artifact], settings: ScanSettings,
                options: RunnerOptions = RunnerOptions()) -> Iterator[tuple[int, PackedScan]]:
    """(index, packed scan) for every artifact, cache hits first, the rest as they finish."""
    with Runner(settings, options, artifacts if options.progress else None) as runner:
        yield from runner.scan(artifacts)


def windows(artifacts: Iterable[Artifact], size: int | None = None) -> Iterator[list[Artifact]]:
    """`artifacts` in consecutive lists of at most `size` (default WINDOW): a stream scanned
    window by window."""
    size = size or WINDOW
    window: list[Artifact] = []
    for artifact in artifacts:
        window.append(artifact)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


class Runner:
    """Scans windows of artifacts with one cache (and progress line) for the whole run.

    In: settings and options; `everything`, when known in advance, sizes the progress line
    (a streamed run draws none). Out: `scan(window, first)` yields (first + i, PackedScan)
    for the window's artifacts: cache hits first, then the rest as the pool finishes them.
    A run scans its files window by window, so nothing per file outlives its window.
    """

    def __init__(self, settings: ScanSettings, options: RunnerOptions,
                 everything: Sequence[Artifact] | None = None) -> None:
        self.settings = settings
        self.jobs = options.jobs or default_jobs()
        self.cache = _open_cache(options.cache_dir, settings)
        total = (len(everything), sum(_size(a.path) for a in everything)) if everything is not None else (0, 0)
        self.progress = Progress(*total, enabled=everything is not None and options.progress)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.close()
        if self.cache is not None:
            self.cache.close()

    def scan(self, artifacts: Sequence[Artifact], first: int = 0) -> Iterator[tuple[int, PackedScan]]:
        cache = self.cache
        if cache is None:  # sizes only (pool order, progress): no per-file stat data kept
            stats: list[Stat | None] = []
            sizes = [_size(a.path) for a in artifacts]
            todo: list[Task] = [(index, artifact, None) for index, artifact in enumerate(artifacts)]
        else:
            stats = [_stat_of(a) for a in artifacts]
            sizes = [st[0] if st is not None else 0 for st in stats]
            todo = []
            for index, packed in _cached(cache, artifacts, stats, todo):  # hits as read; misses into todo
                self.progress.advance(sizes[index])
                yield first + index, packed
            todo.sort(key=lambda task: task[0])
        for index, packed in _scan(todo, self.settings, self.jobs, sizes):
            self.progress.advance(sizes[index])
            if cache is not None and _unchanged(artifacts[index].path, stats[index]):
                cache.put(artifacts[index], packed)  # a file that changed while it was read is not cached
            yield first + index, packed


def _open_cache(folder: Path | None, settings: ScanSettings) -> ScanCache | None:
    """The run's cache, or None when disabled, when values are shown, or when it cannot open."""
    if folder is None or settings.show_values:
        return None
    from speechgate.cache import ScanCache

    try:
        return ScanCache(folder, settings)
    except (OSError, sqlite3.Error):
        return None  # a cache that cannot be opened only costs time


def _cached(cache: ScanCache, artifacts: Sequence[Artifact], stats: Sequence[Stat | None], todo: list[Task]
            ) -> Iterator[tuple[int, PackedScan]]:
    """The cache's hits by index, read in batches; the misses are appended to `todo` (with their
    sha256 if known)."""
    wanted: list[tuple[int, Artifact, str]] = []
    for index, artifact in enumerate(artifacts):
        sha = _known_sha256(cache, artifact, stats[index])
        if sha is None:
            todo.append((index, artifact, None))
        else:
            wanted.append((index, artifact, sha))
    found = cache.iter_many([(artifact, sha) for _, artifact, sha in wanted])
    for (index, artifact, sha), hit in zip(wanted, found, strict=True):
        if hit is None:
            todo.append((index, artifact, sha))
        else:
            yield index, hit


def _known_sha256(cache: ScanCache, artifact: Artifact, stat: Stat | None) -> str | None:
    """The file's sha256: recorded under its unchanged stat data, else hashed now (and recorded)."""
    if artifact.kind in NEVER_OPENED or stat is None:
        return None  # the scan reports it (without opening it, or as unreadable)
    if stat.sha256 is not None:
        return stat.sha256  # discovery found it unchanged
    sha = cache.known_sha256(artifact.path, stat.key, artifact.kind)
    if sha is None:
        try:
            sha = _sha256(artifact.path)
        except OSError:
            return None  # the scan reports the file as unscannable
        cache.remember_sha256(artifact.path, stat.key, sha, artifact.kind)
    return sha


def _scan(todo: Sequence[Task], settings: ScanSettings, jobs: int, sizes: Sequence[int]
          ) -> Iterator[tuple[int, PackedScan]]:
    if jobs <= 1 or len(todo) < 2:
        for index, artifact, sha in todo:
            yield index, pack(scan_artifact(artifact, settings, sha))
        return
    ordered = sorted(todo, key=lambda t: -sizes[t[0]])  # largest first: the pool ends evenly
    # Each result message wakes multiprocessing.Pool's worker-handler thread, which then spins
    # until the result is read (0.1 ms of parent CPU per message); chunks of up to 64 cut the
    # messages fourfold. Largest files go first, so the last chunks are the cheapest ones.
    chunk = max(1, min(64, len(ordered) // (jobs * 8)))
    import multiprocessing  # only a pool needs it: ~10 ms of every one-job or one-file start

    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    context = multiprocessing.get_context("fork" if forked else None)
    by_index = {index: artifact for index, artifact, _ in todo}
    # What crosses the pipes is kept small: the parent's CPU time for (un)pickling comes out
    # of the same two cores the workers scan on. Forked workers already hold every artifact
    # (tasks are indexes); results come back packed (one JSON string of findings).
    tasks = [(index, None if forked else artifact, sha) for index, artifact, sha in ordered]
    with context.Pool(min(jobs, len(ordered)), initializer=_init_worker,
                      initargs=(settings, by_index if forked else None)) as pool:
        yield from pool.imap_unordered(_work, tasks, chunksize=chunk)


_WORKER_SETTINGS: ScanSettings | None = None
_WORKER_ARTIFACTS: dict[int, Artifact] = {}  # a forked worker's copy of the parent's, by index


def _init_worker(settings: ScanSettings, artifacts: dict[int, Artifact] | None) -> None:
    global _WORKER_SETTINGS, _WORKER_ARTIFACTS
    _WORKER_SETTINGS = settings
    _WORKER_ARTIFACTS = artifacts or {}
    _compile(settings)  # once per process


def _work(task: tuple[int, Artifact | None, str | None]) -> tuple[int, PackedScan]:
    index, artifact, sha = task
    assert _WORKER_SETTINGS is not None
    return index, pack(scan_artifact(artifact or _WORKER_ARTIFACTS[index], _WORKER_SETTINGS, sha))


class Stat(NamedTuple):
    """A file's size and stat pre-key, and its sha256 when discovery already vouched for it."""

    size: int
    key: StatKey
    sha256: str | None = None


def _stat_of(artifact: Artifact) -> Stat | None:
    if artifact.known is not None:  # discovery found it unchanged a moment ago
        key, sha = artifact.known
        return Stat(key.size, key, sha)
    with contextlib.suppress(OSError):
        return Stat(*_key(os.stat(artifact.path)))
    return None


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _key(st: os.stat_result) -> tuple[int, StatKey]:
    return st.st_size, StatKey(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _unchanged(path: Path, before: Stat | None) -> bool:
    """Whether the file still has the stat data it had before it was read."""
    try:
        after = os.stat(path)
    except OSError:
        return False
    return before is not None and (before.key.size, before.key.mtime_ns, before.key.inode) == (
        after.st_size, after.st_mtime_ns, after.st_ino)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
