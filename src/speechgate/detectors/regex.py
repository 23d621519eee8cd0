"""RE2 regular expressions: linear time, so user rules cannot backtrack catastrophically.

In: a pattern string (group 1, when present, is the value). Out: a detector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import re2

from speechgate.model import Field, Match


def compile_re2(pattern: str) -> re2._Regexp:
    """Compile with RE2; raise ValueError with RE2's reason on bad syntax."""
    options = re2.Options()
    options.log_errors = False  # RE2 would otherwise log the pattern to stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(f"invalid RE2 pattern: {reason}") from None


def build(pattern: str) -> Callable[[Field], Iterator[Match]]:
    compiled = compile_re2(pattern)
    use_group = compiled.groups >= 1

    def detect(field: Field) -> Iterator[Match]:
        for m in compiled.finditer(field.text):
            if use_group:
                start, end = m.span(1)
                if start < 0:
                    continue
            else:
                start, end = m.span()
            if end > start:
                yield Match(start, end, field.text[start:end])

    return detect
