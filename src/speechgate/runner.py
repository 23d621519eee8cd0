"""Scan many artifacts: cache look-ups, then a serial loop or a process pool, results in input order.

In: artifacts, ScanSettings (plain data, sent to workers) and RunnerOptions. Out: one
ArtifactScan per artifact, in the order given, whatever the number of jobs: workers
return (index, scan) pairs and results are placed by index, so reports are identical
for any --jobs. Workers compile the rules once per process (engine._compile is cached).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from speechgate.engine import ArtifactScan, ScanSettings, _compile, scan_artifact
from speechgate.model import Artifact, Finding, no_cycle_collection
from speechgate.progress import Progress
from speechgate.readers import NEVER_OPENED

if TYPE_CHECKING:
    from speechgate.cache import ScanCache

Task = tuple[int, Artifact, str | None]


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
    stats = [_stat(a.path) for a in artifacts]
    sizes = [st.st_size if st is not None else 0 for st in stats]
    results: list[ArtifactScan | None] = [None] * len(artifacts)
    progress = Progress(len(artifacts), sum(sizes), enabled=options.progress)
    cache = _open_cache(options.cache_dir, settings)
    try:
        if cache is None:
            todo: list[Task] = [(index, artifact, None) for index, artifact in enumerate(artifacts)]
        else:
            with no_cycle_collection():  # lookups and decoded hits: many objects, no cycles
                todo = _cached(cache, artifacts, stats, results)
            for index, scan in enumerate(results):
                if scan is not None:
                    progress.advance(sizes[index])
        jobs = options.jobs or default_jobs()
        for index, scan in _scan(todo, settings, jobs, sizes):
            results[index] = scan
            progress.advance(sizes[index])
            if cache is not None and _unchanged(artifacts[index].path, stats[index]):
                cache.put(scan)  # a file that changed while it was read is not cached
    finally:
        progress.close()
        if cache is not None:
            cache.close()
    return [r for r in results if r is not None]


def _open_cache(folder: Path | None, settings: ScanSettings) -> ScanCache | None:
    """The run's cache, or None when disabled, when values are shown, or when it cannot open."""
    if folder is None or settings.show_values:
        return None
    from speechgate.cache import ScanCache

    try:
        return ScanCache(folder, settings)
    except (OSError, sqlite3.Error):
        return None  # a cache that cannot be opened only costs time


def _cached(cache: ScanCache, artifacts: Sequence[Artifact], stats: Sequence[os.stat_result | None],
            results: list[ArtifactScan | None]) -> list[Task]:
    """Fill `results` with the cache's hits; the misses, in input order, with their sha256 if known."""
    todo: list[Task] = []
    wanted: list[tuple[int, Artifact, str]] = []
    for index, artifact in enumerate(artifacts):
        sha = _known_sha256(cache, artifact, stats[index])
        if sha is None:
            todo.append((index, artifact, None))
        else:
            wanted.append((index, artifact, sha))
    hits = cache.get_many([(artifact, sha) for _, artifact, sha in wanted])
    for (index, artifact, sha), hit in zip(wanted, hits, strict=True):
        if hit is None:
            todo.append((index, artifact, sha))
        results[index] = hit
    todo.sort(key=lambda task: task[0])
    return todo


def _known_sha256(cache: ScanCache, artifact: Artifact, st: os.stat_result | None) -> str | None:
    """The file's sha256: recorded under its unchanged stat data, else hashed now (and recorded)."""
    from speechgate.cache import StatKey

    if artifact.kind in NEVER_OPENED or st is None:
        return None  # the scan reports it (without opening it, or as unreadable)
    stat = StatKey.from_stat(st)
    sha = cache.known_sha256(artifact.path, stat, artifact.kind)
    if sha is None:
        try:
            sha = _sha256(artifact.path)
        except OSError:
            return None  # the scan reports the file as unscannable
        cache.remember_sha256(artifact.path, stat, sha, artifact.kind)
    return sha


def _scan(todo: Sequence[Task], settings: ScanSettings, jobs: int, sizes: Sequence[int]
          ) -> Iterator[tuple[int, ArtifactScan]]:
    if jobs <= 1 or len(todo) < 2:
        for index, artifact, sha in todo:
            yield index, scan_artifact(artifact, settings, sha)
        return
    ordered = sorted(todo, key=lambda t: -sizes[t[0]])  # largest first: the pool ends evenly
    chunk = max(1, min(16, len(ordered) // (jobs * 32)))
    import multiprocessing  # only a pool needs it: ~10 ms of every one-job or one-file start

    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    context = multiprocessing.get_context("fork" if forked else None)
    by_index = {index: artifact for index, artifact, _ in todo}
    # What crosses the pipes is kept small: the parent's CPU time for (un)pickling comes out
    # of the same two cores the workers scan on. Forked workers already hold every artifact
    # (tasks are indexes); results come back without their artifact (the parent has it).
    tasks = [(index, None if forked else artifact, sha) for index, artifact, sha in ordered]
    with context.Pool(min(jobs, len(ordered)), initializer=_init_worker,
                      initargs=(settings, by_index if forked else None)) as pool:
        for index, sha256, findings, notes in pool.imap_unordered(_work, tasks, chunksize=chunk):
            yield index, ArtifactScan(by_index[index], sha256, findings, notes)


_WORKER_SETTINGS: ScanSettings | None = None
_WORKER_ARTIFACTS: dict[int, Artifact] = {}  # a forked worker's copy of the parent's, by index


def _init_worker(settings: ScanSettings, artifacts: dict[int, Artifact] | None) -> None:
    global _WORKER_SETTINGS, _WORKER_ARTIFACTS
    _WORKER_SETTINGS = settings
    _WORKER_ARTIFACTS = artifacts or {}
    _compile(settings)  # once per process


def _work(task: tuple[int, Artifact | None, str | None]) -> tuple[int, str, tuple[Finding, ...], tuple[str, ...]]:
    index, artifact, sha = task
    assert _WORKER_SETTINGS is not None
    scan = scan_artifact(artifact or _WORKER_ARTIFACTS[index], _WORKER_SETTINGS, sha)
    return index, scan.sha256, scan.findings, scan.notes


def _unchanged(path: Path, before: os.stat_result | None) -> bool:
    after = _stat(path)
    return before is not None and after is not None and (
        (before.st_size, before.st_mtime_ns, before.st_ino) == (after.st_size, after.st_mtime_ns, after.st_ino))


def _stat(path: Path) -> os.stat_result | None:
    with contextlib.suppress(OSError):
        return os.stat(path)
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
