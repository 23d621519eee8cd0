"""RE2 searches without the wrapper's per-call layer, for detectors' hot loops.

In: a pattern compiled with `regex.compile_re2` (or `re2.compile`) and a str. Out: whether it
occurs (`found`), or the group spans of matches
(`search`, `finditer`): a list with one (start, end) per group, group 0 first, (-1, -1) for
a group that took no part, None when nothing matched.

Why not the wrapper's own search: on every call it encodes the text, turns each byte offset
back into a character offset and builds a Match object, about 2 us; the extension's `Match`
on UTF-8 bytes costs a third of that, and detectors search most fields several times. Byte
and character offsets agree on ASCII text, so spans come straight from the extension there
and from the wrapper on other text. Matching itself is RE2's either way: same matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2

# The extension's objects are private to the wrapper: when a future google-re2 lacks them,
# every function below falls back to the wrapper's public API (same matches, slower).
_DIRECT = hasattr(re2, "_Anchor") and hasattr(re2.compile("a"), "_regexp")
_UNANCHORED = re2._Anchor.UNANCHORED if _DIRECT else None

Spans = list[tuple[int, int]]


def found(regex: Any, text: str) -> bool:
    """True when `regex` matches anywhere in `text` (as `regex.search(text) is not None`).

    Speed: through a one-pattern RE2 Set, built on first use per regex. A Set answers
    whether, not where: one forward DFA pass, where a search also runs the reverse DFA
    to find where the match starts (about half the time per call on new text)."""
    test = _TESTS.get(regex)
    if test is None:
        if len(_TESTS) >= 256:  # a few dozen patterns per rule set; bounded for library use
            _TESTS.clear()
        test = _TESTS[regex] = tester(regex)
    return test(text)


_TESTS: dict[Any, Any] = {}  # regex -> its test


def tester(regex: Any) -> Any:
    """A function of a str, true when `regex` matches in it (`found` without the memo look-up)."""
    if not _DIRECT:
        return lambda text: regex.search(text) is not None
    try:
        one = re2.Set.SearchSet(regex.options)
        one.Add(regex.pattern)
        one.Compile()
    except re2.error:  # a pattern a Set turns down: the search answers the same, slower
        return lambda text: regex.search(text) is not None
    match = getattr(one, "_set", one).Match  # the extension's, without the wrapper layer; both take bytes
    return lambda text: bool(match(text.encode("utf-8")))


def search(regex: Any, text: str, pos: int = 0) -> Spans | None:
    """Group spans of the first match at or after `pos` (as `regex.search(text, pos)`), or None."""
    if not _DIRECT or not text.isascii():
        m = regex.search(text, pos)
        return None if m is None else [m.span(i) for i in range(regex.groups + 1)]
    pos = max(0, min(pos, len(text)))
    spans = regex._regexp.Match(_UNANCHORED, text.encode("ascii"), pos, len(text))
    return None if spans[0][0] < 0 else spans


def finditer(regex: Any, text: str) -> Iterator[Spans]:
    """Group spans of each match, in order (as `regex.finditer(text)`)."""
    if not _DIRECT or not text.isascii():
        for m in regex.finditer(text):
            yield [m.span(i) for i in range(regex.groups + 1)]
        return
    data = text.encode("ascii")
    match = regex._regexp.Match
    pos, end = 0, len(data)
    while True:
        spans = match(_UNANCHORED, data, pos, end)
        if spans[0][0] < 0:
            return
        yield spans
        if pos == end:
            return
        # the wrapper's rule: step one character past an empty match, else resume at its end
        pos = pos + 1 if pos == spans[0][1] else spans[0][1]
