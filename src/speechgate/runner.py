"""Scan many artifacts: cache look-ups, then a serial loop or one process pool for the run.

In: artifacts (a list or discovery's stream), ScanSettings (plain data, sent to workers) and
RunnerOptions. Out: `Runner.run` yields (index, artifact, PackedScan) as results are ready,
window by window (cache hits first, then in the pool's order); callers place them by index,
so reports are identical for any --jobs. The engine is imported, and the rules compiled,
only when a first file has to be scanned (a re-run served by the cache needs neither): in
this process first, so a rule error stops the run before any scan and forked workers
inherit the compiled rules. Workers pack their scans (findings encoded once, facts drawn),
so the parent only passes them on. `scan_packed` is the same for a list, and `scan_many` the
plain form: one ArtifactScan per artifact, in the order given.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from speechgate.kinds import NEVER_OPENED
from speechgate.model import Artifact
from speechgate.packed import PackedScan, pack, unpack
from speechgate.progress import Progress
from speechgate.scan_io import ArtifactScan, ScanSettings
from speechgate.statkey import StatKey

if TYPE_CHECKING:
    from speechgate.cache import ScanCache
    from speechgate.cache_groups import Filling

Task = tuple[int, Artifact, str | None]
WINDOW = 4096  # artifacts read ahead of the scan: what a run holds per file is bounded by this
FIRST_WINDOW = 512  # the first window's size; each next one doubles, up to WINDOW


@dataclass(frozen=True)
class RunnerOptions:
    """How to run a scan: worker processes (None: all usable cores), cache folder (None: off)."""

    jobs: int | None = 1
    cache_dir: Path | None = None
    progress: bool = False
    # pack each scan's plain lines for the terminal report (report/text_body.py), for a run that
    # prints one; a run with a cache packs them whatever this says, and the cache keeps them
    report_lines: bool = False


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
    """(index, packed scan) for every artifact, in no particular order."""
    with Runner(settings, options, artifacts if options.progress else None) as runner:
        for index, _, packed in runner.run(artifacts):
            yield index, packed


def windows(artifacts: Iterable[Artifact], size: int | None = None) -> Iterator[tuple[list[Artifact], bool]]:
    """`artifacts` in consecutive lists of at most `size` (default WINDOW), each with whether
    it is full (so more may follow): a stream scanned window by window. The first windows
    are smaller (FIRST_WINDOW, doubling up to `size`), so a run starts judging, or its pool
    scanning, while discovery is still filling the later ones."""
    size = size or WINDOW
    limit = min(FIRST_WINDOW, size)
    window: list[Artifact] = []
    for artifact in artifacts:
        window.append(artifact)
        if len(window) == limit:
            yield window, True
            window = []
            limit = min(2 * limit, size)
    if window:
        yield window, False


class Runner:
    """Scans a stream of artifacts window by window, with one cache, pool and progress line.

    In: settings and options; `everything`, when known in advance, sizes the progress line
    (a streamed run draws none). Out: `run(artifacts)` yields (index, artifact, PackedScan)
    for every artifact, indexes counting from 0 in the stream's order; cache hits come as
    each window is read, the rest as the pool finishes them. The next window is read (and
    its files queued behind the current ones) while the pool works, so the workers never
    wait for discovery; nothing per file outlives its window.
    """

    def __init__(self, settings: ScanSettings, options: RunnerOptions,
                 everything: Sequence[Artifact] | None = None) -> None:
        self.settings = settings
        self.jobs = options.jobs or default_jobs()
        self.cache = _open_cache(options.cache_dir, settings)
        self.lines = options.report_lines or self.cache is not None
        total = (len(everything), sum(_size(a.path) for a in everything)) if everything is not None else (0, 0)
        self.progress = Progress(*total, enabled=everything is not None and options.progress)
        self._pool: Any = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()  # all results were read, or the run is being abandoned
            self._pool.join()
        self.progress.close()
        if self.cache is not None:
            self.cache.close()

    def run(self, artifacts: Iterable[Artifact]) -> Iterator[tuple[int, Artifact, PackedScan]]:
        first = 0
        queued: Iterator[tuple[int, Artifact, PackedScan]] | None = None  # the previous window's misses
        for window, full in windows(artifacts):
            misses = yield from self._start(window, first, full)
            if queued is not None:
                yield from queued
            first += len(window)
            if self._pool is None:  # scanned here, one by one: nothing to keep busy, read no further
                yield from misses
                queued = None
            else:
                queued = misses
        if queued is not None:
            yield from queued

    def _start(self, window: list[Artifact], first: int, more_may_follow: bool
               ) -> Generator[tuple[int, Artifact, PackedScan], None, Iterator[tuple[int, Artifact, PackedScan]]]:
        """Yield the window's cache hits; queue its misses and return an iterator of their results."""
        cache = self.cache
        filling = None
        if cache is None:  # sizes only (pool order, progress): no per-file stat data kept
            stats: list[Stat | None] = []
            # one stat per file, only when a pool orders by size or a progress line counts bytes
            sizes = [_size(a.path) for a in window] if self.jobs > 1 or self.progress.enabled else [0] * len(window)
            todo: list[Task] = [(index, artifact, None) for index, artifact in enumerate(window)]
        else:
            from speechgate.cache_groups import Filling

            stats = [_stat_of(a) for a in window]
            sizes = [st[0] if st is not None else 0 for st in stats]
            todo = []
            filling = Filling(cache)
            for index, packed in _cached(cache, window, stats, todo, filling):  # hits as read; misses into todo
                self.progress.advance(sizes[index])
                yield first + index, window[index], packed
            todo.sort(key=lambda task: task[0])
        return self._finished(self._queue(todo, sizes, more_may_follow), window, first, stats, sizes, filling)

    def _queue(self, todo: list[Task], sizes: Sequence[int], more_may_follow: bool
               ) -> Iterator[tuple[int, PackedScan]]:
        if not todo:
            return iter(())
        scan_artifact = _compiled(self.settings)  # a rule error raises here, before any scan
        if self.jobs <= 1 or (self._pool is None and len(todo) < 2):
            lines = self.lines
            return ((index, pack(scan_artifact(artifact, self.settings, sha), lines)) for index, artifact, sha in todo)
        ordered = sorted(todo, key=lambda t: -sizes[t[0]])  # largest first: the pool ends evenly
        # Each result message wakes multiprocessing.Pool's worker-handler thread, which then spins
        # until the result is read (0.1 ms of parent CPU per message); chunks of up to 64 cut the
        # messages fourfold. Largest files go first, so the last chunks are the cheapest ones.
        chunk = max(1, min(64, len(ordered) // (self.jobs * 8)))
        # a run that ends with this window needs no more workers than it has files
        workers = self.jobs if more_may_follow else min(self.jobs, len(ordered))
        return self._pool_of(workers).imap_unordered(_work, ordered, chunksize=chunk)

    def _finished(self, results: Iterator[tuple[int, PackedScan]], window: list[Artifact], first: int,
                  stats: Sequence[Stat | None], sizes: Sequence[int], filling: Filling | None
                  ) -> Iterator[tuple[int, Artifact, PackedScan]]:
        cache = self.cache
        for index, packed in results:
            self.progress.advance(sizes[index])
            artifact = window[index]
            if cache is not None and filling is not None:
                unchanged = _unchanged(artifact.path, stats[index])
                if unchanged:
                    cache.put(artifact, packed)  # a file that changed while it was read is not cached
                filling.arrived(index, packed if unchanged else None)
            yield first + index, artifact, packed

    def _pool_of(self, workers: int) -> Any:
        if self._pool is None:
            import multiprocessing  # only a pool needs it: ~10 ms of every one-job or one-file start

            from speechgate.quiet_pool import QuietPool

            forked = "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if forked else None)
            self._pool = QuietPool(workers, initializer=_init_worker, initargs=(self.settings, self.lines),
                                   context=context)
        return self._pool


def _open_cache(folder: Path | None, settings: ScanSettings) -> ScanCache | None:
    """The run's cache, or None when disabled, when values are shown, or when it cannot open."""
    if folder is None or settings.show_values:
        return None
    from speechgate.cache import ScanCache

    try:
        return ScanCache(folder, settings)
    except (OSError, sqlite3.Error):
        return None  # a cache that cannot be opened only costs time


def _cached(cache: ScanCache, artifacts: Sequence[Artifact], stats: Sequence[Stat | None], todo: list[Task],
            filling: Filling) -> Iterator[tuple[int, PackedScan]]:
    """The cache's hits by index: whole groups of files first (cache_groups.py), then the
    files of the groups it missed, read in batches. The misses are appended to `todo` (with
    their sha256 if known); the missed groups wait in `filling` to be stored."""
    from speechgate.cache_groups import split

    wanted: list[tuple[int, Artifact, str]] = []
    for index, artifact in enumerate(artifacts):
        sha = _known_sha256(cache, artifact, stats[index])
        if sha is None:
            todo.append((index, artifact, None))
        else:
            wanted.append((index, artifact, sha))
    groups = split(wanted)
    rest: list[tuple[int, Artifact, str]] = []
    for group, scans in zip(groups, cache.get_groups([[(a, sha) for _, a, sha in g] for g in groups]), strict=True):
        if scans is None:
            filling.expect(group)
            rest += group
        else:
            for (index, _, _), hit in zip(group, scans, strict=True):
                yield index, hit
    found = cache.iter_many([(artifact, sha) for _, artifact, sha in rest])
    for (index, artifact, sha), hit in zip(rest, found, strict=True):
        if hit is None:
            todo.append((index, artifact, sha))
        else:
            filling.arrived(index, hit)
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


_WORKER_SETTINGS: ScanSettings | None = None
_WORKER_LINES = False  # Runner.lines, in a worker


def _compiled(settings: ScanSettings) -> Any:
    """engine.scan_artifact, after compiling the rules of `settings` (once per process)."""
    from speechgate import engine

    engine.compiled_rules(settings)
    return engine.scan_artifact


def _init_worker(settings: ScanSettings, lines: bool = False) -> None:
    global _WORKER_SETTINGS, _WORKER_LINES
    _WORKER_SETTINGS, _WORKER_LINES = settings, lines
    _compiled(settings)  # once per process (forked workers inherit the parent's compiled rules)


def _work(task: Task) -> tuple[int, PackedScan]:
    """Scan one artifact in a worker; what returns is small: the index and one JSON string."""
    from speechgate.engine import scan_artifact

    index, artifact, sha = task
    assert _WORKER_SETTINGS is not None
    return index, pack(scan_artifact(artifact, _WORKER_SETTINGS, sha), _WORKER_LINES)


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
