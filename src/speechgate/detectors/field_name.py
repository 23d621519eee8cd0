"""Field-name match: the field's name (JSON key, column header, tag id) decides; the value
is the whole text. Empty and whitespace-only values never match.

In: an RE2 pattern searched case-insensitively in the name. Out: a detector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match


def build(pattern: str) -> Callable[[Field], Iterator[Match]]:
    compiled = compile_re2("(?i)" + pattern)
    seen: dict[str, bool] = {}  # name -> matches; a file repeats a few names on every row

    def detect(field: Field) -> Iterator[Match]:
        if field.name is None or not field.text.strip():
            return
        hit = seen.get(field.name)
        if hit is None:
            if len(seen) >= 4096:
                seen.clear()
            hit = seen[field.name] = compiled.search(field.name) is not None
        if hit:
            yield Match(0, len(field.text), field.text)

    return detect
