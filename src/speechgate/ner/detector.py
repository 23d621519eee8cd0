"""The `ner_entity` detector: one entity type from a shared, batched NER analyzer.

In: a TEXT Field. Out: Matches for the chosen entity (PERSON or LOCATION). The engine
calls `prefetch(texts)` with the texts of each batch of fields so spaCy runs batched
(`nlp.pipe`); results are kept in a small per-process cache keyed by text, shared by the
PERSON and LOCATION rules. A confidence delta follows Presidio's score around its
default 0.85.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from speechgate.model import Field, Match, Role
from speechgate.ner.analyzer import Entity, analyzer

CACHE_LIMIT = 4096
DEFAULT_SCORE = 0.85
_cache: dict[tuple[str, str], list[Entity]] = {}


class NerDetector:
    """Callable detector for one entity type on one model."""

    def __init__(self, model: str, entity: str) -> None:
        self.model = model
        self.entity = entity

    def prefetch(self, texts: Sequence[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if (self.model, t) not in _cache and t.strip()))
        if not todo:
            return
        if len(_cache) + len(todo) > CACHE_LIMIT:
            _cache.clear()
        for text, entities in zip(todo, analyzer(self.model).analyze(todo), strict=True):
            _cache[(self.model, text)] = entities

    def __call__(self, field: Field) -> Iterator[Match]:
        if field.role is not Role.TEXT or not field.text.strip():
            return
        key = (self.model, field.text)
        if key not in _cache:
            self.prefetch([field.text])
        for start, end, entity, score in _cache.get(key, ()):
            if entity == self.entity and end > start:
                yield Match(start, end, field.text[start:end], confidence_delta=round(score - DEFAULT_SCORE, 3))
