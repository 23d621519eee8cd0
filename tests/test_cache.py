"""The scan cache: hits and misses, the stat pre-key, invalidation, corruption, no raw values."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from speechgate import cache, cache_groups, engine, gate, runner
from speechgate import discover as discovery
from speechgate.cli import main
from speechgate.config import load_config
from speechgate.discover import discover
from speechgate.engine import ArtifactScan, ScanSettings
from speechgate.gate import settings_for
from speechgate.report.text import render as render_text
from speechgate.rules import rule_files
from speechgate.runner import RunnerOptions, scan_many

EMAIL = "quentin.zephyrwood@example.org"
NAME = "Quentin Zephyrwood"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    (root / f"{NAME.replace(' ', '_')}_interview.srt").write_text(
        f"1\n00:00:01,000 --> 00:00:02,000\nwrite to {EMAIL} please\n\n"
        f"2\n00:00:03,000 --> 00:00:04,000\nI am {NAME}, call (212) 456-7890\n")
    (root / "clean.txt").write_text("nothing to see here\n")
    (root / "manifest.jsonl").write_text(f'{{"speaker": "{NAME}", "text": "hello"}}\n')
    _age(root)
    return root


def _age(root: Path) -> None:
    """Give files an old mtime, so the stat pre-key is not 'racy' and gets recorded."""
    old = time.time() - 3600
    for p in root.rglob("*"):
        os.utime(p, (old, old))


class Counter:
    """Counts calls to engine.scan_artifact and runner._sha256 (the serial path)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scans = 0
        self.hashes = 0
        real_scan, real_hash = engine.scan_artifact, runner._sha256

        def scan(*args: Any) -> ArtifactScan:
            self.scans += 1
            return real_scan(*args)

        def sha(path: Path) -> str:
            self.hashes += 1
            return real_hash(path)

        monkeypatch.setattr(engine, "scan_artifact", scan)
        monkeypatch.setattr(runner, "_sha256", sha)


def _run(folder: Path, cache_dir: Path, settings: ScanSettings | None = None) -> list[ArtifactScan]:
    settings = settings or settings_for(load_config(None, folder))
    return scan_many(discover([str(folder)]), settings, RunnerOptions(jobs=1, cache_dir=cache_dir))


def test_second_run_hits_and_returns_the_same_results(folder: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counter(monkeypatch)
    first = _run(folder, tmp_path / "c")
    assert count.scans == 3 and count.hashes == 3
    second = _run(folder, tmp_path / "c")
    assert count.scans == 3, "nothing rescanned"
    assert count.hashes == 3, "unchanged files are not rehashed (stat pre-key)"
    assert second == first
    assert any(s.findings for s in first)


def test_uncached_run_matches_cached_run(folder: Path, tmp_path: Path) -> None:
    settings = settings_for(load_config(None, folder))
    plain = scan_many(discover([str(folder)]), settings, RunnerOptions(jobs=1))
    _run(folder, tmp_path / "c")
    assert _run(folder, tmp_path / "c") == plain


def test_touched_but_unchanged_file_is_rehashed_not_rescanned(folder: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _run(folder, tmp_path / "c")
    count = Counter(monkeypatch)
    os.utime(folder / "clean.txt", (time.time() - 60, time.time() - 60))
    _run(folder, tmp_path / "c")
    assert (count.hashes, count.scans) == (1, 0)


def test_changed_content_is_rescanned(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(folder, tmp_path / "c")
    count = Counter(monkeypatch)
    (folder / "clean.txt").write_text("now mail jo.bloggs@example.net\n")
    second = _run(folder, tmp_path / "c")
    assert count.scans == 1
    clean = next(s for s in first if s.artifact.display == "clean.txt")
    changed = next(s for s in second if s.artifact.display == "clean.txt")
    assert not clean.findings and changed.findings
    assert changed.sha256 != clean.sha256


def test_settings_change_invalidates(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(load_config(None, folder))
    _run(folder, tmp_path / "c", settings)
    count = Counter(monkeypatch)
    stricter = ScanSettings(**{**settings.__dict__, "min_confidence": 0.9})
    _run(folder, tmp_path / "c", stricter)
    assert count.scans == 3


def test_rule_file_change_invalidates(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    copies = [Path(shutil.copy(p, rules_dir)) for p in rule_files()]
    settings = settings_for(load_config(None, folder))
    settings = ScanSettings(**{**settings.__dict__, "rule_files": tuple(str(p) for p in copies)})
    _run(folder, tmp_path / "c", settings)
    count = Counter(monkeypatch)
    _run(folder, tmp_path / "c", settings)
    assert count.scans == 0
    with copies[0].open("a") as handle:
        handle.write("\n# edited\n")
    _run(folder, tmp_path / "c", settings)
    assert count.scans == 3


def test_fingerprint_key_change_invalidates(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from speechgate import privacy

    _run(folder, tmp_path / "c")
    monkeypatch.setenv("SPEECHGATE_FINGERPRINT_KEY", "another-key")
    privacy.fingerprint_key.cache_clear()
    try:
        count = Counter(monkeypatch)
        _run(folder, tmp_path / "c")
        assert count.scans == 3
    finally:
        privacy.fingerprint_key.cache_clear()


def _db(cache_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(cache_dir / cache.DB_NAME)


def test_corrupt_entry_is_discarded_and_rescanned(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(folder, tmp_path / "c")
    with _db(tmp_path / "c") as db:
        rows = db.execute("SELECT id, payload FROM scan").fetchall()
        row_id, payload = next(row for row in rows if '"high"' in row[1])  # a risky file's entry
        db.execute("UPDATE scan SET payload = ? WHERE id = ?", (payload.replace("high", "low"), row_id))
        # and the same file's scan in its group's row (which holds all three files)
        (group_id, body), = db.execute("SELECT id, body FROM scan_group").fetchall()
        assert payload in body
        db.execute("UPDATE scan_group SET body = ? WHERE id = ?",
                   (body.replace(payload, payload.replace("high", "low")), group_id))
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 1


def test_entries_whose_row_ids_collide_are_told_apart_by_their_checksum(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache.ScanCache.entry_key
    monkeypatch.setattr(cache.ScanCache, "entry_key", lambda self, a, sha: (real(self, a, sha)[0], 42))
    first = _run(folder, tmp_path / "c")  # three files, one row: the last stored replaced the others
    with _db(tmp_path / "c") as db:
        assert db.execute("SELECT id FROM scan").fetchall() == [(42,)]
        db.execute("DELETE FROM scan_group")  # the group's row would serve all three files
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 2, "only the file whose whole key the checksum covers is a hit"


BAD_PAYLOADS = [
    '{"findings": [{"rule": 1}], "notes": []}',  # not the layout at all
    '[[["r","email","high",0.9,{},"m","p","f",1,null]],[]]',  # a field short
    '[[["r","no-such-category","high",0.9,{},"m","p","f",1,null,null]],[]]',
    '[[],[3]]',  # a note that is not text
]
OTHER_KEY = b"\x01" * 64  # a cache poisoner's: not the fingerprint key the checks are derived from


def _entry_keys(folder: Path, cache_dir: Path) -> dict[int, str]:
    """Row id -> whole entry key of each file of `folder` (the table stores only the ids)."""
    with cache.ScanCache(cache_dir, settings_for(load_config(None, folder))) as opened:
        return {row_id: key for key, row_id in
                (opened.entry_key(a, runner._sha256(a.path)) for a in discover([str(folder)]))}


def _group_keys(folder: Path, cache_dir: Path) -> dict[int, str]:
    """Row id -> whole key of each group of `folder`'s files (one group here: three files)."""
    members = [(i, a, runner._sha256(a.path)) for i, a in enumerate(discover([str(folder)]))]
    with cache.ScanCache(cache_dir, settings_for(load_config(None, folder))) as opened:
        return {row_id: key for key, row_id in
                (opened.group_key([(a, sha) for _, a, sha in group]) for group in cache_groups.split(members))}


def _rewrite_every_entry(folder: Path, cache_dir: Path, payload: str | None = None, facts: str | None = None,
                         checksum: Callable[[str, str, str, str], str] | None = None, text: str | None = None) -> None:
    """Replace every entry's payload, facts or lines, in the `scan` table and in the group's
    row, with checksums that match the new entries (made with the fingerprint key unless
    `checksum`, a FORGERS value, says how)."""
    checksum = checksum or (lambda key, p, f, t: cache._checksum(cache._mac_key(), key, p, f, t))
    group_checksum = GROUP_FORGERS.get(checksum, lambda key, body: cache._group_checksum(cache._mac_key(), key, body))
    keys, group_keys = _entry_keys(folder, cache_dir), _group_keys(folder, cache_dir)
    with _db(cache_dir) as db:
        rows = db.execute("SELECT id, payload, facts, text FROM scan").fetchall()
        assert len(rows) == len(keys) == 3
        for row_id, old_payload, old_facts, old_text in rows:
            new_payload, new_facts = payload or old_payload, facts or old_facts
            new_text = old_text if text is None else text
            db.execute("UPDATE scan SET payload = ?, facts = ?, text = ?, checksum = ? WHERE id = ?",
                       (new_payload, new_facts, new_text, checksum(keys[row_id], new_payload, new_facts, new_text),
                        row_id))
        groups = db.execute("SELECT id, body FROM scan_group").fetchall()
        assert len(groups) == len(group_keys) == 1
        for row_id, body in groups:
            files = [part.split("\x1f") for part in body.split("\x1e")]
            new_body = "\x1e".join(f"{facts or f}\x1f{payload or p}\x1f{t if text is None else text}"
                                   for f, p, t in files)
            db.execute("UPDATE scan_group SET body = ?, checksum = ? WHERE id = ?",
                       (new_body, group_checksum(group_keys[row_id], new_body), row_id))


def _clean_entry(cache_dir: Path) -> tuple[str, str, str]:
    """(payload, facts, lines) of the cached scan with no findings: what a poisoner would copy."""
    with _db(cache_dir) as db:
        return next((p, f, t) for p, f, t in db.execute("SELECT payload, facts, text FROM scan")
                    if p.startswith("[[]"))


FORGERS: dict[str, Callable[[str, str, str, str], str]] = {
    "another key": lambda key, p, f, t: cache._checksum(OTHER_KEY, key, p, f, t),
    "unkeyed sha256 (schema 5)": lambda key, p, f, t: hashlib.sha256(f"{key}\0{f}\0{p}".encode()).hexdigest(),
}
# the same forgers' checksums of a group row
GROUP_FORGERS: dict[Callable[[str, str, str, str], str], Callable[[str, str], str]] = {
    FORGERS["another key"]: lambda key, body: cache._group_checksum(OTHER_KEY, key, body),
    FORGERS["unkeyed sha256 (schema 5)"]: lambda key, body: hashlib.sha256(f"{key}\0{body}".encode()).hexdigest(),
}


@pytest.mark.parametrize("forger", FORGERS)
def test_a_clean_result_forged_without_the_key_is_discarded(folder: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch, forger: str) -> None:
    first = _run(folder, tmp_path / "c")
    assert any(scan.findings for scan in first)
    payload, facts, text = _clean_entry(tmp_path / "c")
    # every file made to look clean
    _rewrite_every_entry(folder, tmp_path / "c", payload, facts, FORGERS[forger], text)
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 3


def test_the_same_forgery_with_the_key_would_be_trusted(folder: Path, tmp_path: Path) -> None:
    """The control: only the key tells the forgery above from an entry this code wrote."""
    first = _run(folder, tmp_path / "c")
    payload, facts, text = _clean_entry(tmp_path / "c")
    _rewrite_every_entry(folder, tmp_path / "c", payload, facts, text=text)
    assert not any(scan.findings for scan in _run(folder, tmp_path / "c")) and any(s.findings for s in first)


@pytest.mark.parametrize("forger", FORGERS)
def test_report_lines_forged_without_the_key_are_discarded(folder: Path, tmp_path: Path, forger: str) -> None:
    """A cached scan's lines for the terminal report are printed as stored: a poisoner who
    cannot read the key cannot make a risky file's lines look harmless."""
    first = _check_text(folder, tmp_path / "c")
    assert "pii-email" in first
    _rewrite_every_entry(folder, tmp_path / "c", checksum=FORGERS[forger], text="  (nothing to see)\n")
    assert _check_text(folder, tmp_path / "c") == first


def test_report_lines_changed_under_their_checksum_are_discarded(folder: Path, tmp_path: Path) -> None:
    """The checksum covers the lines: changed in place, an entry and its group row fail it."""
    first = _check_text(folder, tmp_path / "c")
    with _db(tmp_path / "c") as db:
        db.execute("UPDATE scan SET text = ?", ("  (nothing to see)\n",))
        (group_id, body), = db.execute("SELECT id, body FROM scan_group").fetchall()
        forged = "\x1e".join(part.rsplit("\x1f", 1)[0] + "\x1f  (nothing to see)\n" for part in body.split("\x1e"))
        db.execute("UPDATE scan_group SET body = ? WHERE id = ?", (forged, group_id))
    assert _check_text(folder, tmp_path / "c") == first


def test_report_lines_are_printed_as_cached(folder: Path, tmp_path: Path) -> None:
    """The control: a warm run prints the lines it finds under a valid checksum, unchanged."""
    _check_text(folder, tmp_path / "c")
    _rewrite_every_entry(folder, tmp_path / "c", text="  (written with the key)\n")
    assert _check_text(folder, tmp_path / "c").count("(written with the key)") == 3


def _check_text(folder: Path, cache_dir: Path) -> str:
    """The terminal report of a one-job `check` of `folder` with `cache_dir` as its cache."""
    report = gate.run([str(folder)], load_config(None, folder),
                      gate.RunOptions(tier="public", runner=RunnerOptions(jobs=1, cache_dir=cache_dir)))
    return render_text(report)


@pytest.mark.parametrize("bad", BAD_PAYLOADS)
def test_a_bad_payload_forged_without_the_key_is_discarded(folder: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    first = _run(folder, tmp_path / "c")
    _rewrite_every_entry(folder, tmp_path / "c", payload=bad, checksum=FORGERS["another key"])
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 3


BAD_FACTS = [
    "not json",
    "[0.5,1,0]",  # too short
    '[1,1,0,[["email",1]],"r",false,[["r","email","high"]],[]]',  # a risk that is not a float
    '[0.5,"1",0,[["email",1]],"r",false,[["r","email","high"]],[]]',  # a count that is text
    '[0.5,1,0,[["email","1"]],"r",false,[["r","email","high"]],[]]',  # a category count that is text
    '[0.5,1,0,[["email",1]],"r",0,[["r","email","high"]],[]]',  # a flag that is not a boolean
    '[0.5,1,0,[["email",1]],"r",false,[["r","email"]],[]]',  # a rule without its severity
    '[0.5,1,0,[["email",1]],"r",false,[["r","email","high"]],[3]]',  # a suppressor that is not text
    '{"risk": 0.5}',
]


@pytest.mark.parametrize("bad", BAD_FACTS)
def test_entry_with_valid_checksum_but_bad_facts_is_discarded(folder: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    first = _run(folder, tmp_path / "c")
    _rewrite_every_entry(folder, tmp_path / "c", facts=bad)
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 3


def test_garbage_database_file_is_replaced(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(folder, tmp_path / "c")
    for p in (tmp_path / "c").iterdir():
        p.write_bytes(b"this is not a database" * 100)
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 3
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 3, "the recreated cache works again"


def test_cache_holds_no_raw_values_or_paths(folder: Path, tmp_path: Path) -> None:
    _run(folder, tmp_path / "c")
    blob = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert b"scan" in blob  # the database is really there
    for secret in (EMAIL, NAME, "Zephyrwood", "456-7890", str(folder), "interview"):
        assert secret.encode() not in blob, secret
        assert secret.encode("utf-16-le") not in blob


def test_show_values_bypasses_the_cache(folder: Path, tmp_path: Path) -> None:
    settings = settings_for(load_config(None, folder), show_values=True)
    scans = _run(folder, tmp_path / "c", settings)
    assert any(f.value for s in scans for f in s.findings)
    assert not (tmp_path / "c").exists()


def test_cli_no_cache_writes_nothing(folder: Path, tmp_path: Path) -> None:
    assert main(["check", str(folder), "--no-cache", "--cache-dir", str(tmp_path / "c"), "-q"]) == 1
    assert not (tmp_path / "c").exists()
    assert main(["check", str(folder), "--cache-dir", str(tmp_path / "c"), "-q"]) == 1
    assert (tmp_path / "c" / cache.DB_NAME).is_file()


def test_cli_default_cache_dir_comes_from_the_environment(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGATE_CACHE_DIR", str(tmp_path / "env-cache"))
    assert main(["check", str(folder), "-q"]) == 1
    assert (tmp_path / "env-cache" / cache.DB_NAME).is_file()


def test_racy_stat_is_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "a.txt").write_text("just written\n")
    _run(root, tmp_path / "c")
    count = Counter(monkeypatch)
    _run(root, tmp_path / "c")
    assert (count.hashes, count.scans) == (1, 0), "rehashed (mtime too recent to trust), still a hit"


def test_file_changed_while_scanned_is_not_cached(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashed before the edit, read after it: caching that under the old hash would be wrong."""
    real_scan = engine.scan_artifact
    target = folder / "clean.txt"
    original = target.read_text()

    def edit_then_scan(artifact: Any, *args: Any) -> ArtifactScan:
        if artifact.path == target:
            target.write_text("now mail jo.bloggs@example.net\n")
        return real_scan(artifact, *args)

    monkeypatch.setattr(engine, "scan_artifact", edit_then_scan)
    first = _run(folder, tmp_path / "c")
    assert next(s for s in first if s.artifact.display == "clean.txt").findings
    monkeypatch.setattr(engine, "scan_artifact", real_scan)
    target.write_text(original)  # back to the content that was hashed
    _age(folder)
    count = Counter(monkeypatch)
    second = _run(folder, tmp_path / "c")
    assert count.scans == 1
    assert not next(s for s in second if s.artifact.display == "clean.txt").findings


def test_warm_discovery_reuses_recorded_kinds_and_sniffs_changed_files(folder: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from speechgate import discover as discover_module
    from speechgate.gate import RunOptions, find_artifacts

    config = load_config(None, folder)
    options = RunOptions(tier="public", runner=RunnerOptions(jobs=1, cache_dir=tmp_path / "c"))
    cold = find_artifacts([str(folder)], config, options)
    scan_many(cold, settings_for(config), options.runner)
    sniffed: list[str] = []
    real_classify = discover_module.classify
    monkeypatch.setattr(discover_module, "classify",
                        lambda p, head: sniffed.append(os.path.basename(p)) or real_classify(p, head))
    assert find_artifacts([str(folder)], config, options) == cold
    assert sniffed == [], "no file was opened to find its kind"
    (folder / "clean.txt").write_text("changed\n")
    assert find_artifacts([str(folder)], config, options) == cold
    assert sniffed == ["clean.txt"]
    shown = RunOptions(tier="public", show_values=True, runner=options.runner)
    find_artifacts([str(folder)], config, shown)
    assert len(sniffed) == 4, "--show-values runs do not read the cache"


def test_pre_key_covers_every_stat_field(folder: Path, tmp_path: Path) -> None:
    _run(folder, tmp_path / "c")
    known = cache.KnownFiles.load(tmp_path / "c")
    path = folder / "clean.txt"
    stat = cache.StatKey.of(path)
    assert known.lookup(os.path.abspath(path), stat) is not None
    for field in cache.StatKey._fields:
        assert known.lookup(os.path.abspath(path), stat._replace(**{field: getattr(stat, field) + 1})) is None, field
    assert known.lookup(os.path.abspath(folder / "manifest.jsonl"), stat) is None


@pytest.mark.parametrize("queries", [1, 2, 3, 10])
def test_pre_keys_queried_one_by_one_then_read_whole_agree_with_the_table(folder: Path, tmp_path: Path,
                                                                          queries: int) -> None:
    _run(folder, tmp_path / "c")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    assert len(files) == 3
    whole = cache.KnownFiles.load(tmp_path / "c")
    queried = cache.KnownFiles.queried_first(tmp_path / "c", queries)
    (folder / "clean.txt").write_text("changed\n")  # a changed file is unknown either way
    for _ in range(2):  # past the switch to the whole table, whatever `queries` is
        for path in files:
            st = os.stat(path)
            assert queried.kind(os.path.abspath(path), st) == whole.kind(os.path.abspath(path), st)
    assert queried._db is None or queries > 2 * len(files)  # the connection is closed after the switch
    with _db(tmp_path / "c") as db:  # a damaged row is not trusted by a query either
        for key, entry in db.execute("SELECT path, entry FROM stat").fetchall():
            db.execute("UPDATE stat SET entry = ? WHERE path = ?", (entry[:-1] + bytes([entry[-1] ^ 1]), key))
    again = cache.KnownFiles.queried_first(tmp_path / "c", queries)
    assert all(again.kind(os.path.abspath(p), os.stat(p)) is None for p in files)


def test_damaged_pre_key_row_is_not_trusted(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(folder, tmp_path / "c")
    with _db(tmp_path / "c") as db:
        for key, entry in db.execute("SELECT path, entry FROM stat").fetchall():
            damaged = entry[:-12] + b"mp3\0" + entry[-8:]  # another kind, the old check
            db.execute("UPDATE stat SET entry = ? WHERE path = ?", (damaged, key))
    assert len(cache.KnownFiles.load(tmp_path / "c")) == 0
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert (count.hashes, count.scans) == (3, 0), "rehashed, then found by content"


def test_hits_are_read_in_batches(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(folder, tmp_path / "c")
    with _db(tmp_path / "c") as db:
        db.execute("DELETE FROM scan_group")  # so the files' own entries are read
    monkeypatch.setattr(cache, "FETCH_BATCH", 2)
    count = Counter(monkeypatch)
    assert _run(folder, tmp_path / "c") == first
    assert count.scans == 0


def test_earlier_cache_layout_is_removed(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    old = tmp_path / "c" / "scan-cache-v1.sqlite3"
    old.write_bytes(b"an earlier layout")
    _run(folder, tmp_path / "c")
    assert not old.exists() and (tmp_path / "c" / cache.DB_NAME).is_file()


@pytest.mark.parametrize("jobs", [1, 2])
def test_warm_run_reads_the_pre_keys_once_and_again_after_a_write(folder: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """With one job, discovery and the runner share one read in this process; with more, a
    helper process discovers (and reads them there), and this process never needs them."""
    expected = [3] if jobs == 1 else []
    reads: list[int] = []
    real_rows = cache._stat_rows

    def rows(db: sqlite3.Connection, code: str) -> dict[bytes, bytes]:
        found = real_rows(db, code)
        reads.append(len(found))
        return found

    monkeypatch.setattr(cache, "_stat_rows", rows)
    args = ["check", str(folder), "--cache-dir", str(tmp_path / "c"), "-q", "-j", str(jobs)]
    assert main(args) == 1
    reads.clear()
    assert main(args) == 1
    assert reads == expected, "discovery and the runner share one read"
    (folder / "clean.txt").write_text("changed\n")
    _age(folder)
    assert main(args) == 1  # rescans clean.txt and records it
    before = len(reads)
    assert main(args) == 1
    assert reads[before:] == expected, "a run that wrote makes the next one read again (once)"


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_config_file_is_left_out_of_warm_runs_too(folder: Path, tmp_path: Path, jobs: int,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A file the cache knows unchanged brings its device and inode from discovery's stat
    (artifact.known): once it is the run's config, it is still left out, not scanned."""
    (folder / ".speechgate.yaml").write_text("default_tier: public\n")
    (tmp_path / "elsewhere.yaml").write_text("default_tier: public\n")
    _age(folder)
    monkeypatch.chdir(folder)
    args = ["check", ".", "--cache-dir", str(tmp_path / "c"), "--format", "json", "-j", str(jobs)]
    # another config: .speechgate.yaml is an artifact like any other, scanned and recorded
    assert main([*args, "--config", str(tmp_path / "elsewhere.yaml")]) == 1
    assert ".speechgate.yaml" in {a["path"] for a in json.loads(capsys.readouterr().out)["artifacts"]}
    seen: list[object] = []
    real = discovery.iter_without_files

    def spy(artifacts, files):  # type: ignore[no-untyped-def]
        for artifact in real(artifacts, files):
            seen.append(artifact.known)
            yield artifact

    monkeypatch.setattr(discovery, "iter_without_files", spy)
    assert main(args) == 1  # now it is the config found from here
    paths = {a["path"] for a in json.loads(capsys.readouterr().out)["artifacts"]}
    assert paths == {"Quentin_Zephyrwood_interview.srt", "clean.txt", "manifest.jsonl"}
    assert seen and all(known is not None for known in seen), "a warm run: every file came with its stat"


def _generations(cache_dir: Path) -> list[tuple[int, int]]:
    """(generation, entries) in the scan table."""
    with _db(cache_dir) as db:
        return db.execute("SELECT generation, count(*) FROM scan GROUP BY generation ORDER BY generation").fetchall()


def test_only_the_most_recently_used_generations_are_kept(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each settings digest (config, rules, version) is a generation; a new one prunes the
    entries of all but the KEEP_GENERATIONS most recently used, so the folder stays bounded."""
    base = settings_for(load_config(None, folder))
    variants = [dataclasses.replace(base, min_confidence=c) for c in (0.1, 0.2, 0.3, 0.4)]
    monkeypatch.setattr(cache, "USED_EVERY", 0)  # every run records its use
    for settings in variants[:3]:
        _run(folder, tmp_path / "c", settings)
    assert [n for _, n in _generations(tmp_path / "c")] == [3, 3, 3]
    _run(folder, tmp_path / "c", variants[0])  # used again: now the most recent
    _run(folder, tmp_path / "c", variants[3])  # a fourth: the least recently used (0.2) goes
    kept = _generations(tmp_path / "c")
    assert len(kept) == cache.KEEP_GENERATIONS == 3
    count = Counter(monkeypatch)
    for settings in (variants[0], variants[2], variants[3]):
        _run(folder, tmp_path / "c", settings)
    assert count.scans == 0, "the kept generations still hit"
    _run(folder, tmp_path / "c", variants[1])
    assert count.scans == 3, "the pruned one is scanned again"


def test_pruning_drops_the_pre_keys_of_code_no_kept_generation_ran(folder: Path, tmp_path: Path) -> None:
    base = settings_for(load_config(None, folder))
    _run(folder, tmp_path / "c", base)
    with _db(tmp_path / "c") as db:
        db.execute("INSERT INTO stat VALUES (?, ?, ?)", (b"\0" * 32, "older-code", b"row"))
    for c in (0.1, 0.2, 0.3):
        _run(folder, tmp_path / "c", dataclasses.replace(base, min_confidence=c))
    with _db(tmp_path / "c") as db:
        codes = {code for code, in db.execute("SELECT DISTINCT code FROM stat")}
    assert codes == {cache.code_digest()}, "the current code's pre-keys stay, the older code's go"
