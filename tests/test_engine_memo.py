"""Per-process memos of the engine's hot path: shared scopes, KEY-field hits, key roles."""

from __future__ import annotations

import json
from pathlib import Path

from speechgate import engine
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.model import Artifact, Field, Role
from speechgate.readers.roles import role_for_name
from speechgate.rules import rule_files


def _settings() -> ScanSettings:
    return ScanSettings(tuple(str(p) for p in rule_files()))


def test_kinds_with_the_same_rules_share_one_scope() -> None:
    compiled = engine._compile(_settings())
    f = Field("hello there", Role.TEXT, {"line": 1})
    for kind in ("srt", "vtt", "text", "jsonl", "wav"):
        compiled.applicable(kind, f)
    scopes = {kind: compiled.by_scope[(kind, Role.TEXT)] for kind in ("srt", "vtt", "text", "jsonl", "wav")}
    for kind, scope in scopes.items():
        expected = [r for r in compiled.rules if r.applies(kind, f)]
        assert [r.id for r in scope.rules] == [r.id for r in expected], kind
    for a in scopes:
        for b in scopes:
            same_rules = [r.id for r in scopes[a].rules] == [r.id for r in scopes[b].rules]
            assert (scopes[a] is scopes[b]) == same_rules, (a, b)


def test_repeated_keys_count_like_distinct_rows(tmp_path: Path) -> None:
    """KEY hits are memoised per artifact; occurrences and first locations must not change."""
    rows = [{"speaker_id": f"spk_{i:04d}", "email": f"user{i}@example.org", "age": 30 + i} for i in range(40)]
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    scan = scan_artifact(Artifact(path, "m.jsonl", "jsonl"), _settings())
    by_rule: dict[str, list[int]] = {}
    for finding in scan.findings:
        by_rule.setdefault(finding.rule, []).append(finding.occurrences)
    assert sum(by_rule.get("pii-email", [])) == 40  # one per distinct address, from the values
    column_rules = [f for f in scan.findings if f.location.get("pointer") == "/age"]
    assert column_rules, "the age column is reported"
    assert all(f.occurrences == 40 and f.location.get("line") == 1 for f in column_rules)


def test_role_memo_gives_the_same_role_every_time() -> None:
    names = ["speaker", "Speaker_ID", "text", "audio_filepath", "utt_id", "age", "", None]
    first = [role_for_name(n) for n in names]
    assert first == [Role.SPEAKER, Role.SPEAKER, Role.TEXT, Role.PATH, Role.IDENTIFIER,
                     Role.COLUMN, Role.COLUMN, Role.COLUMN]
    assert [role_for_name(n) for n in names] == first


def test_repeated_speakers_and_ids_count_like_distinct_rows(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SPEAKER and IDENTIFIER hits are memoised per artifact too: a diarization file repeats its
    few labels on every line. The findings (values, occurrences, first locations) must be those
    of a scan that checks every row."""
    lines = [f"SPEAKER rec_{i % 2} 1 {i}.00 1.00 <NA> <NA> {name} <NA> <NA>"
             for i, name in enumerate(["Maria_Lopez", "spk_0", "Maria_Lopez", "John_Carter", "spk_0"] * 6)]
    path = tmp_path / "d.rttm"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    artifact = Artifact(path, "d.rttm", "rttm")
    memoised = scan_artifact(artifact, _settings())
    monkeypatch.setattr(engine, "_REPEATED", frozenset({Role.KEY}))
    every_row = scan_artifact(artifact, _settings())
    assert memoised.findings == every_row.findings
    assert any(f.occurrences >= 12 for f in memoised.findings), "a repeated name is counted on every row"
