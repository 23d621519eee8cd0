"""The terminal report: grouped by artifact, risk against threshold, top findings with masked
previews and locators, a one-line verdict and a hint. Colour only when asked (a tty).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from speechgate.model import ArtifactResult, Report
from speechgate.report import text_body
from speechgate.report.in_parallel import blocks
from speechgate.report.rendering import in_range, rendered
from speechgate.report.text_body import COLOURS, RESET, TOP_FINDINGS, format_location

if TYPE_CHECKING:
    from speechgate.report.ahead import RenderAhead
    from speechgate.results import Header

__all__ = ["TOP_FINDINGS", "format_location", "ranges", "render", "write"]


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
    with_lines = getattr(artifacts, "iter_lines", None)
    if with_lines is not None and not colour and not show_values:
        return _from_lines(artifacts, with_lines)

    def render(start: int, stop: int) -> str:
        lines: list[str] = []
        for a in in_range(artifacts, start, stop):
            if a.verdict == "pass" and not a.findings and not a.suppressed:
                continue
            lines += _artifact(a, c, show_values)
        return "".join(line + "\n" for line in lines)

    return render


def _from_lines(artifacts: Sequence[ArtifactResult], with_lines: Callable[[int, int], Any]
                ) -> Callable[[int, int], str]:
    """`render` over a result store whose records keep each scan's plain lines (text_body.plain):
    only the headings are laid out here, and an artifact without them is decoded as usual."""

    def render(start: int, stop: int) -> str:
        parts: list[str] = []
        for index, header, body in with_lines(start, stop):
            if body is None or (not body and header.verdict != "pass"):
                a = artifacts[index]
                if a.verdict != "pass" or a.findings or a.suppressed:
                    parts += (line + "\n" for line in _artifact(a, text_body.plain_styler, False))
            elif body:
                parts += (line + "\n" for line in _heading(header, text_body.plain_styler))
                parts.append(body)
        return "".join(parts)

    return render


def _styler(colour: bool) -> Callable[[str, str], str]:
    def c(style: str, text: str) -> str:
        return f"{COLOURS[style]}{text}{RESET}" if colour else text

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
    return _heading(a, c) + text_body.lines(a.findings, a.suppressed, a.notes, c, show_values)


def _heading(a: ArtifactResult | Header, c: Any) -> list[str]:
    """An artifact's heading: path, kind, risk against threshold and verdict, then the reasons
    beyond the risk (from its result, or from the result store's header of it)."""
    mark = c(a.verdict, a.verdict.upper())
    out = [c("bold", a.path) + f"  [{a.kind}]  risk {a.risk:.2f} / threshold {a.threshold:.2f}  {mark}"]
    out += (f"  ! {reason}" for reason in a.reasons if not reason.startswith("risk "))
    return out


render = rendered(write)
