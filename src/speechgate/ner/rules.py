"""The NER rules (ner/rules.yaml) bound to one model: rule data in, Rule objects out.

The YAML is validated like every rule file; each rule's detector is a `NerDetector` on the
shared model, so PERSON and LOCATION cost one spaCy pass per utterance.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from speechgate import rules as rule_files
from speechgate.ner.analyzer import analyzer, resolve_model
from speechgate.ner.detector import NerDetector
from speechgate.rules import Rule

RULES_FILE = Path(__file__).with_name("rules.yaml")


def ner_rules(model: str | bool | None) -> list[Rule]:
    """Load the NER rules for `model` (a spaCy package name, or True for the default).

    Raises UsageError naming the missing package when presidio, spaCy or the model is absent.
    """
    name = resolve_model(model)
    analyzer(name)  # load now: a broken model must fail before scanning starts
    loaded = rule_files.load_rules([RULES_FILE])
    return [dataclasses.replace(r, detector=NerDetector(name, r.data["options"]["entity"])) for r in loaded]
