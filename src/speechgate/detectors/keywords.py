"""Dictionary / keyword lists matched as whole words (one RE2 alternation).

In: {"words": [...], "case_sensitive": false}. Out: a detector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import re2

from speechgate import re2_direct
from speechgate.detectors.regex import compile_re2, longest_first
from speechgate.model import Field, Match


def build(spec: Mapping[str, Any]) -> Callable[[Field], list[Match]]:
    words = sorted({str(w) for w in spec["words"]}, key=longest_first)
    flags = "" if spec.get("case_sensitive") else "(?i)"
    alternation = "|".join(re2.escape(w) for w in words)
    compiled = compile_re2(rf"{flags}(?:^|[^\pL\pN_])({alternation})(?:$|[^\pL\pN_])")

    def detect(field: Field) -> list[Match]:
        # spans straight from the RE2 extension and a list, as in regex.build (same matches)
        out = []
        pos = 0
        text = field.text
        while True:
            spans = re2_direct.search(compiled, text, pos)
            if spans is None:
                return out
            start, end = spans[1]
            out.append(Match(start, end, text[start:end]))
            pos = end

    return detect
