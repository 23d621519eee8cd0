"""Exit codes: 0 passed, 1 gate failed, 2 usage / configuration / rule error - never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.cli import main

from .conftest import EXAMPLES

CLEAN = EXAMPLES / "release" / "transcripts" / "session01_clean.srt"
RISKY = EXAMPLES / "release" / "transcripts" / "call_017.vtt"


def _code(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_pass_is_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert _code(["check", str(CLEAN), "--no-cache"], capsys)[0] == 0


def test_fail_is_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert _code(["check", str(RISKY), "--no-cache"], capsys)[0] == 1


def test_tier_changes_the_outcome(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rttm = tmp_path / "rec1.rttm"  # one invented non-pseudonymous label: risk 0.35
    rttm.write_text("SPEAKER rec1 1 0.000 3.100 <NA> <NA> wombat <NA> <NA>\n")
    assert _code(["check", str(rttm), "--tier", "public", "--no-cache"], capsys)[0] == 1
    assert _code(["check", str(rttm), "--tier", "internal", "--no-cache"], capsys)[0] == 0


@pytest.mark.parametrize("argv", [
    [],
    ["check", "--tier", "galaxy"],
    ["check", "--format", "pdf"],
    ["check", "no/such/path"],
    ["frobnicate"],
    ["explain", "no-such-rule"],
])
def test_usage_errors_are_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _code(argv, capsys)[0] == 2


def test_bad_config_is_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("threshold: 0.3\n")
    code, err = _code(["check", str(CLEAN), "--config", str(config), "--no-cache"], capsys)
    assert code == 2 and "/threshold: unknown key" in err
    code, err = _code(["check", str(CLEAN), "--config", str(tmp_path / "missing.yaml")], capsys)
    assert code == 2 and "cannot read config" in err


def test_bad_rule_file_is_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine.yaml").write_text("rules:\n  - id: Bad Id\n")
    config = tmp_path / "c.yaml"
    config.write_text("rules: {extra: [mine.yaml]}\n")
    code, err = _code(["check", str(CLEAN), "--config", str(config), "--no-cache"], capsys)
    assert code == 2 and "mine.yaml: /rules/0" in err
    config.write_text("rules: {extra: [absent.yaml]}\n")
    code, err = _code(["check", str(CLEAN), "--config", str(config), "--no-cache"], capsys)
    assert code == 2 and "absent.yaml: cannot read rule file" in err


def test_unscannable_file_fails_but_does_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "broken.json").write_text("{not json")
    code, _ = _code(["check", str(tmp_path), "--no-cache"], capsys)
    assert code == 1


def test_help_and_version_are_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert main(["check", "--help"]) == 0
    capsys.readouterr()
