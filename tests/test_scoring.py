"""Risk scoring: the documented noisy-OR formula and the verdict rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate import scoring
from speechgate.config import load_config
from speechgate.model import Category, Finding, Severity


def _f(severity: Severity, confidence: float, category: Category = Category.EMAIL) -> Finding:
    return Finding("r", category, severity, confidence, {"line": 1}, "m", "", "0" * 32)


def test_clean_artifact_has_risk_zero() -> None:
    assert scoring.risk([]) == 0.0
    assert scoring.verdict([], 0.25, frozenset()) == (0.0, "pass", ())


def test_formula_is_noisy_or_of_weight_times_confidence() -> None:
    findings = [_f(Severity.HIGH, 0.9), _f(Severity.LOW, 0.5), _f(Severity.CRITICAL, 0.3)]
    expected = 1 - (1 - 0.8 * 0.9) * (1 - 0.2 * 0.5) * (1 - 1.0 * 0.3)
    assert scoring.risk(findings) == pytest.approx(expected, abs=1e-4)


def test_risk_is_bounded_and_monotonic() -> None:
    one = scoring.risk([_f(Severity.MEDIUM, 0.6)])
    two = scoring.risk([_f(Severity.MEDIUM, 0.6), _f(Severity.LOW, 0.1)])
    assert 0 < one < two <= 1
    assert scoring.risk([_f(Severity.CRITICAL, 1.0)] * 3) == 1.0


def test_one_confident_medium_finding_fails_public_only() -> None:
    config = load_config(None, Path(__file__).parent)  # the bundled defaults
    finding = [_f(Severity.MEDIUM, 0.9)]
    risk, verdict, reasons = scoring.verdict(finding, config.threshold("public", "text"), frozenset())
    assert risk == pytest.approx(0.45)
    assert verdict == "fail" and reasons == ("risk 0.45 exceeds threshold 0.25",)
    assert scoring.verdict(finding, config.threshold("partner", "text"), frozenset())[1] == "pass"
    assert scoring.verdict(finding, config.threshold("internal", "text"), frozenset())[1] == "pass"


def test_threshold_is_exclusive() -> None:
    assert scoring.verdict([_f(Severity.MEDIUM, 0.5)], 0.25, frozenset())[1] == "pass"  # risk 0.25


def test_always_fail_category() -> None:
    finding = [_f(Severity.LOW, 0.3, Category.VOICEPRINT)]
    risk, verdict, reasons = scoring.verdict(finding, 0.9, frozenset({"voiceprint"}))
    assert risk < 0.9
    assert verdict == "fail"
    assert reasons == ("category voiceprint always fails this tier",)
