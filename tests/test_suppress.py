"""Suppressions beside the artifacts: .speechgateignore files and config allow entries."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from speechgate.cli import main

EMAIL = "rowan.quill@example.org"
RISKY = f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWrite to {EMAIL} please.\n"
FAST = ["--jobs", "1", "--no-cache"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with risky transcripts in two folders."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    for folder in ("release", "scratch", "release/raw"):
        Path(folder).mkdir(exist_ok=True)
    for name in ("release/call.vtt", "scratch/draft.vtt", "release/raw/take1.vtt"):
        Path(name).write_text(RISKY, encoding="utf-8")
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", *FAST, "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _scanned(doc: dict) -> list[str]:
    return [a["path"] for a in doc["artifacts"]]


def test_ignore_file_at_repo_root_applies_to_subfolder_walks_and_named_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".speechgateignore").write_text("# drafts are never released\nscratch/\nrelease/raw/\n", encoding="utf-8")
    code, doc = _json(capsys, ".")
    assert (code, _scanned(doc)) == (1, ["release/call.vtt"])
    code, doc = _json(capsys, "release")  # walking a subfolder still honours the root's file
    assert _scanned(doc) == ["call.vtt"]
    # pre-commit passes file names: ignored ones are skipped, so `check .` and the hook agree
    code, doc = _json(capsys, "scratch/draft.vtt", "release/raw/take1.vtt")
    assert (code, _scanned(doc)) == (0, [])
    code, doc = _json(capsys, "release/call.vtt", "scratch/draft.vtt")
    assert (code, _scanned(doc)) == (1, ["release/call.vtt"])


def test_ignore_file_in_the_scanned_folder_and_beside_the_config(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("release/.speechgateignore").write_text("raw/\n", encoding="utf-8")
    code, doc = _json(capsys, "release")
    assert _scanned(doc) == ["call.vtt"]
    code, doc = _json(capsys, "release/raw/take1.vtt")  # a named file: ignore files up to the repo root
    assert _scanned(doc) == []
    code, doc = _json(capsys, ".")  # a walk: nested ignore files, as in git
    assert _scanned(doc) == ["release/call.vtt", "scratch/draft.vtt"]

    conf_dir = Path("conf")
    conf_dir.mkdir()
    (conf_dir / ".speechgate.yaml").write_text("default_tier: public\n", encoding="utf-8")
    (conf_dir / ".speechgateignore").write_text("*.vtt\n", encoding="utf-8")
    code, doc = _json(capsys, "--config", "conf/.speechgate.yaml", ".")
    assert (code, _scanned(doc)) == (1, ["release/call.vtt", "scratch/draft.vtt"])  # config file not scanned
    code, doc = _json(capsys, "--config", "conf/.speechgate.yaml", "conf")
    assert _scanned(doc) == []
    (conf_dir / "x.vtt").write_text(RISKY, encoding="utf-8")
    code, doc = _json(capsys, "--config", "conf/.speechgate.yaml", "conf/x.vtt")
    assert (code, _scanned(doc)) == (0, [])


def _config(*entries: str) -> None:
    Path(".speechgate.yaml").write_text("allow:\n" + "".join(entries), encoding="utf-8")


def test_allow_entries_by_rule_path_and_value(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config(
        "  - {rule: pii-email, path: 'scratch/**', reason: drafts are reviewed by hand}\n",
        "  - {value: 'ROWAN\\.QUILL@example\\.org', path: release/raw/*, reason: consented test speaker}\n",
        "  - {rule: pii-iban, reason: never used}\n",
    )
    code, doc = _json(capsys, ".")
    assert code == 1
    by_path = {a["path"]: a for a in doc["artifacts"]}
    assert by_path["release/call.vtt"]["verdict"] == "fail"
    for path, label in (("scratch/draft.vtt", "allow/0: drafts are reviewed by hand"),
                        ("release/raw/take1.vtt", "allow/1: consented test speaker")):
        assert by_path[path]["verdict"] == "pass" and by_path[path]["findings"] == []
        [sup] = by_path[path]["suppressed"]
        assert sup["suppressed_by"] == label and sup["rule"] == "pii-email"
        assert sup["preview"] == "r***l@e***e.org" and "value" not in sup
    assert doc["summary"]["suppressed"] == 2
    assert EMAIL not in json.dumps(doc)
    assert "unused_allow" not in doc  # only when asked

    code = main(["check", *FAST, "."])
    out = capsys.readouterr().out
    assert "1 suppressed (1 by allow/0)" in out and "2 suppressed" in out
    assert EMAIL not in out


def test_report_unused_lists_entries_that_matched_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config("  - {rule: pii-email, path: 'scratch/**', reason: drafts}\n",
            "  - {rule: pii-iban, reason: never used}\n")
    _, doc = _json(capsys, "--report-unused", ".")
    assert doc["unused_allow"] == ["allow/1: never used"]
    assert main(["check", *FAST, "--report-unused", "."]) == 1
    assert "unused allow entry: allow/1: never used" in capsys.readouterr().out
    assert main(["check", *FAST, "."]) == 1
    assert "unused allow entry" not in capsys.readouterr().out


def test_expired_allow_entry_is_an_error_naming_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    _config(f"  - {{rule: pii-email, reason: until review, expires: '{tomorrow}'}}\n")
    assert main(["check", *FAST, "."]) == 0
    capsys.readouterr()
    _config(f"  - {{rule: pii-email, reason: until review, expires: '{tomorrow}'}}\n",
            f"  - {{rule: pii-phone, reason: old waiver, expires: '{yesterday}'}}\n")
    assert main(["check", *FAST, "."]) == 2
    err = capsys.readouterr().err
    assert "/allow/1" in err and "expired" in err and yesterday in err


def test_allow_entry_needs_a_reason(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config("  - {rule: pii-email}\n")
    assert main(["check", *FAST, "."]) == 2
    assert "reason" in capsys.readouterr().err


def test_baseline_and_allow_together_count_as_suppressed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _config("  - {rule: pii-email, path: 'scratch/**', reason: drafts}\n")
    assert main(["baseline", "create", ".speechgate-baseline.json"]) == 0
    capsys.readouterr()
    code, doc = _json(capsys, "--baseline", ".speechgate-baseline.json", ".")
    assert code == 0
    labels = sorted(f["suppressed_by"] for a in doc["artifacts"] for f in a.get("suppressed", []))
    assert labels == ["allow/0: drafts", "baseline", "baseline"]
    assert doc["summary"]["suppressed"] == 3


def test_explain_says_how_to_fix_and_how_to_accept_for_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from speechgate.cli import _load_rules

    rules = _load_rules(None)
    assert rules
    for rule in rules:
        assert rule.data.get("remediation"), f"{rule.id} has no remediation text"
        assert main(["explain", rule.id]) == 0
        out = capsys.readouterr().out
        assert "Why it matters:" in out and "How to fix:" in out, rule.id
        assert "baseline create" in out and f"rule: {rule.id}" in out and "<Role." not in out
    assert main(["explain", "unscannable"]) == 0
    out = capsys.readouterr().out
    assert "How to fix:" in out and ".speechgateignore" in out
