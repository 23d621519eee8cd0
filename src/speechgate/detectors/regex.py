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
    if compiled.groups < 1:
        return lambda field: (
            Match(m.start(), m.end(), m.group()) for m in compiled.finditer(field.text) if m.end() > m.start()
        )

    def detect(field: Field) -> Iterator[Match]:
        # Resume after the value (group 1), not after the whole match: RE2 has no lookahead, so
        # boundary context such as `(?:$|[^\d])` consumes a character that may start the next value.
        text = field.text
        pos = 0
        while pos <= len(text):
            m = compiled.search(text, pos)
            if m is None:
                return
            start, end = m.span(1)
            if 0 <= start < end:
                yield Match(start, end, text[start:end])
                pos = end if end > pos else m.end()
            else:
                pos = max(m.end(), pos + 1)

    return detect
