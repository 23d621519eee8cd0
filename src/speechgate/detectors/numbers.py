"""Number words to digits, the way people read out phone, card and house numbers.

In: a run of word tokens (lower-cased text with its original span). Out: digit chunks, each
with the span of the words it came from.

Why not text2num's `alpha2digit` (checked with text2num 3.1.0): it returns a new string with
no map back to the words, so a finding could not point at the original line and column; and
it does not read the phone conventions: "five five five oh one two three" becomes
"5 5 5 oh 1 2 3", "double two" stays "double 2", "nineteen eighty" becomes "19 80". The
grammar needed here is small (units, teens, tens, hundred, thousand, ordinals, oh,
double/triple), so it lives in this table-driven module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UNITS = {"zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0, "nil": 0, "one": 1, "two": 2,
         "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
            "nineteenth": 19, "twentieth": 20, "thirtieth": 30}
REPEATS = {"double": 2, "triple": 3}
SCALES = {"hundred": 100, "thousand": 1000}
ZERO_LETTERS = frozenset({"oh", "o"})
JOINERS = frozenset({"and"})

#: every word that can be part of a spoken number (besides plain digit tokens)
NUMBER_WORDS = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS) | frozenset(ORDINALS) | \
    frozenset(REPEATS) | frozenset(SCALES) | {"plus"}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the run: its lower-cased text and span in the original string."""

    word: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """Digits (or "+", or an ordinal like "4th") produced from the words at [start, end)."""

    text: str
    start: int
    end: int


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


class _Reader:
    """Recursive-descent reader over one run of tokens."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.t[j].word if j < len(self.t) else ""

    def small(self) -> int | None:
        """A value below 100 spoken as unit, teen, tens or tens+unit; consumes it."""
        w = self.peek()
        if w in UNITS and w not in ZERO_LETTERS and w != "zero":
            self.i += 1
            return UNITS[w]
        if w in TEENS:
            self.i += 1
            return TEENS[w]
        if w in TENS:
            self.i += 1
            nxt = self.peek()
            if nxt in UNITS and UNITS[nxt] > 0:
                self.i += 1
                return TENS[w] + UNITS[nxt]
            return TENS[w]
        return None

    def scaled(self, value: int) -> int:
        """Apply "hundred"/"thousand" (and an "and" + remainder) following a small value."""
        while self.peek() in SCALES and value < SCALES[self.peek()] * 10:
            value *= SCALES[self.peek()]
            self.i += 1
            save = self.i
            if self.peek() in JOINERS:
                self.i += 1
            rest_start = self.i
            rest = self.small()
            if rest is not None and self.peek() in SCALES and SCALES[self.peek()] == 100 < value:
                rest = self.scaled(rest)
            if rest is None:
                self.i = save
                break
            if rest_start == self.i:
                break
            value += rest
        return value

    def chunks(self) -> list[Chunk]:
        out: list[Chunk] = []
        while self.i < len(self.t):
            tok = self.t[self.i]
            w = tok.word
            begin = self.i
            if w.isdigit():
                self.i += 1
                out.append(Chunk(w, tok.start, tok.end))
                continue
            if w == "plus":
                self.i += 1
                out.append(Chunk("+", tok.start, tok.end))
                continue
            if w in REPEATS and self.peek(1) in UNITS:
                self.i += 2
                out.append(Chunk(str(UNITS[self.peek(-1)]) * REPEATS[w], tok.start, self.t[self.i - 1].end))
                continue
            if w in ORDINALS:
                self.i += 1
                n = ORDINALS[w]
                out.append(Chunk(f"{n}{_suffix(n)} ", tok.start, tok.end))
                continue
            if w in TENS and self.peek(1) in ORDINALS and ORDINALS[self.peek(1)] < 10:
                self.i += 2
                n = TENS[w] + ORDINALS[self.peek(-1)]
                out.append(Chunk(f"{n}{_suffix(n)} ", tok.start, self.t[self.i - 1].end))
                continue
            if w in UNITS and (w in ZERO_LETTERS or w == "zero"):
                self.i += 1
                out.append(Chunk("0", tok.start, tok.end))
                continue
            value = self.small()
            if value is None:  # a stray "and", "double" without a digit, a scale word alone: keep the word
                self.i += 1
                out.append(Chunk(f" {w} ", tok.start, tok.end))
                continue
            value = self.scaled(value)
            out.append(Chunk(str(value), tok.start, self.t[max(begin, self.i - 1)].end))
        return out


def to_chunks(tokens: Sequence[Token]) -> list[Chunk]:
    """Digits for a run of number tokens: "nine one seven double two" -> 9,1,7,22."""
    return _Reader(tokens).chunks()
