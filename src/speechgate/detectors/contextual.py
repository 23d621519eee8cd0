"""RE2 pattern with optional cue words and optional spoken-number normalisation.

Options:
  pattern: RE2 (group 1, when present, is the value)
  cues: [word or phrase, ...]   a match counts only with a cue nearby (or in the field name)
  anti_cues: [...]              no match when one of these is nearby (or in the field name)
  window: characters to look for cues on each side (default 40)
  normalise: true               match against the spoken-form normalised text (number words
                                as digits) and map spans back to the original words
  spoken_only: true             with normalise: keep only matches that include spoken words,
                                so the written form stays the job of the written-form rule
  min_digits: N                 with normalise: the fewest digits `pattern` needs; an ASCII text
                                that cannot hold that many once normalised (spoken.most_digits)
                                is skipped without normalising it

Why a builtin and not plain `regex`: rules can only raise or lower confidence with context;
formats such as a UK postcode, a passport number or a bare 9-digit SSN are only reliable
when the cue is there, so the cue has to decide whether there is a match at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from speechgate.detectors.cues import Cues
from speechgate.detectors.regex import compile_re2
from speechgate.detectors.spoken import SPOKEN_PREFILTER, Normalised, most_digits, normalise
from speechgate.model import Field, Match
from speechgate.re2_direct import finditer


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterable[Match]]:
    if "pattern" not in options:
        raise ValueError("contextual_pattern needs options.pattern")
    pattern = compile_re2(options["pattern"])
    use_group = pattern.groups >= 1
    cues = Cues(options.get("cues", ()), int(options.get("window", 40)))
    anti = Cues(options.get("anti_cues", ()), int(options.get("window", 40)))
    use_normalised = bool(options.get("normalise", False))
    spoken_only = bool(options.get("spoken_only", False))
    min_digits = options.get("min_digits", 0)
    if not isinstance(min_digits, int) or isinstance(min_digits, bool) or min_digits < 0:
        raise ValueError("contextual_pattern: options.min_digits must be a whole number >= 0")

    def detect(field: Field) -> list[Match] | tuple[()]:
        # a list, not a generator: most fields stop at the first test
        text = field.text
        # the digit bound first: the spoken rules ask most_digits about the same text in turn
        # (memoised), where a cue search is a new RE2 call per rule
        if min_digits and use_normalised and text.isascii() and most_digits(text) < min_digits:
            return ()  # too few digits even once normalised: most texts with a number word
        if not cues.anywhere(text, field.name):
            return ()
        norm = normalise(text) if use_normalised else Normalised(text, text)
        if spoken_only and norm.pieces is None:
            return ()
        return list(_matches(text, norm, field.name))

    def _matches(text: str, norm: Normalised, name: str | None) -> Iterator[Match]:
        for spans in finditer(pattern, norm.text):
            start, end = spans[1] if use_group else spans[0]
            if start < 0 or end <= start:
                continue
            if spoken_only and not norm.has_spoken(start, end):
                continue
            o_start, o_end = norm.to_original(start, end)
            if not cues.near(text, o_start, o_end, name):
                continue
            if anti and anti.near(text, o_start, o_end, name):
                continue
            yield Match(o_start, o_end, norm.text[start:end].strip())

    # engine prefilter: the pattern matches the text itself unless normalising rewrote number
    # words, which needs a number word or spaced digits; spoken_only needs one of those
    if not use_normalised:
        detect.prefilter = options["pattern"]  # type: ignore[attr-defined]
    elif spoken_only:
        detect.prefilter = SPOKEN_PREFILTER  # type: ignore[attr-defined]
    else:
        detect.prefilter = f"(?:{options['pattern']})|{SPOKEN_PREFILTER}"  # type: ignore[attr-defined]
    return detect
