"""The lines under an artifact's heading in the terminal report: its top findings with masked
previews and locators, how many more, what was suppressed, and the reader's notes.

In: an artifact's active and suppressed findings (report order) and notes, a styler and
whether values are shown. Out: the lines (`lines`), or, for a scan being packed, the same
lines without colour or values as one text (`plain`).

Why apart from the heading (report/text.py): these lines depend on the findings alone, not
on the tier, the threshold or the verdict, so a scan's plain text is rendered once where it
is packed and kept with it (packed.PackedScan.text, and the cache); a warm re-run then writes
each cached artifact's lines as they are instead of decoding and laying out every finding
again, which was about a quarter of such a run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from speechgate.model import Finding, Severity

TOP_FINDINGS = 10
COLOURS = {"fail": "\033[31m", "pass": "\033[32m", "dim": "\033[2m", "bold": "\033[1m"}
RESET = "\033[0m"
_SEVERITY = {s: s.value for s in Severity}  # an enum's .value is a property: slow per finding

Styler = Callable[[str, str], str]


def plain_styler(style: str, text: str) -> str:
    return text


def lines(findings: Sequence[Finding], suppressed: Sequence[Finding], notes: Sequence[str], c: Styler,
          show_values: bool) -> list[str]:
    """The lines under the heading, styled by `c` (values only when `show_values`)."""
    out = []
    dim = COLOURS["dim"] if c("dim", "") else ""  # speed: one test per artifact, not a call per finding
    end = RESET if dim else ""
    for f in findings[:TOP_FINDINGS]:
        value = f" = {f.value!r}" if show_values and f.value is not None else ""
        preview = f" {f.preview!r}" if f.preview else ""
        out.append(
            f"  {format_location(f.location):<24} {_SEVERITY[f.severity]:<8} {f.rule:<30}{preview}{value}"
            f"  {dim}{f.message}{end}"
        )
    if len(findings) > TOP_FINDINGS:
        out.append(f"  … and {len(findings) - TOP_FINDINGS} more findings (use --format json for all)")
    if suppressed:
        by = Counter((f.suppressed_by or "").split(":", 1)[0] for f in suppressed)
        sources = ", ".join(f"{n} by {label}" for label, n in sorted(by.items()))
        out.append(c("dim", f"  {len(suppressed)} suppressed ({sources})"))
    for note in notes:
        out.append(c("dim", f"  note: {note}"))
    return out


def plain(findings: Sequence[Finding], notes: Sequence[str]) -> str:
    """`lines` without colour or values, each ended by a newline, for findings in report order
    (active and suppressed mixed, as packed); "" when there is no finding, active or suppressed
    (a passing artifact without any is not listed at all)."""
    if not findings:
        return ""
    active = [f for f in findings if f.suppressed_by is None]
    suppressed = [f for f in findings if f.suppressed_by is not None] if len(active) < len(findings) else []
    return "".join(line + "\n" for line in lines(active, suppressed, notes, plain_styler, False))


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
