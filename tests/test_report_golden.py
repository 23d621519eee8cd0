"""Golden output of every formatter for fixed, hand-built Reports (exact comparison).

Regenerate after an intended change with `SPEECHGATE_UPDATE_GOLDEN=1 python -m pytest
tests/test_report_golden.py`, then review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from speechgate.report import FORMATTERS

from .golden.reports import REPORTS, failing_report

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md", "github": "github.txt"}
UPDATE = os.environ.get("SPEECHGATE_UPDATE_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name> exactly, or rewrite it when updating."""
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"missing golden file {name}; run with SPEECHGATE_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


def test_every_formatter_has_a_golden_suffix() -> None:
    assert set(SUFFIX) == set(FORMATTERS)


@pytest.mark.parametrize("report_name", sorted(REPORTS))
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt: str, report_name: str) -> None:
    check_golden(f"{report_name}.{SUFFIX[fmt]}", FORMATTERS[fmt](REPORTS[report_name]()))


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_formatters_are_pure(fmt: str) -> None:
    report = failing_report()
    assert FORMATTERS[fmt](report) == FORMATTERS[fmt](report)
    assert report == failing_report()


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden_outputs_hold_no_raw_values(fmt: str) -> None:
    report = failing_report()
    output = FORMATTERS[fmt](report)
    paths = " ".join(a.path for a in report.artifacts)
    raw = [f.value for a in report.artifacts for f in (*a.findings, *a.suppressed) if f.value]
    raw = [v for v in raw if v not in paths]  # a value found in a file name is shown as the path
    assert len(raw) >= 4
    assert not [v for v in raw if v in output]
