"""Spoken-form normaliser: number words become digits, with a map back to the original words.

In: field text as an ASR system or a transcriber wrote it, in any case ("five five five oh
one two three", "NINE ONE SEVEN DOUBLE TWO", "born on the fourth of july nineteen eighty").
Out: a `Normalised` text ("5550123", "91722", "born on the 4th of july 1980") whose every
character knows the span of the original word it came from, so detectors can match the
normalised form and report the original line and column.

Runs are maximal sequences of number words (and short digit tokens standing alone) joined
by spaces, commas or hyphens; a run is rewritten as its digits with the spaces dropped. A run
of seven or more single-digit tokens ("4 1 5 5 5 5 2 6 7 1", as some ASR systems write a
number read out) counts as spoken too. Text
outside runs is copied unchanged. "oh"/"o" count as zero only next to another number word,
and "and" only right after "hundred"/"thousand", so "oh well" and "two and three" stay apart.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import re2

from speechgate.detectors.numbers import (
    JOINERS,
    NUMBER_WORDS,
    ORDINALS,
    REPEATS,
    SCALES,
    TEENS,
    TENS,
    UNITS,
    ZERO_LETTERS,
    Token,
    to_chunks,
)
from speechgate.detectors.prefilters import NOT_ALNUM_APOSTROPHE
from speechgate.detectors.regex import longest_first

# Tokenising walks every word of a line; the stdlib engine is several times faster than the RE2
# wrapper for many small matches, and this fixed pattern cannot backtrack.
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ANY_NUMBER_WORD = re2.compile(
    r"(?i)(?:^|[^\pL\pN'])(?:" + "|".join(sorted(NUMBER_WORDS - {"plus"}, key=longest_first))
    + r")(?:$|[^\pL\pN'])"
)
_ANY_SPACED_DIGITS = re2.compile(r"(?:^|\s)\d(?:[ \t,-]{1,3}\d){6}(?:$|\s)")
_RUN_GAP = re.compile(r"[ \t,-]{1,3}")
SPACED_DIGITS = 7
_SOFT = ZERO_LETTERS | JOINERS | frozenset(REPEATS) | frozenset(SCALES) | {"plus"}
_NOT_LAST = JOINERS | frozenset(REPEATS) | {"plus"}  # trimmed from the end of a run
_NOT_FIRST = JOINERS | ZERO_LETTERS  # trimmed from the start unless a number follows


def word_trie(words: list[str]) -> str:
    """An alternation of `words` as a prefix tree ("t(?:en|wo)"): the stdlib engine tries one
    branch per letter instead of every word at every position."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(tree)


# On ASCII text `_WORDS` tokens are [A-Za-z0-9]+ joined by apostrophes, so this pattern finds
# exactly the tokens `_eligible` can accept (number words in any case, digit groups), each a
# whole token: not after a letter, digit or letter-apostrophe, not before a letter, digit or
# apostrophe-letter. `_runs` then skips the Python work for every other word. The ASCII patterns
# here are compared with their general forms in tests/test_number_fast_paths.py.
#: every word `normalise` can read as (part of) a number, as a stdlib-re prefix tree
NUMBER_WORD_TRIE = word_trie(sorted(NUMBER_WORDS | _SOFT))
_ASCII_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]')(?:(?i:" + NUMBER_WORD_TRIE + r")|[0-9]+)"
    r"(?![A-Za-z0-9]|'[A-Za-z0-9])",
    re.ASCII,
)
# `_ANY_NUMBER_WORD` and `_ANY_SPACED_DIGITS` for ASCII text (there \pL\pN is [A-Za-z0-9] and RE2's
# \s is [\t\n\f\r ]) with the stdlib engine, which skips the RE2 wrapper's per-call cost
_ASCII_NUMBER_WORD = re.compile(
    r"(?<![A-Za-z0-9'])(?i:" + word_trie(sorted(NUMBER_WORDS - {"plus"})) + r")(?![A-Za-z0-9'])", re.ASCII
)
_ASCII_SPACED_DIGITS = re.compile(r"(?<![^\t\n\f\r ])[0-9](?:[ \t,-]{1,3}[0-9]){6}(?![^\t\n\f\r ])")
#: RE2 pattern found in every text `normalise` rewrites (a number word or a spaced digit run);
#: detectors use it as their engine prefilter
SPOKEN_PREFILTER = (
    rf"(?i)(?:^|{NOT_ALNUM_APOSTROPHE})(?:" + "|".join(sorted(NUMBER_WORDS - {"plus"}, key=longest_first))
    + rf")(?:$|{NOT_ALNUM_APOSTROPHE})|(?:{_ANY_SPACED_DIGITS.pattern})"
)


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text plus its map back to the original, piece by piece.

    `pieces` cover `text` in order, none empty: (start, end) in `text`, then the start and end
    in `original` of the words a rewritten piece came from, or (start, -1) for text copied
    unchanged, whose characters map one to one. None: identity (nothing was rewritten).
    A few pieces per text instead of a table per character: most texts have one or two runs.
    """

    original: str
    text: str
    pieces: tuple[tuple[int, int, int, int], ...] | None = None
    piece_starts: tuple[int, ...] = ()  # each piece's start in `text`, for bisect

    def _piece(self, i: int) -> tuple[int, int, int, int]:
        return self.pieces[bisect_right(self.piece_starts, i) - 1]  # type: ignore[index]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `text` to the span of the words it came from in `original`."""
        if self.pieces is None:
            return start, end
        at, _, o_start, o_end = self._piece(start)
        first = o_start + start - at if o_end < 0 else o_start
        at, _, o_start, o_end = self._piece(end - 1)
        return first, (o_start + end - at if o_end < 0 else o_end)

    def has_spoken(self, start: int, end: int) -> bool:
        """True when any character in the span came from number words."""
        if self.pieces is None or start >= end:
            return False
        k = bisect_right(self.piece_starts, start) - 1
        while k < len(self.pieces) and self.pieces[k][0] < end:
            if self.pieces[k][3] >= 0:
                return True
            k += 1
        return False


def _eligible(text: str, word: str, start: int, end: int) -> bool:
    if word.isdigit():  # a short digit group standing alone: "555 one two three four"
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if after in ".,;:!?)" and not text[end + 1:end + 2].strip():
            after = " "  # sentence punctuation after the last digit: "... 6 7 1."
        return len(word) <= 4 and (before.isspace() or before == "(") and after.isspace()
    return word in NUMBER_WORDS or word in _SOFT


def _runs(text: str) -> list[list[Token]]:
    """Runs of number tokens in `text`, split and trimmed by `_split`."""
    return [piece for run in _raw_runs(text) for piece in _split(run)]


def _raw_runs(text: str) -> list[list[Token]]:
    """Maximal runs of eligible tokens joined by `_RUN_GAP`, before `_split`."""
    return _runs_of(text, _ASCII_CANDIDATE if text.isascii() else _WORDS)


def _runs_of(text: str, tokens: re.Pattern[str]) -> list[list[Token]]:
    """`_raw_runs` over the tokens `tokens` finds: every `_WORDS` token, or a subset holding every
    eligible one (a skipped word still ends a run, since the gap before the next token then
    holds letters or digits)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for m in tokens.finditer(text):
        start, end = m.span()
        word = m.group().lower()
        if not _eligible(text, word, start, end):
            if current:
                runs.append(current)
            current = []
            continue
        if current and not _RUN_GAP.fullmatch(text, current[-1].end, start):
            runs.append(current)
            current = []
        current.append(Token(word, start, end))
    if current:
        runs.append(current)
    return runs


def _split(run: list[Token]) -> list[list[Token]]:
    """Cut a run at an "and" not after a scale word; trim soft words at the edges."""
    pieces: list[list[Token]] = [[]]
    for i, tok in enumerate(run):
        if tok.word in JOINERS and (i == 0 or run[i - 1].word not in SCALES):
            pieces.append([])
            continue
        pieces[-1].append(tok)
    out = []
    for piece in pieces:
        while piece and piece[-1].word in _NOT_LAST:
            piece.pop()
        while piece and piece[0].word in _NOT_FIRST and not _has_next_number(piece):
            piece.pop(0)
        if any(t.word not in _SOFT and not t.word.isdigit() for t in piece) or _spaced_digits(piece):
            out.append(piece)
    return out


def _spaced_digits(piece: list[Token]) -> bool:
    """ASR output that writes a read-out number digit by digit: "4 1 5 5 5 5 2 6 7 1"."""
    return len(piece) >= SPACED_DIGITS and all(t.word.isdigit() and len(t.word) == 1 for t in piece)


def _has_next_number(piece: list[Token]) -> bool:
    return len(piece) > 1 and piece[1].word not in JOINERS


@lru_cache(maxsize=1024)  # most runs are a few common words ("one", "twenty five"): plan each once
def _plan(words: tuple[str, ...]) -> tuple[tuple[int, int, tuple[tuple[str, int, int], ...]], ...]:
    """How a raw run of `words` is rewritten, by word index: for each piece `_split` keeps, its
    first and last word and its chunks as (text, first word, last word). `_split` and
    `to_chunks` read only the words, so tokens whose span is their index stand in for the run."""
    tokens = [Token(word, i, i + 1) for i, word in enumerate(words)]
    return tuple(
        (piece[0].start, piece[-1].start, tuple((chunk.text, chunk.start, chunk.end - 1) for chunk in to_chunks(piece)))
        for piece in _split(tokens)
    )


# the most digits each number word can turn into in `normalise` (numbers.to_chunks): a unit 1; a
# teen, tens or ordinal 2 ("twenty one", "21st"); "double"/"triple" adds at most two copies of
# the unit after it; a scale multiplies by 100 or 1000 (at most its zeros, plus one for a scale
# word standing alone). A sum of numbers has at most as many digits as its parts together.
_MOST_DIGITS = {
    **{w.encode(): 1 for w in UNITS}, **{w.encode(): 2 for w in (*TEENS, *TENS, *ORDINALS, *REPEATS)},
    **{w.encode(): len(str(v)) for w, v in SCALES.items()},
}
# after lower(): a-z and 0-9 kept, every other byte a space. Every token `normalise` can read is
# a whole word of the result (its edges are never a letter or digit); the result may hold more
_ALNUM_WORDS = bytes(b if ord("a") <= b <= ord("z") or ord("0") <= b <= ord("9") else ord(" ") for b in range(256))
_DIGITS = b"0123456789"


@lru_cache(maxsize=256)  # the spoken phone, card and SSN rules ask about the same text in turn
def most_digits(text: str) -> int:
    """For ASCII `text`: at least as many digits as `normalise(text).text` holds, without
    normalising (its digits and the most each number word can add). A detector that needs
    N digits in a row skips a text whose bound is below N."""
    data = text.lower().encode("ascii")
    digits = len(data) - len(data.translate(None, _DIGITS))
    words = data.translate(_ALNUM_WORDS).split()
    return digits + sum(map(_MOST_DIGITS.get, words, repeat(0, len(words))))


@lru_cache(maxsize=512)
def normalise(text: str) -> Normalised:
    """Rewrite spoken numbers in `text` as digits; identity when there are none."""
    if text.isascii():
        if not _ASCII_NUMBER_WORD.search(text) and not _ASCII_SPACED_DIGITS.search(text):
            return Normalised(text, text)
    elif not _ANY_NUMBER_WORD.search(text) and not _ANY_SPACED_DIGITS.search(text):
        return Normalised(text, text)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    pos = at = 0  # where the next piece starts in `text` and in the output
    for run in _raw_runs(text):
        for first, last, chunks in _plan(tuple(token.word for token in run)):
            if run[first].start > pos:  # text between runs, copied
                out.append(text[pos:run[first].start])
                pieces.append((at, at + run[first].start - pos, pos, -1))
                at += run[first].start - pos
            for chunk, i, j in chunks:
                if chunk:
                    out.append(chunk)
                    pieces.append((at, at + len(chunk), run[i].start, run[j].end))
                    at += len(chunk)
            pos = run[last].end
    if len(text) > pos:
        out.append(text[pos:])
        pieces.append((at, at + len(text) - pos, pos, -1))
    normalised = "".join(out)
    if normalised == text:
        return Normalised(text, text)
    return Normalised(text, normalised, tuple(pieces), tuple(p[0] for p in pieces))
