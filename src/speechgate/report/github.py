"""GitHub Actions workflow commands: one annotation per finding, then a summary line.

In: a Report. Out: lines such as `::error file=a.srt,line=12,col=7,title=...::message`.
`file=` is the path as opened (relative to the working folder, as annotations need), not the
report path relative to the scanned root. Findings in a failing artifact are errors;
low/medium findings in a passing artifact are warnings; suppressed findings are not
annotated. Values are escaped as the workflow-command rules require (data: `%`, CR, LF;
properties also `:` and `,`), so artifact content cannot inject commands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from speechgate.model import ArtifactResult, Finding, Report, Severity
from speechgate.report.rendering import rendered

_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def escape_data(text: str) -> str:
    for raw, escaped in _DATA_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def escape_property(text: str) -> str:
    for raw, escaped in _PROPERTY_ESCAPES:
        text = text.replace(raw, escaped)
    return text



def write(report: Report, out: TextIO) -> None:
    """One annotation line per finding, written as the artifacts are read, then the summary."""
    for a in report.artifacts:
        for f in a.findings:
            out.write(annotation(a, f, report.rules, report.show_values) + "\n")
    out.write(_summary(report) + "\n")


def level(a: ArtifactResult, f: Finding) -> str:
    if a.verdict == "pass" and f.severity in (Severity.LOW, Severity.MEDIUM):
        return "warning"
    return "error"


def annotation(a: ArtifactResult, f: Finding, rules: Mapping[str, Mapping[str, Any]], show_values: bool) -> str:
    props = [("file", a.file or a.path)]
    loc = f.location
    if isinstance(loc.get("line"), int):
        props.append(("line", str(loc["line"])))
        if isinstance(loc.get("column"), int):
            props.append(("col", str(loc["column"])))
    title = str(rules.get(f.rule, {}).get("title", f.rule))
    props.append(("title", f"speechgate {f.rule}: {title}"))
    where = _where(loc)
    message = (f"{f.message} [{f.severity.value}, confidence {f.confidence:.2f}]"
               + (f" at {where}" if where else "")
               + (f"; preview {f.preview}" if f.preview else ""))
    if show_values and f.value is not None:
        message += f"; value {f.value!r}"
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{level(a, f)} {properties}::{escape_data(message)}"


def _where(loc: Mapping[str, Any]) -> str:
    """Locator parts that have no annotation property: pointer, tag, field, a named column."""
    parts = [f"{key} {loc[key]}" for key in ("pointer", "tag", "field") if key in loc]
    if isinstance(loc.get("column"), str):
        parts.insert(0, f"column {loc['column']}")
    return ", ".join(parts)


def _summary(report: Report) -> str:
    tally = report.tally
    s = tally.summary()
    text = (f"{s['artifacts']} artifacts scanned, {s['failed']} failed, {s['findings']} findings, "
            f"{s['suppressed']} suppressed, {s['unscannable']} unscannable (tier: {report.tier})")
    if tally.passed:
        return f"::notice title={escape_property('speechgate passed')}::{escape_data(text)}"
    return f"::error title={escape_property('speechgate failed')}::{escape_data(text)}"


render = rendered(write)
