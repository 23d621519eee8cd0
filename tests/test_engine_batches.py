"""The engine checks fields in batches, one rule over the whole batch at a time: its findings
must be exactly those of checking one field after another (the same values, counts, first
locations, confidences and order), and a batch stays bounded in fields and characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speechgate import engine
from speechgate.discover import discover
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.model import Artifact
from speechgate.rules import rule_files
from tests.conftest import EXAMPLES


def _settings() -> ScanSettings:
    return ScanSettings(tuple(str(p) for p in rule_files()))


def _scans(paths: list[Path]) -> list[tuple[str, tuple, tuple]]:
    scans = []
    for artifact in discover(paths):
        scan = scan_artifact(artifact, _settings())
        scans.append((artifact.display, scan.findings, scan.notes))
    return scans


def _mixed_manifest(folder: Path) -> Path:
    """Rows where several rules hit one field (a LibriSpeech id that is also phone- and
    card-shaped), per-column rules (age), repeated speaker labels and several batches."""
    rows = []
    for i in range(700):
        rows.append({
            "audio_filepath": f"audio/{1089 + i % 3}-134686-{i % 40:04d}.flac",
            "speaker": ["Maria_Lopez", "spk_0", "John_Carter", f"spk_{i % 7}"][i % 4],
            "age": 20 + i % 50,
            "text": [f"call me on 0{i % 9}20 7946 {i:04d} or mail jo{i}@example.org",
                     "my name is Jane Miller and I live at 12 Oak Street",
                     f"utterance 1089-134686-{i % 100:04d} four one one five five five one two one two",
                     "nothing to see here"][i % 4],
        })
    path = folder / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [1, 3])
def test_batches_find_what_one_field_at_a_time_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     size: int) -> None:
    paths = [EXAMPLES, _mixed_manifest(tmp_path)]
    batched = _scans(paths)
    assert sum(len(f) for _, f, _ in batched) > 50, "the inputs must hold findings to compare"
    monkeypatch.setattr(engine, "BATCH_FIELDS", size)  # size 1: each field checked as it is read
    engine._compile(_settings()).repeated_hits.clear()
    assert _scans(paths) == batched


def test_corpus_batches_find_what_one_field_at_a_time_finds(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batched = _scans([corpus])
    monkeypatch.setattr(engine, "BATCH_FIELDS", 1)
    engine._compile(_settings()).repeated_hits.clear()
    assert _scans([corpus]) == batched


def test_a_batch_ends_at_its_field_and_character_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text("".join(f"line {i} " + "word " * (i % 30) + "\n" for i in range(400)), encoding="utf-8")
    sizes: list[tuple[int, int]] = []
    real = engine._Collector._batch_hits

    def spy(self, fields):  # type: ignore[no-untyped-def]
        sizes.append((len(fields), sum(len(f.text) for f in fields)))
        return real(self, fields)

    monkeypatch.setattr(engine._Collector, "_batch_hits", spy)
    monkeypatch.setattr(engine, "BATCH_FIELDS", 50)
    monkeypatch.setattr(engine, "BATCH_CHARS", 2000)
    scan_artifact(Artifact(path, "long.txt", "text"), _settings())
    longest = max(len(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert sum(n for n, _ in sizes) == 401  # the path field and every line, each checked once
    assert all(n <= 50 for n, _ in sizes)
    assert all(chars < 2000 + longest for _, chars in sizes)
    assert any(chars >= 2000 for _, chars in sizes[:-1]), "the character bound ended a batch"


def test_rules_that_raise_make_their_artifact_unscannable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule fails on a field of the last batch (checked when the artifact ends): the artifact
    is reported unscannable without its content, and the next artifact is scanned as usual."""
    from speechgate.detectors import names

    real = names.find_in_text

    def failing(text: str) -> list[tuple[int, int, float]]:
        if "Kaboom" in text:
            raise RuntimeError(text)
        return real(text)

    monkeypatch.setattr(names, "find_in_text", failing)
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_text("hello there\nKaboom said Maria Lopez\n", encoding="utf-8")
    good.write_text("my name is Maria Lopez\n", encoding="utf-8")
    failed = scan_artifact(Artifact(bad, "bad.txt", "text"), _settings())
    reported = [(f.rule, f.message) for f in failed.findings]
    assert reported == [("unscannable", "Could not scan: reader error (RuntimeError)")]
    assert "Kaboom" not in repr(failed)
    scanned = scan_artifact(Artifact(good, "good.txt", "text"), _settings())
    assert any(f.rule == "person-name-in-text" for f in scanned.findings)
