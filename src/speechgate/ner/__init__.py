"""Optional NER (extra `speechgate[ner]`): Presidio's AnalyzerEngine with a spaCy model for
PERSON and LOCATION in free-text fields.

In: a model name (config `ner:` or `check --ner`). Out: extra rules (`ner_rules`) whose
detectors run the model per utterance, batched. Nothing here is imported unless NER is
enabled: `speechgate.engine` and `speechgate.gate` import this package lazily.
"""

from __future__ import annotations

from speechgate.ner.rules import RULES_FILE, ner_rules, resolve_model

__all__ = ["RULES_FILE", "ner_rules", "resolve_model"]
