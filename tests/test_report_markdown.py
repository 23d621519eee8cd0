"""Markdown summary: verdict heading, artifact table, category counts, safe table cells."""

from __future__ import annotations

from dataclasses import replace

from speechgate.model import ArtifactResult, Report
from speechgate.report import markdown

from .golden.reports import SHA, failing_report, passing_report


def test_headings() -> None:
    assert markdown.render(failing_report()).startswith("## ❌ speechgate: failed (public tier)\n")
    assert markdown.render(passing_report()).startswith("## ✅ speechgate: passed (internal tier)\n")


def test_failed_artifacts_come_first_and_tables_stay_rectangular() -> None:
    out = markdown.render(failing_report())
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert rows[0].startswith("| `calls/call 1,a:b%\\|c.srt` | srt | 0.97 | 0.25 | ❌ fail |")
    assert rows.index(next(r for r in rows if "blobs/data.bin" in r)) == 2
    for table in out.split("\n\n"):
        lines = [line for line in table.splitlines() if line.startswith("|")]
        if lines:
            counts = {line.replace("\\|", "").count("|") for line in lines}
            assert len(counts) == 1, table


def test_category_counts_and_top_findings() -> None:
    out = markdown.render(failing_report())
    assert "| speaker_id | 2 |" in out
    assert "| email | 1 |" in out
    top = out.split("### Top findings", 1)[1]
    assert top.index("`pii-email`") < top.index("`tag-person`") < top.index("`corpus-path-id`")
    assert "`j***e@e***e.com`" in top
    assert "jane.example@example.com" not in out


def test_value_column_only_with_show_values() -> None:
    report = failing_report()
    assert "| Value |" not in markdown.render(report)
    shown = markdown.render(replace(report, show_values=True))
    assert "| Value |" in shown and "`jane.example@example.com`" in shown


def test_escaping() -> None:
    assert markdown._escape("a|b*c_<x>\nnext") == "a\\|b\\*c\\_\\<x\\> next"
    assert markdown._code("a`b") == "``a`b``"
    assert markdown._code("`x`") == "`` `x` ``"


def test_long_runs_are_capped() -> None:
    clean = tuple(ArtifactResult(f"f{i:04}.txt", "text", SHA, 0.0, 0.25, "pass", ())
                  for i in range(markdown.MAX_ARTIFACT_ROWS + 5))
    out = markdown.render(Report("0", "public", clean))
    assert "… 5 more artifacts without findings" in out
    assert f"f{markdown.MAX_ARTIFACT_ROWS + 4:04}.txt" not in out
