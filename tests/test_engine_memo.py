"""Per-process memos of the engine's hot path: shared scopes, hits on keys, speaker labels and
ids, key roles."""

from __future__ import annotations

import json
from pathlib import Path

from speechgate import engine
from speechgate.detectors import names
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


def _rttm(path: Path, labels: list[str], recording: str) -> Artifact:
    path.write_text("".join(f"SPEAKER {recording} 1 {i}.00 1.00 <NA> <NA> {label} <NA> <NA>\n"
                            for i, label in enumerate(labels)), encoding="utf-8")
    return Artifact(path, path.name, "rttm")


def test_hits_found_in_one_artifact_serve_the_next_with_its_own_locations(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The memo outlives an artifact: a corpus repeats its labels and keys file after file. The
    next artifact's findings must be those of a scan without any memo: its own lines, counts
    and values."""
    engine._compile(_settings()).repeated_hits.clear()
    first = _rttm(tmp_path / "a.rttm", ["Maria_Lopez", "spk_0", "John_Carter"], "rec_a")
    second = _rttm(tmp_path / "b.rttm", ["spk_0", "spk_0", "Maria_Lopez", "Ana_Silva", "John_Carter"] * 2, "rec_b")
    rows = [{"speaker": "Maria_Lopez", "email": f"user{i}@example.org", "text": "hi"} for i in range(3)]
    manifest = tmp_path / "m.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    scan_artifact(first, _settings())
    scan_artifact(Artifact(manifest, "m.jsonl", "jsonl"), _settings())
    calls = []
    real_find = names.find_in_label  # the label rule's detector looks each label up here
    monkeypatch.setattr(names, "find_in_label", lambda label, role: calls.append(label) or real_find(label, role))
    memoised = scan_artifact(second, _settings())
    assert "Ana_Silva" in calls and "Maria_Lopez" not in calls and "John_Carter" not in calls, "seen labels: memo"
    assert calls.count("Ana_Silva") == 1, "a label new to the memo is checked once, though its batch repeats it"
    monkeypatch.setattr(engine, "_REPEATED", frozenset())
    every_row = scan_artifact(second, _settings())
    assert memoised.findings == every_row.findings
    maria = [f for f in memoised.findings if f.rule == "person-name-in-label" and f.preview.startswith("M")]
    assert maria and maria[0].location["line"] == 3 and maria[0].occurrences == 2


def test_the_memo_is_kept_per_kind_and_bounded(tmp_path: Path) -> None:
    compiled = engine._compile(_settings())
    compiled.repeated_hits.clear()
    scan_artifact(_rttm(tmp_path / "a.rttm", [f"spk_{i}" for i in range(5000)], "rec"), _settings())
    assert set(compiled.repeated_hits) == {"rttm"}
    assert 0 < len(compiled.repeated_hits["rttm"]) <= 4096
