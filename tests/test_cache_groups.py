"""Groups of files in the scan cache: where groups end, warm runs served by group rows, a
changed file or a damaged row falling back to the files' own entries, pruning."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from speechgate import cache, cache_groups, engine
from speechgate.config import load_config
from speechgate.discover import discover
from speechgate.engine import ArtifactScan, ScanSettings
from speechgate.gate import settings_for
from speechgate.packed import PackedScan
from speechgate.runner import RunnerOptions, _sha256, scan_many, windows


class _Shown:
    def __init__(self, display: str) -> None:
        self.display = display


def _members(names: list[str]) -> list[tuple[int, Any, str]]:
    return [(i, _Shown(name), f"{i:064x}") for i, name in enumerate(names)]


def _displays(groups: list[list[tuple[int, Any, str]]]) -> list[list[str]]:
    return [[m[1].display for m in group] for group in groups]


def test_groups_end_where_paths_say_so_and_keep_every_file_in_order() -> None:
    names = [f"corpus/{i // 100:03d}/utt_{i:06d}.srt" for i in range(5000)]
    groups = cache_groups.split(_members(names))
    assert [m[1].display for group in groups for m in group] == names
    for group in groups[:-1]:
        assert cache_groups.is_boundary(group[-1][1].display) or len(group) == cache_groups.MAX_GROUP
    assert not any(cache_groups.is_boundary(m[1].display) for group in groups for m in group[:-1])
    assert 5000 / cache_groups.SPAN / 2 < len(groups) < 5000 / cache_groups.SPAN * 2


@pytest.mark.parametrize("change", ["removed", "added"])
def test_a_file_added_or_removed_changes_only_the_group_it_falls_in(change: str) -> None:
    names = [f"corpus/{i // 100:03d}/utt_{i:06d}.srt" for i in range(5000)]
    before = _displays(cache_groups.split(_members(names)))
    changed = list(names)
    if change == "removed":
        del changed[2500]
    else:
        changed.insert(2500, "corpus/025/utt_002500b.srt")
    after = _displays(cache_groups.split(_members(changed)))
    kept_before = [g for g in before if g in after]
    assert len(before) - len(kept_before) <= 2, "at most the group it fell in (and one it merged with)"
    assert len(after) - len(kept_before) <= 2


def test_no_group_is_longer_than_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_groups, "SPAN", 1 << 40)  # no path is a boundary
    groups = cache_groups.split(_members([f"f{i}.txt" for i in range(2500)]))
    assert [len(g) for g in groups] == [cache_groups.MAX_GROUP, cache_groups.MAX_GROUP, 452]


class _Store:
    def __init__(self) -> None:
        self.stored: list[tuple[list[Any], list[PackedScan]]] = []

    def put_group(self, members: list[Any], scans: list[PackedScan]) -> None:
        self.stored.append((members, list(scans)))


def _scan(sha: str) -> PackedScan:
    return PackedScan(sha, "[[],[]]", None, False)  # type: ignore[arg-type]


def test_a_group_is_stored_once_every_file_arrived_in_any_order() -> None:
    store = _Store()
    filling = cache_groups.Filling(store)  # type: ignore[arg-type]
    group = _members(["a", "b", "c"])
    filling.expect(group)
    for index in (2, 0):
        filling.arrived(index, _scan(group[index][2]))
        assert not store.stored
    filling.arrived(1, _scan(group[1][2]))
    assert [(m[0].display, m[1]) for m in store.stored[0][0]] == [("a", group[0][2]), ("b", group[1][2]),
                                                                   ("c", group[2][2])]
    assert [s.sha256 for s in store.stored[0][1]] == [m[2] for m in group]
    filling.arrived(1, _scan(group[1][2]))  # nothing waits for it any more
    assert len(store.stored) == 1


def test_a_group_with_a_file_that_may_not_be_cached_is_never_stored() -> None:
    store = _Store()
    filling = cache_groups.Filling(store)  # type: ignore[arg-type]
    group = _members(["a", "b", "c"])
    filling.expect(group)
    filling.arrived(0, _scan(group[0][2]))
    filling.arrived(1, None)  # changed while it was read
    filling.arrived(2, _scan(group[2][2]))
    assert not store.stored


# -- through the runner -----------------------------------------------------------------

FILES = 700  # several groups, and two of the runner's windows (512, then the rest)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("groups") / "data"
    fake = Faker()
    Faker.seed(11)
    for i in range(FILES):
        folder = root / f"{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        line = fake.sentence() if i % 3 else f"mail {fake.email()} or call {fake.phone_number()}"
        (folder / f"utt_{i:04d}.txt").write_text(f"{line}\n")
    old = time.time() - 3600
    for p in root.rglob("*"):
        os.utime(p, (old, old))
    return root


class _Spy:
    """Counts scans and the files whose own entries a run looks up."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scans = 0
        self.looked_up: list[str] = []
        real_scan, real_iter = engine.scan_artifact, cache.ScanCache.iter_many

        def scan(*args: Any) -> ArtifactScan:
            self.scans += 1
            return real_scan(*args)

        def iter_many(opened: cache.ScanCache, wanted: Any) -> Any:
            self.looked_up += [artifact.display for artifact, _ in wanted]
            return real_iter(opened, wanted)

        monkeypatch.setattr(engine, "scan_artifact", scan)
        monkeypatch.setattr(cache.ScanCache, "iter_many", iter_many)


def _run(tree: Path, cache_dir: Path, settings: ScanSettings | None = None, jobs: int = 1) -> list[ArtifactScan]:
    settings = settings or settings_for(load_config(None, tree))
    return scan_many(discover([str(tree)]), settings, RunnerOptions(jobs=jobs, cache_dir=cache_dir))


def _db(cache_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(cache_dir / cache.DB_NAME)


def _group_rows(cache_dir: Path) -> int:
    with _db(cache_dir) as db:
        return int(db.execute("SELECT count(*) FROM scan_group").fetchone()[0])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_run_is_served_by_group_rows_alone(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  jobs: int) -> None:
    plain = scan_many(discover([str(tree)]), settings_for(load_config(None, tree)), RunnerOptions(jobs=1))
    assert _run(tree, tmp_path / "c", jobs=jobs) == plain
    assert _group_rows(tmp_path / "c") >= 3
    spy = _Spy(monkeypatch)
    assert _run(tree, tmp_path / "c", jobs=jobs) == plain
    assert (spy.scans, spy.looked_up) == (0, []), "no file's own entry was read"


def test_a_changed_file_misses_its_group_only(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tree, tmp_path / "c")
    groups = _group_rows(tmp_path / "c")
    target = tree / "03" / "utt_0345.txt"
    original = target.read_text()
    try:
        target.write_text("ring me on (212) 456-7890\n")
        os.utime(target, (time.time() - 60, time.time() - 60))
        group = _group_of(tree, "03/utt_0345.txt")
        assert 1 < len(group) < FILES
        spy = _Spy(monkeypatch)
        changed = _run(tree, tmp_path / "c")
        assert spy.scans == 1
        assert sorted(spy.looked_up) == sorted(m[1].display for m in group), "only its group's files"
        assert next(s for s in changed if s.artifact.display == "03/utt_0345.txt").findings
        assert _group_rows(tmp_path / "c") == groups, "the group's new row replaced its old one"
        spy.looked_up.clear()
        assert _run(tree, tmp_path / "c") == changed
        assert (spy.scans, spy.looked_up) == (1, []), "the group was stored again with the new scan"
    finally:
        target.write_text(original)
        os.utime(target, (time.time() - 3600, time.time() - 3600))


def _group_of(tree: Path, display: str) -> list[tuple[int, Any, str]]:
    """The group a file falls in, as the runner cuts them (in its windows)."""
    for window, _ in windows(discover([str(tree)])):
        for group in cache_groups.split([(i, a, "") for i, a in enumerate(window)]):
            if any(m[1].display == display for m in group):
                return group
    raise AssertionError(f"{display} is in no group")


def _risky_group(cache_dir: Path) -> tuple[int, str]:
    with _db(cache_dir) as db:
        return next((i, body) for i, body in db.execute("SELECT id, body FROM scan_group") if '"high"' in body)


def _clean_file(body: str) -> str:
    return next(part for part in body.split("\x1e") if part.endswith("\x1f[[],[]]\x1f"))  # no finding, no lines


@pytest.mark.parametrize("damage", ["made clean", "a file dropped", "bad facts"])
def test_a_damaged_group_row_is_deleted_and_its_files_read_from_their_entries(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    first = _run(tree, tmp_path / "c")
    row_id, body = _risky_group(tmp_path / "c")
    parts = body.split("\x1e")
    clean = _clean_file(body)
    if damage == "made clean":  # every file of the group made to look clean, checksum left as it was
        forged, keyed = "\x1e".join(clean for _ in parts), False
    elif damage == "a file dropped":  # a checksum made with the key: the count of files must still agree
        forged, keyed = "\x1e".join(parts[1:]), True
    else:
        forged, keyed = "\x1e".join(["[0.5]" + part[part.index("\x1f"):] for part in parts]), True
    with _db(tmp_path / "c") as db:
        if keyed:
            key = _group_key_of(tree, tmp_path / "c", row_id)
            db.execute("UPDATE scan_group SET body = ?, checksum = ? WHERE id = ?",
                       (forged, cache._group_checksum(cache._mac_key(), key, forged), row_id))
        else:
            db.execute("UPDATE scan_group SET body = ? WHERE id = ?", (forged, row_id))
    spy = _Spy(monkeypatch)
    assert _run(tree, tmp_path / "c") == first
    assert spy.scans == 0 and len(spy.looked_up) == len(parts), "the group's files came from their own entries"
    with _db(tmp_path / "c") as db:
        assert db.execute("SELECT body FROM scan_group WHERE id = ?", (row_id,)).fetchone() == (body,), "stored anew"


def _group_key_of(tree: Path, cache_dir: Path, row_id: int) -> str:
    """The whole key of the group stored under `row_id` (the table stores only ids)."""
    artifacts = discover([str(tree)])
    with cache.ScanCache(cache_dir, settings_for(load_config(None, tree))) as opened:
        for window, _ in windows(artifacts):
            members = [(i, a, _sha256(a.path)) for i, a in enumerate(window)]
            for group in cache_groups.split(members):
                key, found = opened.group_key([(a, sha) for _, a, sha in group])
                if found == row_id:
                    return key
    raise AssertionError("no group has that row id")


def test_pruning_drops_the_groups_of_dropped_generations(tree: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    base = settings_for(load_config(None, tree))
    monkeypatch.setattr(cache, "USED_EVERY", 0)
    for confidence in (0.1, 0.2, 0.3, 0.4):
        _run(tree, tmp_path / "c", dataclasses.replace(base, min_confidence=confidence))
    with _db(tmp_path / "c") as db:
        entries = {g for g, in db.execute("SELECT DISTINCT generation FROM scan")}
        groups = {g for g, in db.execute("SELECT DISTINCT generation FROM scan_group")}
    assert len(entries) == cache.KEEP_GENERATIONS and groups == entries
