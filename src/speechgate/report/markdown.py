"""Markdown summary for pull requests and `$GITHUB_STEP_SUMMARY`.

In: a Report. Out: GitHub-flavoured Markdown: a verdict heading, one table row per artifact
(risk against threshold, verdict), finding counts by category and the top findings with
masked previews and locators. Cell text is escaped so paths and messages cannot break a table.
"""

from __future__ import annotations

from collections import Counter

from speechgate.model import ArtifactResult, Finding, Report, Severity
from speechgate.report.text import format_location

TOP_FINDINGS = 20
MAX_ARTIFACT_ROWS = 100
_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


def render(report: Report) -> str:
    lines = [_heading(report), "", _summary_line(report), ""]
    lines += _artifact_table(report.artifacts)
    findings = [(a, f) for a in report.artifacts for f in a.findings]
    if findings:
        lines += ["", "### Findings by category", "", "| Category | Findings |", "|---|---:|"]
        counts = Counter(f.category.value for _, f in findings)
        lines += [f"| {cat} | {n} |" for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines += ["", *_top_findings(findings, report.show_values)]
    extras = [f"- stale baseline entry: {_code(e['rule'])} in {_code(e['path'])}" for e in report.stale_baseline]
    extras += [f"- unused allow entry: {_escape(e)}" for e in report.unused_allow]
    if extras:
        lines += ["", "### Housekeeping", "", *extras]
    if not report.passed:
        lines += ["", "Run `speechgate explain <rule>` to see why a rule matters and how to fix it; accept "
                  "reviewed findings with an `allow` entry in `.speechgate.yaml`."]
    return "\n".join(lines) + "\n"


def _heading(report: Report) -> str:
    if report.passed:
        return f"## ✅ speechgate: passed ({report.tier} tier)"
    return f"## ❌ speechgate: failed ({report.tier} tier)"


def _summary_line(report: Report) -> str:
    s = report.summary
    return (f"**{s['failed']}** of {s['artifacts']} artifacts too risky for the {report.tier} tier · "
            f"{s['findings']} findings · {s['suppressed']} suppressed · {s['unscannable']} unscannable")


def _artifact_table(artifacts: tuple[ArtifactResult, ...]) -> list[str]:
    ordered = ([a for a in artifacts if a.verdict == "fail"]
               + [a for a in artifacts if a.verdict == "pass" and (a.findings or a.suppressed)]
               + [a for a in artifacts if a.verdict == "pass" and not (a.findings or a.suppressed)])
    shown = ordered[:MAX_ARTIFACT_ROWS]
    out = ["| Artifact | Kind | Risk | Threshold | Verdict |", "|---|---|---:|---:|---|"]
    for a in shown:
        out.append(f"| {_code(a.path)} | {_escape(a.kind)} | {a.risk:.2f} | {a.threshold:.2f} | {_verdict(a)} |")
    if len(ordered) > len(shown):
        out.append(f"| … {len(ordered) - len(shown)} more artifacts without findings | | | | pass |")
    return out


def _verdict(a: ArtifactResult) -> str:
    if a.verdict == "pass":
        return "✅ pass"
    extra = [r for r in a.reasons if not r.startswith("risk ")]
    return "❌ fail" + ("<br>" + "<br>".join(_escape(r) for r in extra) if extra else "")


def _top_findings(findings: list[tuple[ArtifactResult, Finding]], show_values: bool) -> list[str]:
    ranked = sorted(enumerate(findings), key=lambda t: (_RANK[t[1][1].severity], -t[1][1].confidence, t[0]))
    top = [pair for _, pair in ranked[:TOP_FINDINGS]]
    title = "### Top findings" if len(findings) <= TOP_FINDINGS else (
        f"### Top {TOP_FINDINGS} of {len(findings)} findings")
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
