"""Baselines: create/update, byte-identical re-runs, check --baseline, stale entries, key and schema errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speechgate import baseline, privacy
from speechgate.cli import main
from speechgate.schemas import validator_for

EMAIL = "rowan.quill@example.org"
OTHER_EMAIL = "ines.marlow@example.net"
FAST = ["--jobs", "1", "--no-cache"]


def _vtt(*cues: str) -> str:
    blocks = [f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{text}\n" for i, text in enumerate(cues, 1)]
    return "WEBVTT\n\n" + "\n".join(blocks)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "call.vtt").write_text(
        _vtt(f"Write to {EMAIL} please.", "Nothing here.", "Call me on +44 20 7946 0958 tonight."), encoding="utf-8")
    (tmp_path / "data" / "clean.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nMild weather.\n",
                                                 encoding="utf-8")
    return tmp_path


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", *FAST, "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_create_is_valid_value_free_sorted_and_stable(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "create", "base.json", "data"]) == 0
    assert "written" in capsys.readouterr().out
    text = Path("base.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert list(validator_for("baseline").iter_errors(doc)) == []
    assert doc["key_id"] == privacy.key_id()
    assert {e["rule"] for e in doc["entries"]} >= {"pii-email"}
    assert all(set(e) == {"fingerprint", "rule", "path", "category"} for e in doc["entries"])
    keys = [(e["path"], e["rule"], e["fingerprint"]) for e in doc["entries"]]
    assert keys == sorted(keys)
    assert EMAIL not in text and "7946" not in text and "quill" not in text

    assert main(["baseline", "create", "base.json", "data"]) == 0
    assert Path("base.json").read_text(encoding="utf-8") == text
    assert main(["baseline", "update", "base.json", "data"]) == 0
    assert "unchanged" in capsys.readouterr().out.splitlines()[-1]
    assert Path("base.json").read_text(encoding="utf-8") == text


def test_check_with_baseline_passes_and_lists_suppressed(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, before = _check(capsys, "data")
    assert code == 1
    main(["baseline", "create", "base.json", "data"])
    capsys.readouterr()
    code, after = _check(capsys, "--baseline", "base.json", "data")
    assert code == 0
    assert after["summary"]["findings"] == 0
    assert after["summary"]["suppressed"] == before["summary"]["findings"]
    suppressed = [f for a in after["artifacts"] for f in a.get("suppressed", [])]
    assert suppressed and all(f["suppressed_by"] == "baseline" for f in suppressed)
    assert EMAIL not in json.dumps(after)
    assert "stale_baseline" not in after


def test_moves_reformatting_and_reordering_keep_entries(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["baseline", "create", "base.json", "data"])
    capsys.readouterr()
    # cues reordered, new lines before, whitespace and case changed: same values, new locations
    Path("data/call.vtt").write_text(
        _vtt("Intro.", "More intro.", "Call me on +44 20 7946 0958   tonight.", "Nothing here.",
             f"Write to   {EMAIL.upper()} please."), encoding="utf-8")
    code, doc = _check(capsys, "--baseline", "base.json", "data")
    assert code == 0, doc
    assert doc["summary"]["findings"] == 0
    assert "stale_baseline" not in doc


def test_new_finding_fails_alone_and_fixed_one_is_stale(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["baseline", "create", "base.json", "data"])
    capsys.readouterr()
    Path("data/call.vtt").write_text(_vtt(f"Write to {OTHER_EMAIL} please.", "Nothing here.",
                                          "Call me on +44 20 7946 0958 tonight."), encoding="utf-8")
    code, doc = _check(capsys, "--baseline", "base.json", "data")
    assert code == 1
    active = [f for a in doc["artifacts"] for f in a["findings"]]
    assert [(f["rule"], f["preview"]) for f in active] == [("pii-email", privacy.mask(OTHER_EMAIL))]
    assert [(e["rule"], e["path"]) for e in doc["stale_baseline"]] == [("pii-email", "call.vtt")]

    code = main(["check", *FAST, "--baseline", "base.json", "data"])
    out = capsys.readouterr().out
    assert "stale baseline entry: pii-email in call.vtt" in out
    assert OTHER_EMAIL not in out


def test_unscanned_paths_are_not_stale(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["baseline", "create", "base.json", "."])
    capsys.readouterr()
    code, doc = _check(capsys, "--baseline", "base.json", "data/clean.srt")
    assert code == 0
    assert "stale_baseline" not in doc


def test_update_replaces_scanned_paths_and_keeps_the_rest(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("data/other.vtt").write_text(_vtt(f"Mail {OTHER_EMAIL}."), encoding="utf-8")
    main(["baseline", "create", "base.json", "."])
    full = baseline.load(Path("base.json"))
    assert {e.path for e in full.entries} == {"data/call.vtt", "data/other.vtt"}
    Path("data/call.vtt").write_text(_vtt("All removed."), encoding="utf-8")
    assert main(["baseline", "update", "base.json", "data/call.vtt"]) == 0
    assert {e.path for e in baseline.load(Path("base.json")).entries} == {"data/other.vtt"}
    Path("data/other.vtt").unlink()
    assert main(["baseline", "update", "base.json", "data/clean.srt"]) == 0
    assert baseline.load(Path("base.json")).entries == frozenset()  # deleted file's entries dropped


def test_baseline_file_itself_is_not_scanned(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["baseline", "create", "base.json", "."])
    capsys.readouterr()
    code, doc = _check(capsys, "--baseline", "base.json", ".")
    assert code == 0
    assert "base.json" not in {a["path"] for a in doc["artifacts"]}
    # the default name is skipped even when the run does not use it (the pre-commit hook excludes it too)
    main(["baseline", "create", baseline.DEFAULT_NAME, "."])
    capsys.readouterr()
    code, doc = _check(capsys, ".")
    assert baseline.DEFAULT_NAME not in {a["path"] for a in doc["artifacts"]}
    assert "base.json" in {a["path"] for a in doc["artifacts"]}


def test_key_mismatch_is_a_clear_usage_error(tree: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    main(["baseline", "create", "base.json", "data"])
    made_with = privacy.key_id()
    capsys.readouterr()
    monkeypatch.setenv("SPEECHGATE_FINGERPRINT_KEY", "another-key")
    privacy.fingerprint_key.cache_clear()
    try:
        assert main(["check", *FAST, "--baseline", "base.json", "data"]) == 2
        err = capsys.readouterr().err
        assert made_with in err and privacy.key_id() in err and "SPEECHGATE_FINGERPRINT_KEY" in err
        assert main(["baseline", "update", "base.json", "data"]) == 2
    finally:
        monkeypatch.setenv("SPEECHGATE_FINGERPRINT_KEY", "test-key")
        privacy.fingerprint_key.cache_clear()


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON"),
    ('{"schema_version": 1, "tool": "speechgate", "entries": []}', "key_id"),
    ('{"schema_version": 1, "tool": "speechgate", "key_id": "KEY", "entries": []}', "/key_id"),
    ('{"schema_version": 2, "tool": "speechgate", "key_id": "0123456789ab", "entries": []}', "/schema_version"),
    ('{"schema_version": 1, "tool": "speechgate", "key_id": "0123456789ab", "entries": '
     '[{"fingerprint": "00000000000000000000000000000000", "rule": "r", "path": "p", "category": "email", '
     '"value": "x"}]}', "/entries/0"),
])
def test_invalid_baseline_file_is_exit_2_naming_the_problem(
    tree: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    Path("bad.json").write_text(content, encoding="utf-8")
    assert main(["check", *FAST, "--baseline", "bad.json", "data"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and expected in err


def test_missing_baseline_file_is_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *FAST, "--baseline", "nope.json", "data"]) == 2
    assert "cannot read baseline" in capsys.readouterr().err


def test_unscannable_findings_are_not_baselined(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("data/blob.bin").write_bytes(bytes(range(256)) * 4)
    assert main(["baseline", "create", "base.json", "data"]) == 0
    out = capsys.readouterr().out
    assert "not baselined: blob.bin" in out and ".speechgateignore" in out
    assert "unscannable" not in {e.rule for e in baseline.load(Path("base.json")).entries}
    code, doc = _check(capsys, "--baseline", "base.json", "data")
    assert code == 1
    assert [a["path"] for a in doc["artifacts"] if a["verdict"] == "fail"] == ["blob.bin"]
