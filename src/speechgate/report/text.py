"""The terminal report: grouped by artifact, risk against threshold, top findings with masked
previews and locators, a one-line verdict and a hint. Colour only when asked (a tty).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from speechgate.model import ArtifactResult, Report, Severity
from speechgate.report.in_parallel import blocks
from speechgate.report.rendering import in_range, rendered

if TYPE_CHECKING:
    from speechgate.report.ahead import RenderAhead

TOP_FINDINGS = 10
_COLOURS = {"fail": "\033[31m", "pass": "\033[32m", "dim": "\033[2m", "bold": "\033[1m"}
_RESET = "\033[0m"
_SEVERITY = {s: s.value for s in Severity}  # an enum's .value is a property: slow per finding



def write(report: Report, out: TextIO, colour: bool = False, jobs: int = 1, ahead: RenderAhead | None = None) -> None:
    """Write the report to `out` as the artifacts are read, a range at a time; `jobs`
    processes may render the ranges of a long report, and `ahead` may hold ranges rendered
    while the run went on (the text is the same)."""
    render = ranges(report.artifacts, colour, report.show_values)
    for text in blocks(len(report.artifacts), render, jobs, ahead):
        out.write(text)
    out.writelines(line + "\n" for line in _ending(report, _styler(colour)))


def ranges(artifacts: Sequence[ArtifactResult], colour: bool, show_values: bool) -> Callable[[int, int], str]:
    """`render(start, stop)`: the text of artifacts[start:stop] (those with nothing to show skipped)."""
    c = _styler(colour)

    def render(start: int, stop: int) -> str:
        lines: list[str] = []
        for a in in_range(artifacts, start, stop):
            if a.verdict == "pass" and not a.findings and not a.suppressed:
                continue
            lines += _artifact(a, c, show_values)
        return "".join(line + "\n" for line in lines)

    return render


def _styler(colour: bool) -> Callable[[str, str], str]:
    def c(style: str, text: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    return c


def _ending(report: Report, c: Any) -> list[str]:
    tally = report.tally
    s = tally.summary()
    lines = [
        f"{s['artifacts']} artifacts scanned, {s['failed']} failed, {s['findings']} findings, "
        f"{s['suppressed']} suppressed, {s['unscannable']} unscannable (tier: {report.tier})"
    ]
    for entry in report.stale_baseline:
        lines.append(c("dim", f"stale baseline entry: {entry['rule']} in {entry['path']}"))
    if report.stale_baseline:
        lines.append(c("dim", "  (fixed since the baseline was made: `speechgate baseline update FILE` drops them)"))
    for unused in report.unused_allow:
        lines.append(c("dim", f"unused allow entry: {unused}"))
    if tally.passed:
        lines.append(c("pass", f"PASSED: nothing exceeds the {report.tier} tier's risk threshold."))
    else:
        lines.append(c("fail", f"FAILED: {s['failed']} artifact(s) are too risky for a {report.tier} release."))
        if tally.hint_rule is not None:
            lines.append(
                f"hint: `speechgate explain {tally.hint_rule}` says why and how to fix; accept reviewed findings "
                "with `speechgate baseline create .speechgate-baseline.json` (then `check --baseline "
                ".speechgate-baseline.json`) or an `allow` entry in .speechgate.yaml."
            )
        if tally.unscannable_failed:
            lines.append("hint: unscannable files were not checked: convert or remove them, or list files "
                         "that are not released in .speechgateignore.")
    return lines


def _artifact(a: ArtifactResult, c: Any, show_values: bool) -> list[str]:
    mark = c(a.verdict, a.verdict.upper())
    out = [c("bold", a.path) + f"  [{a.kind}]  risk {a.risk:.2f} / threshold {a.threshold:.2f}  {mark}"]
    for reason in a.reasons:
        if not reason.startswith("risk "):
            out.append(f"  ! {reason}")
    dim = _COLOURS["dim"] if c("dim", "") else ""  # speed: one test per artifact, not a call per finding
    end = _RESET if dim else ""
    for f in a.findings[:TOP_FINDINGS]:
        value = f" = {f.value!r}" if show_values and f.value is not None else ""
        preview = f" {f.preview!r}" if f.preview else ""
        out.append(
            f"  {format_location(f.location):<24} {_SEVERITY[f.severity]:<8} {f.rule:<30}{preview}{value}"
            f"  {dim}{f.message}{end}"
        )
    if len(a.findings) > TOP_FINDINGS:
        out.append(f"  … and {len(a.findings) - TOP_FINDINGS} more findings (use --format json for all)")
    if a.suppressed:
        by = Counter((f.suppressed_by or "").split(":", 1)[0] for f in a.suppressed)
        sources = ", ".join(f"{n} by {label}" for label, n in sorted(by.items()))
        out.append(c("dim", f"  {len(a.suppressed)} suppressed ({sources})"))
    for note in a.notes:
        out.append(c("dim", f"  note: {note}"))
    return out


def format_location(loc: Mapping[str, Any]) -> str:
    """`12:7`, `line 3 /speaker`, `ID3:TPE1`, `path`: the shortest readable locator."""
    if len(loc) == 2 and "line" in loc and "column" in loc:  # most findings in text: a quick answer
        return f"{loc['line']}:{loc['column']}"
    parts = []
    if "line" in loc:
        parts.append(f"{loc['line']}:{loc['column']}" if "column" in loc else f"line {loc['line']}")
    elif "column" in loc:
        parts.append(f"col {loc['column']}")
    for key in ("pointer", "tag", "field"):
        if key in loc:
            parts.append(str(loc[key]))
    return " ".join(parts) or "-"


render = rendered(write)
