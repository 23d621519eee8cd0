"""The JSON report is a public contract: it validates against the shipped schema."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from speechgate.cli import main
from speechgate.report import json_report
from speechgate.schemas import validator_for

from .conftest import EXAMPLES
from .golden.reports import failing_report


def test_scan_of_examples_validates(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["check", str(EXAMPLES), "--format", "json", "--output", str(out), "--no-cache"]) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    validator_for("report").validate(doc)
    assert doc["passed"] is False
    assert doc["summary"]["artifacts"] == len(doc["artifacts"]) >= 9
    paths = [a["path"] for a in doc["artifacts"]]
    assert paths == sorted(paths)
    assert all(not p.startswith(("/", "examples/")) and "\\" not in p for p in paths)
    locations = [f["location"] for a in doc["artifacts"] for f in a["findings"]]
    assert any("tag" in loc for loc in locations)
    assert any("line" in loc and "column" in loc for loc in locations)


def test_hand_built_report_validates_with_and_without_values() -> None:
    validator_for("report").validate(json_report.to_dict(failing_report()))
    shown = json_report.to_dict(replace(failing_report(), show_values=True))
    validator_for("report").validate(shown)
    email = shown["artifacts"][0]["findings"][0]
    assert email["value"] == "jane.example@example.com"
    assert "value" not in json_report.to_dict(failing_report())["artifacts"][0]["findings"][0]


def test_schema_rejects_unknown_keys() -> None:
    doc = json_report.to_dict(failing_report())
    doc["artifacts"][0]["findings"][0]["raw"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        validator_for("report").validate(doc)


def test_summary_counts() -> None:
    doc = json_report.to_dict(failing_report())
    assert doc["summary"] == {"artifacts": 6, "failed": 3, "findings": 6, "suppressed": 1, "unscannable": 1}
    assert doc["artifacts"][0]["suppressed"][0]["suppressed_by"].startswith("allow/0")
