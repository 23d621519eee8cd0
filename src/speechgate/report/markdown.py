"""Markdown summary for pull requests and `$GITHUB_STEP_SUMMARY`.

In: a Report. Out: GitHub-flavoured Markdown: a verdict heading, one table row per artifact
(risk against threshold, verdict), finding counts by category and the top findings with
masked previews and locators. Cell text is escaped so paths and messages cannot break a table.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import TextIO

from speechgate.model import ArtifactResult, Finding, Report, Severity
from speechgate.report.rendering import rendered
from speechgate.report.text import format_location

TOP_FINDINGS = 20
MAX_ARTIFACT_ROWS = 100
_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}



def write(report: Report, out: TextIO) -> None:
    """The summary, read in one pass over the artifacts that keeps only what is shown."""
    tally = report.tally
    rows, top = _shown(report.artifacts)
    lines = [_heading(report), "", _summary_line(report), ""]
    lines += _artifact_table(rows, len(report.artifacts))
    if tally.findings:
        lines += ["", "### Findings by category", "", "| Category | Findings |", "|---|---:|"]
        counts = tally.categories
        lines += [f"| {cat} | {n} |" for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines += ["", *_top_findings(top, tally.findings, report.show_values)]
    extras = [f"- stale baseline entry: {_code(e['rule'])} in {_code(e['path'])}" for e in report.stale_baseline]
    extras += [f"- unused allow entry: {_escape(e)}" for e in report.unused_allow]
    if extras:
        lines += ["", "### Housekeeping", "", *extras]
    if not tally.passed:
        lines += ["", "Run `speechgate explain <rule>` to see why a rule matters and how to fix it; accept "
                  "reviewed findings with an `allow` entry in `.speechgate.yaml`."]
    out.write("\n".join(lines) + "\n")


def _heading(report: Report) -> str:
    if report.tally.passed:
        return f"## ✅ speechgate: passed ({report.tier} tier)"
    return f"## ❌ speechgate: failed ({report.tier} tier)"


def _summary_line(report: Report) -> str:
    s = report.tally.summary()
    return (f"**{s['failed']}** of {s['artifacts']} artifacts too risky for the {report.tier} tier · "
            f"{s['findings']} findings · {s['suppressed']} suppressed · {s['unscannable']} unscannable")


def _shown(artifacts: Iterable[ArtifactResult]
           ) -> tuple[list[ArtifactResult], list[tuple[ArtifactResult, Finding]]]:
    """The table's rows (failing first, then passing with findings, then the rest; at most
    MAX_ARTIFACT_ROWS) and the TOP_FINDINGS most severe findings, in one pass."""
    groups: tuple[list[ArtifactResult], ...] = ([], [], [])
    top: list[tuple[tuple[int, float, int], ArtifactResult, Finding]] = []  # a max-heap by negated key
    seen = 0
    for a in artifacts:
        group = groups[0 if a.verdict == "fail" else 1 if (a.findings or a.suppressed) else 2]
        if len(group) < MAX_ARTIFACT_ROWS:
            group.append(a)
        for f in a.findings:
            key = (_RANK[f.severity], -f.confidence, seen)
            seen += 1
            if len(top) < TOP_FINDINGS:
                heapq.heappush(top, (_negated(key), a, f))
            elif _negated(key) > top[0][0]:
                heapq.heapreplace(top, (_negated(key), a, f))
    ranked = sorted(top, key=lambda t: _negated(t[0]))
    return [*groups[0], *groups[1], *groups[2]][:MAX_ARTIFACT_ROWS], [(a, f) for _, a, f in ranked]


def _negated(key: tuple[int, float, int]) -> tuple[int, float, int]:
    return (-key[0], -key[1], -key[2])


def _artifact_table(shown: list[ArtifactResult], total: int) -> list[str]:
    out = ["| Artifact | Kind | Risk | Threshold | Verdict |", "|---|---|---:|---:|---|"]
    for a in shown:
        out.append(f"| {_code(a.path)} | {_escape(a.kind)} | {a.risk:.2f} | {a.threshold:.2f} | {_verdict(a)} |")
    if total > len(shown):
        out.append(f"| … {total - len(shown)} more artifacts without findings | | | | pass |")
    return out


def _verdict(a: ArtifactResult) -> str:
    if a.verdict == "pass":
        return "✅ pass"
    extra = [r for r in a.reasons if not r.startswith("risk ")]
    return "❌ fail" + ("<br>" + "<br>".join(_escape(r) for r in extra) if extra else "")


def _top_findings(top: list[tuple[ArtifactResult, Finding]], total: int, show_values: bool) -> list[str]:
    title = "### Top findings" if total <= TOP_FINDINGS else f"### Top {TOP_FINDINGS} of {total} findings"
    header = "| Severity | Artifact | Location | Rule | Preview | Message |"
    rule = "|---|---|---|---|---|---|"
    if show_values:
        header, rule = header + " Value |", rule + "---|"
    out = [title, "", header, rule]
    for a, f in top:
        row = (f"| {f.severity.value} | {_code(a.path)} | {_code(format_location(f.location))} | "
               f"{_code(f.rule)} | {_code(f.preview) if f.preview else ''} | {_escape(f.message)} |")
        if show_values:
            row += f" {_code(f.value) if f.value is not None else ''} |"
        out.append(row)
    return out


def _code(text: str) -> str:
    """A table-safe code span: pipes escaped, newlines flattened, a fence longer than any backtick run."""
    text = text.replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escape(text: str) -> str:
    """Plain table-cell text with Markdown and HTML metacharacters escaped."""
    text = text.replace("\r", " ").replace("\n", " ")
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


render = rendered(write)
