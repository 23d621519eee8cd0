"""Street addresses: a house number, one to three name words and a street type
("221 baker street", "42 Elm Ave", "two twenty one baker street" said aloud).

In: a field. Out: matches over the address, valued as the normalised, lower-cased address.
Runs on the spoken-form normalised text, so house numbers read as words count too.
The name words must not be function words or units ("drove 3 miles down the road" is not
an address). Street types that are also everyday words ("way", "place", "close", "walk",
"hill"...) and house numbers said as a single word ("five main road") need a cue ("live",
"address", "moved to"...) nearby. House numbers never start with 0 and never follow a hyphen
(the utterance part of "5348-392424-0143 HAPPY COURT").
Options: {"cues": [...], "window": int}.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from speechgate.detectors.cues import Cues
from speechgate.detectors.prefilters import NOT_ALNUM
from speechgate.detectors.regex import compile_re2
from speechgate.detectors.spoken import NUMBER_WORD_TRIE, most_digits, normalise, word_trie
from speechgate.model import Field, Match
from speechgate.re2_direct import found, search

STRONG_TYPES = ("street", "st", "avenue", "ave", "road", "rd", "lane", "ln", "drive", "dr", "boulevard",
                "blvd", "terrace", "crescent", "highway", "hwy", "parkway", "pkwy", "court", "ct", "strasse",
                "straße", "rue")
WEAK_TYPES = ("way", "place", "pl", "close", "square", "sq", "circle", "cir", "row", "mews", "grove",
              "gardens", "walk", "hill", "trail", "alley", "park", "green", "view")
DEFAULT_CUES = ("live", "lives", "living", "lived", "address", "moved", "move", "located", "house",
                "home", "flat", "apartment", "apt", "deliver", "delivery", "ship", "send", "mail", "post",
                "visit", "come to")
STOPWORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "from", "by", "with", "and", "or", "but",
    "down", "up", "along", "across", "over", "under", "into", "onto", "off", "out", "my", "your", "his",
    "her", "our", "their", "its", "this", "that", "these", "those", "is", "was", "are", "were", "be",
    "i", "you", "he", "she", "we", "they", "it", "me", "us", "them", "more", "other", "times", "time",
    "miles", "mile", "km", "kilometres", "kilometers", "metres", "meters", "feet", "yards", "minutes",
    "hours", "days", "weeks", "months", "years", "people", "cars", "blocks", "block", "houses", "lanes",
    "streets", "roads", "steps", "turns", "left", "right", "back", "just", "very", "so", "too", "then",
    "than", "some", "any", "all", "no", "not", "one", "two", "three", "as", "per", "percent", "degrees",
    "pounds", "dollars", "euros", "kg", "lbs", "mph", "kmh", "x",
})

_TYPES = "|".join(sorted(STRONG_TYPES + WEAK_TYPES, key=len, reverse=True))
_PATTERN = compile_re2(
    rf"(?i)(?:^|[^\pL\pN_./:-])([1-9]\d{{0,4}}[a-z]?,?\s+((?:[\pL][\pL'.-]*\s+){{1,3}}?)({_TYPES})\.?)(?:$|[^\pL\pN])"
)
_ANY_TYPE = compile_re2(rf"(?i)(?:^|[^\pL\pN])(?:{_TYPES})(?:$|[^\pL\pN])")
_NAME_WORD = compile_re2(r"[\pL][\pL'.-]*")


class _LazyPattern:
    """An ASCII stdlib pattern compiled on its first `search`."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, re.ASCII)
        return self._compiled.search(text)


_SPACE, _TOKEN = r"[\t\n\f\r ]+", r"[^\t\n\f\r ]+"  # RE2's \s and the runs between
#: the shape of every address `_PATTERN` finds, seen in the ASCII text before normalising: a
#: digit or number word (the house number, or its last spoken word), the rest of its token,
#: one to three tokens (the name words) and a token that starts with a street type. Normalising
#: rewrites number words only, so the name words and the type stay the tokens they were; a
#: text without this shape is skipped without normalising (tests/test_spoken_digit_bound.py).
#: Compiled on first use (about 1.4 ms): a one-file check may never reach it
_ASCII_SHAPE = _LazyPattern(
    rf"(?:[0-9]|(?<![A-Za-z])(?i:{NUMBER_WORD_TRIE})(?![A-Za-z]))[^\t\n\f\r ]*(?:{_SPACE}{_TOKEN}){{1,3}}?{_SPACE}"
    rf"(?i:{word_trie(sorted(STRONG_TYPES + WEAK_TYPES))})(?![A-Za-z])",
)


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterable[Match]]:
    cues = Cues(options.get("cues", DEFAULT_CUES), int(options.get("window", 40)))
    weak = frozenset(WEAK_TYPES)

    def detect(field: Field) -> list[Match] | tuple[()]:
        # a list, not a generator: most fields stop at the first tests
        text = field.text
        if text.isascii():
            # the shape needs a digit or a number word; the digit bound (memoised, and shared with
            # the spoken rules) rules out most texts first
            if not most_digits(text) or not _ASCII_SHAPE.search(text):
                return ()
        elif not found(_ANY_TYPE, text):
            return ()
        return list(_matches(field))

    def _matches(field: Field) -> Iterator[Match]:
        norm = normalise(field.text)
        pos = 0
        while (spans := search(_PATTERN, norm.text, pos)) is not None:
            (start, end), (names_start, names_end), (type_start, type_end) = spans[1:]
            pos = start + 1
            names = [w.lower().strip(".'") for w in _NAME_WORD.findall(norm.text[names_start:names_end])]
            if any(w in STOPWORDS for w in names):
                continue
            pos = end
            o_start, o_end = norm.to_original(start, end)
            n_start, n_end = norm.to_original(start, names_start)
            one_word = norm.has_spoken(start, names_start) and len(_NAME_WORD.findall(field.text[n_start:n_end])) == 1
            needs_cue = norm.text[type_start:type_end].lower() in weak or one_word  # "five might road" in word salad
            if needs_cue and not cues.near(field.text, o_start, o_end, field.name):
                continue
            value = " ".join(norm.text[start:end].lower().replace(",", " ").split())
            yield Match(o_start, o_end, value)

    # _ANY_TYPE with ASCII-sized boundaries (every address has its type; see _ASCII_SHAPE)
    detect.prefilter = rf"(?i)(?:^|{NOT_ALNUM})(?:{_TYPES})(?:$|{NOT_ALNUM})"  # type: ignore[attr-defined]
    return detect
