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
    return risk_of((f.severity, f.confidence) for f in findings)


def risk_of(graded: Iterable[tuple[str, float]]) -> float:
    """`risk` from (severity, confidence) pairs, in order (a StrEnum severity is its value)."""
    survive = 1.0
    for severity, confidence in graded:
        survive *= 1.0 - WEIGHTS[severity] * confidence  # type: ignore[index]
    return round(1.0 - survive, 4)


def verdict(
    findings: Iterable[Finding], threshold: float, always_fail: frozenset[str]
) -> tuple[float, str, tuple[str, ...]]:
    """(risk, "pass" | "fail", reasons) for one artifact's unsuppressed findings."""
    findings = list(findings)
    return verdict_of(risk(findings), {f.category.value for f in findings}, threshold, always_fail)


def verdict_of(
    score: float, categories: Iterable[str], threshold: float, always_fail: frozenset[str]
) -> tuple[float, str, tuple[str, ...]]:
    """`verdict` from what it depends on: the risk and the categories of the unsuppressed findings."""
    reasons = sorted({f"category {c} always fails this tier" for c in categories if c in always_fail})
    if score > threshold:
        reasons.insert(0, f"risk {score:.2f} exceeds threshold {threshold:.2f}")
    return score, ("fail" if reasons else "pass"), tuple(reasons)
