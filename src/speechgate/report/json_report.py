"""The JSON report: the public contract, described by `schemas/report.schema.json`."""

from __future__ import annotations

from typing import Any, TextIO

from speechgate.model import ArtifactResult, Finding, Report
from speechgate.report import json_stream
from speechgate.report.rendering import rendered

SCHEMA_VERSION = 1


def to_dict(report: Report) -> dict[str, Any]:
    doc = _document(report)
    doc["artifacts"] = [_artifact(a, report.show_values) for a in report.artifacts]
    return doc



def write(report: Report, out: TextIO) -> None:
    """`render` written to `out` one artifact at a time."""
    json_stream.write(_document(report), (_artifact(a, report.show_values) for a in report.artifacts), out)


def _document(report: Report) -> dict[str, Any]:
    """The document with a placeholder for its artifacts."""
    tally = report.tally
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "speechgate", "version": report.tool_version},
        "tier": report.tier,
        "passed": tally.passed,
        "summary": tally.summary(),
        "artifacts": [json_stream.PLACEHOLDER],
    }
    if report.stale_baseline:
        doc["stale_baseline"] = [dict(e) for e in report.stale_baseline]
    if report.unused_allow:
        doc["unused_allow"] = list(report.unused_allow)
    return doc


def _artifact(a: ArtifactResult, show_values: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": a.path, "kind": a.kind, "sha256": a.sha256, "risk": a.risk,
        "threshold": a.threshold, "verdict": a.verdict,
        "findings": [finding_dict(f, show_values) for f in a.findings],
    }
    if a.suppressed:
        out["suppressed"] = [finding_dict(f, show_values) for f in a.suppressed]
    if a.reasons:
        out["reasons"] = list(a.reasons)
    if a.notes:
        out["notes"] = list(a.notes)
    return out


def finding_dict(f: Finding, show_values: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule, "category": f.category.value, "severity": f.severity.value,
        "confidence": f.confidence, "location": dict(f.location), "message": f.message,
        "preview": f.preview, "fingerprint": f.fingerprint, "occurrences": f.occurrences,
    }
    if show_values and f.value is not None:
        out["value"] = f.value
    if f.suppressed_by:
        out["suppressed_by"] = f.suppressed_by
    return out


render = rendered(write)
