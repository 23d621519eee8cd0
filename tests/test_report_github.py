"""GitHub workflow-command annotations: levels, locations and escaping."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from speechgate.cli import main
from speechgate.model import ArtifactResult, Category, Finding, Report, Severity
from speechgate.report import github

from .conftest import EXAMPLES
from .golden.reports import SHA, failing_report, passing_report


def test_escaping_follows_workflow_command_rules() -> None:
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"


def _finding(message: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding("pii-email", Category.EMAIL, severity, 0.9, {"line": 2, "column": 5}, message,
                   "x***", "0" * 32)


def test_content_cannot_inject_a_command() -> None:
    hostile = ArtifactResult("evil,line=1::\n::error file=x::pwn%.srt", "srt", SHA, 0.9, 0.25, "fail",
                             (_finding("msg\n::warning::injected"),))
    out = github.render(Report("0", "public", (hostile,)))
    lines = out.splitlines()
    assert len(lines) == 2  # one annotation + summary: no extra command lines
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "file=evil%2Cline=1%3A%3A%0A%3A%3Aerror file=x%3A%3Apwn%25.srt," in lines[0]
    assert lines[0].endswith("::msg%0A::warning::injected [high, confidence 0.90]; preview x***")


def test_levels() -> None:
    lines = github.render(failing_report()).splitlines()
    by_file = [(line.split(" ", 1)[0], line) for line in lines]
    assert sum(level == "::error" for level, _ in by_file) == 5  # 4 findings in failing files + summary
    warnings = [line for level, line in by_file if level == "::warning"]
    assert len(warnings) == 2 and all("release/audio/" in w for w in warnings)
    high_in_passing = ArtifactResult("a.txt", "text", SHA, 0.76, 0.9, "pass", (_finding("m"),))
    assert github.level(high_in_passing, high_in_passing.findings[0]) == "error"
    low = _finding("m", Severity.LOW)
    assert github.level(high_in_passing, low) == "warning"
    assert github.level(replace(high_in_passing, verdict="fail"), low) == "error"


def test_locations_and_file_path() -> None:
    lines = github.render(failing_report()).splitlines()
    email = next(line for line in lines if "pii-email" in line)
    assert email.startswith("::error file=release/calls/call 1%2Ca%3Ab%25|c.srt,line=12,col=7,title=")
    tag = next(line for line in lines if "tag-person" in line)
    assert ",line=" not in tag and "at tag ID3:TPE1" in tag
    phone = next(line for line in lines if "pii-phone" in line)
    assert ",line=3,title=" in phone and "at pointer /text" in phone


def test_summary_line() -> None:
    assert github.render(failing_report()).splitlines()[-1].startswith("::error title=speechgate failed::")
    assert github.render(passing_report()).splitlines()[-1].startswith("::notice title=speechgate passed::")


def test_suppressed_findings_are_not_annotated() -> None:
    assert "pii-card" not in github.render(failing_report())


def test_chosen_automatically_on_github_actions(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    target = EXAMPLES / "release" / "transcripts"
    assert main(["check", str(target), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=")
    # the annotation path is the file as opened, which GitHub resolves from the workspace
    first = out.splitlines()[0].split("file=", 1)[1].split(",", 1)[0]
    assert Path(first.replace("%2C", ",").replace("%3A", ":").replace("%25", "%")).is_file()
    assert main(["check", str(target), "--no-cache", "--format", "text"]) == 1
    assert not capsys.readouterr().out.startswith("::")
