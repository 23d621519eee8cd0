"""Per-artifact risk and verdict: a small pure function of the findings.

risk = 1 - prod(1 - w(severity) * confidence) over the unsuppressed findings (noisy-OR),
with w = low 0.2, medium 0.5, high 0.8, critical 1.0. A clean artifact has risk 0; one
confident (0.9) medium finding gives 0.45, which fails the public tier (0.25).
An artifact fails when risk > threshold, or when it has a finding in one of the tier's
always-fail categories.
"""

from __future__ import annotations

from collections.abc import Iterable

from speechgate.model import Finding, Severity

WEIGHTS = {Severity.LOW: 0.2, Severity.MEDIUM: 0.5, Severity.HIGH: 0.8, Severity.CRITICAL: 1.0}


def risk(findings: Iterable[Finding]) -> float:
    survive = 1.0
    for f in findings:
        survive *= 1.0 - WEIGHTS[f.severity] * f.confidence
    return round(1.0 - survive, 4)


def verdict(
    findings: Iterable[Finding], threshold: float, always_fail: frozenset[str]
) -> tuple[float, str, tuple[str, ...]]:
    """(risk, "pass" | "fail", reasons) for one artifact's unsuppressed findings."""
    findings = list(findings)
    score = risk(findings)
    reasons = sorted({f"category {f.category.value} always fails this tier"
                      for f in findings if f.category in always_fail})  # a StrEnum is its value
    if score > threshold:
        reasons.insert(0, f"risk {score:.2f} exceeds threshold {threshold:.2f}")
    return score, ("fail" if reasons else "pass"), tuple(reasons)
