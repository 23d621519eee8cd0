"""Terminal report: colour only when asked, summary line last, long lists truncated."""

from __future__ import annotations

from speechgate.model import ArtifactResult, Category, Finding, Report, Severity
from speechgate.report import text

from .golden.reports import SHA, failing_report


def test_colour_only_when_asked() -> None:
    plain = text.render(failing_report())
    assert "\033[" not in plain
    coloured = text.render(failing_report(), colour=True)
    assert "\033[31m" in coloured
    assert coloured.replace("\033[31m", "").replace("\033[32m", "").replace("\033[2m", "") \
        .replace("\033[1m", "").replace("\033[0m", "") == plain


def test_clean_artifacts_are_not_listed() -> None:
    out = text.render(failing_report())
    assert "clean/notes.txt" not in out
    assert "6 artifacts scanned, 3 failed" in out


def test_top_findings_are_truncated() -> None:
    findings = tuple(
        Finding("pii-email", Category.EMAIL, Severity.HIGH, 0.9, {"line": i + 1, "column": 1}, "m", "x***",
                f"{i:032x}") for i in range(text.TOP_FINDINGS + 3))
    report = Report("0", "public", (ArtifactResult("a.txt", "text", SHA, 0.99, 0.25, "fail", findings),))
    out = text.render(report)
    assert "… and 3 more findings" in out
    assert f"{text.TOP_FINDINGS + 1}:1 " not in out


def test_format_location() -> None:
    assert text.format_location({"line": 12, "column": 7}) == "12:7"
    assert text.format_location({"line": 3, "pointer": "/speaker"}) == "line 3 /speaker"
    assert text.format_location({"tag": "ID3:TPE1"}) == "ID3:TPE1"
    assert text.format_location({}) == "-"
