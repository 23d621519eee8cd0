"""RE2 regular expressions: linear time, so user rules cannot backtrack catastrophically.

In: a pattern string (group 1, when present, is the value). Out: a detector.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

from speechgate import re2_direct
from speechgate.model import Field, Match


def longest_first(word: str) -> tuple[int, str]:
    """Sort key for the words of an alternation: longest first (RE2 takes the first alternative
    that matches, so "nineteen" must come before "nine"), then alphabetical, so the pattern, and
    the program RE2 compiles from it, are the same in every process (a set's order is not)."""
    return -len(word), word


def compile_re2(pattern: str) -> re2._Regexp:
    """Compile with RE2; raise ValueError with RE2's reason on bad syntax."""
    options = re2.Options()
    options.log_errors = False  # RE2 would otherwise log the pattern to stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(f"invalid RE2 pattern: {reason}") from None


def build(pattern: str) -> Callable[[Field], list[Match]]:
    """A detector for `pattern`: group 1 (else the whole match) of each match, never empty.

    Searches go through `re2_direct` (spans from the RE2 extension: no Match object per
    search) and results come back as a list (no generator per field): same matches as the
    wrapper's `finditer`/`search` loops that `tests/test_fast_paths_hot.py` compares them with."""
    compiled = compile_re2(pattern)
    if compiled.groups < 1:

        def whole(field: Field) -> list[Match]:
            text = field.text
            return [Match(s, e, text[s:e]) for (s, e), *_ in re2_direct.finditer(compiled, text) if e > s]

        return whole

    def detect(field: Field) -> list[Match]:
        # Resume after the value (group 1), not after the whole match: RE2 has no lookahead, so
        # boundary context such as `(?:$|[^\d])` consumes a character that may start the next value.
        text = field.text
        spans = re2_direct.search(compiled, text)
        if spans is None:  # most fields
            return []
        out = []
        pos = 0
        size = len(text)
        while spans is not None:
            (_, match_end), (start, end) = spans[0], spans[1]
            if 0 <= start < end:
                out.append(Match(start, end, text[start:end]))
                pos = end if end > pos else match_end
            else:
                pos = max(match_end, pos + 1)
            if pos > size:
                break
            spans = re2_direct.search(compiled, text, pos)
        return out

    return detect
