"""SARIF output: validates against the SARIF 2.1.0 schema and maps findings faithfully."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from speechgate.cli import main
from speechgate.report import sarif

from .conftest import EXAMPLES
from .golden.reports import failing_report


def _validate(doc: dict[str, Any], shared_schemas: Path) -> None:
    schema = json.loads((shared_schemas / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(doc)


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["runs"][0]["results"]


def test_hand_built_report_validates(shared_schemas: Path) -> None:
    _validate(sarif.to_dict(failing_report()), shared_schemas)


def test_scan_of_examples_validates(shared_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    assert main(["check", str(EXAMPLES), "--format", "sarif", "--output", str(out), "--no-cache"]) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    _validate(doc, shared_schemas)
    rules = {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {"pii-email", "unscannable"} <= rules
    assert all(r["ruleId"] in rules for r in _results(doc))


def test_schema_check_can_fail(shared_schemas: Path) -> None:
    doc = sarif.to_dict(failing_report())
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate(doc, shared_schemas)


def test_levels_fingerprints_and_rule_index() -> None:
    doc = sarif.to_dict(failing_report())
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in _results(doc)}
    assert by_rule["pii-email"]["level"] == "error"
    assert by_rule["pii-card"]["level"] == "error"
    assert by_rule["tag-person"]["level"] == "warning"
    assert by_rule["corpus-path-id"]["level"] == "note"
    assert by_rule["pii-email"]["partialFingerprints"] == {"speechgate/v1": "0123456789abcdef0123456789abcdef"}
    for result in _results(doc):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_descriptors_carry_help_and_properties() -> None:
    doc = sarif.to_dict(failing_report())
    email = next(r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "pii-email")
    assert email["shortDescription"]["text"] == "E-mail address"
    assert "Replace it with <EMAIL>." in email["help"]["text"]
    assert "**How to fix:**" in email["help"]["markdown"]
    assert email["properties"]["category"] == "email"
    assert email["properties"]["severity"] == "high"
    assert "email" in email["properties"]["tags"]


def test_locations() -> None:
    by_rule = {r["ruleId"]: r["locations"][0] for r in _results(sarif.to_dict(failing_report()))}
    email = by_rule["pii-email"]["physicalLocation"]
    # the path as opened (relative to the working folder), so code scanning finds the file in the repo
    assert email["artifactLocation"]["uri"] == "release/calls/call%201%2Ca%3Ab%25%7Cc.srt"
    assert email["region"] == {"startLine": 12, "startColumn": 7}
    phone = by_rule["pii-phone"]
    assert phone["physicalLocation"]["region"] == {"startLine": 3}
    assert phone["logicalLocations"] == [{"fullyQualifiedName": "/text", "kind": "element"}]
    tag = by_rule["tag-person"]
    assert "region" not in tag["physicalLocation"]
    assert tag["logicalLocations"][0]["fullyQualifiedName"] == "ID3:TPE1"
    assert by_rule["speaker-label-not-pseudonymous"]["logicalLocations"][0]["name"] == "speaker"


def test_suppressed_and_unscannable_results() -> None:
    doc = sarif.to_dict(failing_report())
    by_rule = {r["ruleId"]: r for r in _results(doc)}
    assert by_rule["pii-card"]["suppressions"] == [
        {"kind": "external", "justification": "allow/0: test card from the payment sandbox"}]
    assert "suppressions" not in by_rule["pii-email"]
    assert by_rule["unscannable"]["message"]["text"].startswith("Could not scan")
    assert doc["runs"][0]["properties"]["tier"] == "public"
    assert doc["runs"][0]["properties"]["passed"] is False


def test_value_only_with_show_values() -> None:
    from dataclasses import replace

    report = failing_report()
    assert "jane.example@example.com" not in sarif.render(report)
    shown = sarif.to_dict(replace(report, show_values=True))
    email = next(r for r in _results(shown) if r["ruleId"] == "pii-email")
    assert email["properties"]["value"] == "jane.example@example.com"


def test_absolute_path_becomes_file_uri() -> None:
    assert sarif.artifact_uri("/data/a b.srt") == "file:///data/a%20b.srt"
    assert sarif.artifact_uri("x/y.srt") == "x/y.srt"


@pytest.mark.slow
def test_scan_of_sample_corpus_validates(corpus: Path, shared_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.sarif"
    assert main(["check", str(corpus), "--format", "sarif", "--output", str(out),
                 "--cache-dir", str(tmp_path / "cache")]) in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    _validate(doc, shared_schemas)
    results = _results(doc)
    assert len(results) > 100
    assert all(r["partialFingerprints"]["speechgate/v1"] for r in results)
