"""Dictionary / keyword lists matched as whole words (one RE2 alternation).

In: {"words": [...], "case_sensitive": false}. Out: a detector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import re2

from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match


def build(spec: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    words = sorted({str(w) for w in spec["words"]}, key=len, reverse=True)
    flags = "" if spec.get("case_sensitive") else "(?i)"
    alternation = "|".join(re2.escape(w) for w in words)
    compiled = compile_re2(rf"{flags}(?:^|[^\pL\pN_])({alternation})(?:$|[^\pL\pN_])")

    def detect(field: Field) -> Iterator[Match]:
        pos = 0
        text = field.text
        while True:
            m = compiled.search(text, pos)
            if m is None:
                return
            start, end = m.span(1)
            yield Match(start, end, text[start:end])
            pos = end

    return detect
