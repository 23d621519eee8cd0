"""Cue words near a match: "phone", "born on", "passport" within a few characters.

In: a list of words or phrases and a window in characters. Out: a `Cues` object whose
`near(text, start, end, name)` says whether any cue occurs within the window before or
after the span, or in the field's name (a column called `dob` is a cue for its values).
One RE2 alternation per rule, compiled when first needed: a case-insensitive Unicode
alternation takes 1-3 ms to compile, and most runs never reach most rules' cues.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import re2

from speechgate.detectors.regex import compile_re2, longest_first
from speechgate.re2_direct import found


class Cues:
    """Whole-word, case-insensitive cue phrases; phrases match across any whitespace."""

    def __init__(self, phrases: Iterable[str], window: int = 40) -> None:
        words = sorted({p.strip().casefold() for p in phrases if p.strip()}, key=longest_first)
        self.window = window
        self._pattern: str | None = None
        self._compiled: Any = None
        self._named: dict[str, bool] = {}  # field name -> holds a cue; a file repeats its few names
        if words:
            alternation = "|".join(r"\s+".join(re2.escape(w) for w in p.split()) for p in words)
            self._pattern = rf"(?i)(?:^|[^\pL\pN])(?:{alternation})(?:$|[^\pL\pN])"

    @property
    def _re(self) -> Any:
        """The compiled alternation (None without cues), compiled on first use."""
        if self._compiled is None and self._pattern is not None:
            self._compiled = compile_re2(self._pattern)
        return self._compiled

    def __bool__(self) -> bool:
        return self._pattern is not None

    def anywhere(self, text: str, name: str | None = None) -> bool:
        """True when a cue occurs anywhere in `text` or `name`: a cheap test before matching."""
        if self._re is None:
            return True
        return bool(found(self._re, text) or (name and self.in_name(name)))

    def in_name(self, name: str) -> bool:
        """True when a cue occurs in the field name `name` (`_` and `-` read as spaces)."""
        hit = self._named.get(name)
        if hit is None:
            if len(self._named) >= 1024:
                self._named.clear()
            hit = self._named[name] = found(self._re, name.replace("_", " ").replace("-", " "))
        return hit

    def before(self, text: str, start: int, name: str | None = None) -> bool:
        """True when a cue is within `window` characters before `start` or in `name`."""
        return self.near(text, start, len(text), name) if self._re is not None else True

    def near(self, text: str, start: int, end: int, name: str | None = None) -> bool:
        """True when a cue is within `window` characters of [start, end) or in `name`."""
        if self._re is None:
            return True
        if name and self.in_name(name):
            return True
        lo = max(0, start - self.window)
        while lo > 0 and text[lo - 1].isalnum():  # never cut a word in half: "and" is not "nd"
            lo -= 1
        hi = min(len(text), end + self.window)
        while hi < len(text) and text[hi].isalnum():
            hi += 1
        return found(self._re, text[lo:start]) or found(self._re, text[end:hi])
