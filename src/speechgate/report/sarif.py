"""SARIF 2.1.0 (what code-scanning tools ingest), built from plain dicts.

In: a Report. Out: one SARIF log with one run. Rules come from `Report.rules` (the gate adds
the `unscannable` pseudo-rule; a rule missing there gets minimal metadata). Every finding is
a result (suppressed ones carry `suppressions`; unscannable artifacts appear too) with a
masked preview and `partialFingerprints["speechgate/v1"]`.
Locations: `region` for line/column, `logicalLocations` for JSON pointers, tags and fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO
from urllib.parse import quote

from speechgate.model import ArtifactResult, Finding, Report, Severity
from speechgate.report import json_stream
from speechgate.report.rendering import rendered

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "speechgate/v1"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# Logical-location kinds (SARIF 3.33.7) for the non-positional locator keys.
_LOGICAL_KINDS = (("pointer", "element"), ("tag", "property"), ("field", "resource"))



def write(report: Report, out: TextIO) -> None:
    """`render` written to `out` one result at a time."""
    doc, index = _document(report)
    json_stream.write(doc, _results(report, index), out)


def to_dict(report: Report) -> dict[str, Any]:
    doc, index = _document(report)
    doc["runs"][0]["results"] = list(_results(report, index))
    return doc


def _document(report: Report) -> tuple[dict[str, Any], dict[str, int]]:
    """The log with a placeholder for its results, and the rule index."""
    rules = _rule_table(report)
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    tally = report.tally
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "speechgate",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": [_descriptor(rule_id, meta) for rule_id, meta in rules.items()],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [json_stream.PLACEHOLDER],
            "properties": {"tier": report.tier, "passed": tally.passed, "summary": tally.summary()},
        }],
    }
    return doc, index


def _results(report: Report, index: Mapping[str, int]) -> Iterator[dict[str, Any]]:
    for a in report.artifacts:
        for f in (*a.findings, *a.suppressed):
            yield _result(a, f, index, report.show_values)


def _rule_table(report: Report) -> dict[str, Mapping[str, Any]]:
    """Rule id -> metadata, sorted; rules seen only in findings get minimal metadata."""
    table: dict[str, Mapping[str, Any]] = dict(report.rules)
    for rule, (category, severity) in report.tally.rules.items():
        table.setdefault(rule, {"title": rule, "category": category, "severity": severity})
    return dict(sorted(table.items()))


def _descriptor(rule_id: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    title = str(meta.get("title", rule_id))
    description = str(meta.get("description") or title)
    remediation = str(meta.get("remediation") or "")
    help_text = description + (f"\n\nHow to fix: {remediation}" if remediation else "")
    help_md = f"**{title}**\n\n{description}" + (f"\n\n**How to fix:** {remediation}" if remediation else "")
    help_md += f"\n\nRun `speechgate explain {rule_id}` for examples."
    severity = str(meta.get("severity", "high"))
    category = str(meta.get("category", ""))
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS.get(Severity(severity), "error")},
        "properties": {"category": category, "severity": severity,
                       "tags": ["privacy", "speechgate", category]},
    }


def _result(a: ArtifactResult, f: Finding, index: Mapping[str, int], show_values: bool) -> dict[str, Any]:
    text = f.message + (f" (preview: {f.preview})" if f.preview else "")
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[f.severity],
        "message": {"text": text},
        "locations": [_location(a.file or a.path, f.location)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"category": f.category.value, "severity": f.severity.value,
                       "confidence": f.confidence, "occurrences": f.occurrences,
                       "preview": f.preview, "artifactVerdict": a.verdict},
    }
    if show_values and f.value is not None:
        out["properties"]["value"] = f.value
    if f.suppressed_by:
        out["suppressions"] = [{"kind": "external", "justification": f.suppressed_by}]
    return out


def _location(path: str, loc: Mapping[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    region: dict[str, Any] = {}
    if isinstance(loc.get("line"), int):
        region["startLine"] = loc["line"]
        if isinstance(loc.get("column"), int):
            region["startColumn"] = loc["column"]
    if region:
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    logical = [{"fullyQualifiedName": str(loc[key]), "kind": kind} for key, kind in _LOGICAL_KINDS if key in loc]
    if isinstance(loc.get("column"), str):  # a CSV/TSV header name
        logical.insert(0, {"name": loc["column"], "kind": "variable"})
    if logical:
        out["logicalLocations"] = logical
    return out


def artifact_uri(path: str) -> str:
    """A relative (or, for absolute paths, file:) URI reference for a POSIX report path."""
    quoted = quote(path, safe="/")
    return f"file://{quoted}" if path.startswith("/") else quoted


render = rendered(write)
