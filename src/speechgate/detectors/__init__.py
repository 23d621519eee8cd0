"""Detectors: Field text in, Match spans out. One module per detector kind.

`build(detect, options)` turns a rule's `detect` mapping into a callable. Builtin detectors
(written in Python where a regex cannot express the check) are registered by name in
`BUILTINS`, explicitly, like yamllint's rule registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from speechgate.detectors import (
    address,
    contextual,
    email_spoken,
    field_name,
    keywords,
    names,
    phone,
    pseudonymous,
    regex,
    speaker_ids,
    spelled,
    tag_person,
    tag_value,
    voiceprint,
)
from speechgate.model import Field, Match

Detector = Callable[[Field], Iterable[Match]]
DetectorFactory = Callable[[Mapping[str, Any]], Detector]

BUILTINS: dict[str, DetectorFactory] = {
    "non_pseudonymous_label": pseudonymous.build,
    "identifying_tag_value": tag_value.build,
    "person_tag_value": tag_person.build,
    "person_name_text": names.build_text,
    "person_name_label": names.build_label,
    "corpus_speaker_id": speaker_ids.build,
    "voiceprint_vector": voiceprint.build,
    "ner_entity": lambda options: _ner_entity(options),
    "phone_number": phone.build,
    "contextual_pattern": contextual.build,
    "spoken_email": email_spoken.build,
    "spelled_letters": spelled.build,
    "street_address": address.build,
}


def _ner_entity(options: Mapping[str, Any]) -> Detector:
    """NER rules are bound to their model by speechgate.ner.ner_rules; imported lazily so
    presidio and spaCy load only when NER is enabled."""
    from speechgate.ner.detector import NerDetector

    return NerDetector(str(options.get("model") or ""), str(options.get("entity", "PERSON")))


def build(detect: Mapping[str, Any], options: Mapping[str, Any]) -> Detector:
    """Build the one detector named in a rule's `detect` mapping. Raises ValueError."""
    ((kind, spec),) = detect.items()
    if kind == "regex":
        return regex.build(spec)
    if kind == "keywords":
        return keywords.build(spec)
    if kind == "field_name":
        return field_name.build(spec)
    if kind == "builtin":
        factory = BUILTINS.get(spec)
        if factory is None:
            raise ValueError(f"unknown builtin detector {spec!r}; known: {sorted(BUILTINS)}")
        return factory(options)
    raise ValueError(f"unknown detector kind {kind!r}")
