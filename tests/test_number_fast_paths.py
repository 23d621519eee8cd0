"""The phone, spoken-number and validator fast paths find exactly what the plain versions find.

Each fast path (stdlib patterns standing in for RE2 ones, the ASCII tokeniser of the spoken-form
normaliser, the order of the phone checks, the memoised phone validation) is compared with the
form it replaced on many generated strings, so a difference in any of them fails here.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable

import pytest
import re2

from speechgate import re2_direct, validators
from speechgate.detectors import phone, spoken
from speechgate.detectors.numbers import NUMBER_WORDS, to_chunks
from speechgate.model import Field, Match, Role

# the RE2 patterns the fast paths replaced, verbatim
RE2_WRITTEN = (
    r"(?:^|[^\w+:/@.,#-]|[.,:]\s)"
    r"(\+\d{7,15}|\d{8,15}|(?:\+|00)?(?:\d{1,4}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,8}(?:[ .-]\d{1,6}){0,5})"
)
RE2_SHAPES = {
    "_CORPUS_ID": r"^\d{1,4}[-_]\d{1,6}[-_]0[0-2]\d\d$",
    "_DATE": r"^(?:\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4})$",
    "_DECIMAL": r"^\d+\.\d+$",
    "_VERSIONISH": r"^\d{1,4}(?:\.\d{1,3}){2,}$",
}
RE2_LIST_BEFORE = r"(?:^|\s)-?\d+[ \t]$"
RE2_LIST_AFTER = r"^[ \t]-?\d+(?:$|\s)"

# digits, every separator the patterns know, word characters, RE2-vs-stdlib whitespace (\v is
# space only to the stdlib) and non-ASCII digits, letters and marks
ALPHABET = list("0123456789") * 4 + list(" .-()+:/@,#_a\t\n\v\f\r") + ["\u0661", "\u00b2", "\u00e9", "\u0301"]


def _strings(seed: int, count: int, alphabet: list[str], longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, longest))) for _ in range(count)]


def test_written_candidates_are_the_re2_candidates() -> None:
    reference = re2.compile(RE2_WRITTEN)
    for text in [*_strings(1, 4000, ALPHABET, 60), "call (212) 456-7890, or +44 20 7946 0958.", "a: 0049 30 901820"]:
        ours = [(m.span(1), m.group(1)) for m in phone._WRITTEN.finditer(text)]
        theirs = [(m.span(1), m.group(1)) for m in reference.finditer(text)]
        assert ours == theirs, repr(text)


def test_written_candidates_scanned_from_the_first_opener_are_those_scanned_from_the_start() -> None:
    def from_start(text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group(1)) for m in phone._WRITTEN.finditer(text)]

    def from_opener(text: str) -> list[tuple[int, int, str]]:
        opener = phone._OPENER.search(text)
        start = 0 if opener is None else max(0, opener.start() - 2)
        return [(m.start(), m.end(), m.group(1)) for m in phone._WRITTEN.finditer(text, start)]

    letters = ALPHABET + list("abcxyz ") * 6
    texts = [*_strings(11, 4000, letters, 60), "call (212) 456-7890", "a: 0049 30 901820", "x. +44 20 7946 0958"]
    matched = 0
    for text in texts:
        assert from_opener(text) == from_start(text), repr(text)
        matched += bool(from_start(text))
    assert matched > 1000
    assert list(phone._written("no digits here")) == []


@pytest.mark.parametrize("name", sorted(RE2_SHAPES))
def test_candidate_shapes_are_the_re2_shapes(name: str) -> None:
    reference = re2.compile(RE2_SHAPES[name])
    ours = getattr(phone, name)
    shapes = list("0123456789") * 3 + list(".-_ /")
    samples = [*_strings(2, 3000, shapes, 16), "1089-134686-0000", "2021-11-25", "0.538625", "10.15.7", "25.11.2021"]
    for text in samples:
        assert bool(ours.fullmatch(text)) == bool(reference.search(text)), repr(text)


def test_number_list_context_is_the_re2_context() -> None:
    before, after = re2.compile(RE2_LIST_BEFORE), re2.compile(RE2_LIST_AFTER)
    for text in _strings(3, 4000, ALPHABET, 14):
        assert bool(phone._LIST_BEFORE.search(text)) == bool(before.search(text)), repr(text)
        assert bool(phone._LIST_AFTER.match(text)) == bool(after.search(text)), repr(text)


def _counting_pairwise(digits: str) -> bool:
    """The digit-pair loop `phone._counting` replaced."""
    if len(set(digits)) == 1:
        return True
    run = best = 1
    for a, b in itertools.pairwise(digits):
        run = run + 1 if abs(int(b) - int(a)) == 1 else 1
        best = max(best, run)
    return best >= 7 or best == len(digits)


def test_counting_is_the_pairwise_count() -> None:
    rng = random.Random(5)
    samples = ["1234567", "7654321", "1212121", "5550123", "0123456789", "9876543210", "4155552671"]
    for _ in range(20000):
        digits = rng.choice(["0123456789", "45678", "3210", "12"])
        samples.append("".join(rng.choices(digits, k=rng.randint(1, 16))))
    for digits in samples:
        assert phone._counting(digits) == _counting_pairwise(digits), digits


def test_a_lone_decimal_never_holds_a_written_candidate_accept_would_take() -> None:
    """`detect` skips a text that is one decimal number; every candidate such a text has is the
    whole text, which `accept` turns down as a decimal."""
    rng = random.Random(6)
    for _ in range(20000):
        text = "".join(rng.choices("0123456789", k=rng.randint(1, 18))) + "." + \
            "".join(rng.choices("0123456789", k=rng.randint(1, 18)))
        assert phone._DECIMAL.fullmatch(text)
        for _start, _end, candidate, _digits in phone._written(text):
            assert candidate == text, text
    assert _hits(phone.build({}), "4155552671.25", name="phone") == []


def _spoken_texts(seed: int, count: int) -> list[str]:
    """ASCII lines mixing number words in any case with other words, digits and the characters
    that decide token and run edges (apostrophes, underscores, hyphens, commas)."""
    rng = random.Random(seed)
    words = [*sorted(NUMBER_WORDS | spoken._SOFT), "call", "me", "seventh", "ones", "oh's", "tenor", "x", "a", "i"]
    pieces = [*words, "4", "12", "555", "12345", "0"]
    glue = [" ", " ", " ", "  ", ", ", "-", "'", "_", ".", "(", ") ", "\t", " - ", "!", "'s ", ",,,, "]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            word = rng.choice(pieces)
            word = rng.choice([word, word.upper(), word.title(), word[:1] + word[1:].upper()])
            parts.append(word + rng.choice(glue))
        out.append(rng.choice(["", "'", " ", "_"]) + "".join(parts))
    return out


def test_ascii_tokeniser_finds_the_same_runs_as_the_general_one() -> None:
    for text in [*_spoken_texts(4, 3000), "five five five oh one two three", "4 1 5 5 5 5 2 6 7 1.", "o'one two"]:
        assert text.isascii()
        assert spoken._runs_of(text, spoken._ASCII_CANDIDATE) == spoken._runs_of(text, spoken._WORDS), repr(text)


def test_ascii_pre_check_is_the_re2_pre_check() -> None:
    digits = list("0123456789") * 3 + list(" \t,-\n\v\f\r_a'")
    rng = random.Random(9)
    edges = [" ", "\t", "\n", "\v", "\f", "\r", "a", "_", "-", ",", "'", "", "5"]
    seps = [" ", "  ", ", ", "-", "\v", "_"]
    spaced = [rng.choice(edges) + "".join(rng.choice(seps) + rng.choice("0123456789") for _ in range(rng.randint(5, 8)))
              + rng.choice(edges) for _ in range(4000)]
    texts = [*_spoken_texts(7, 3000), *_strings(8, 4000, digits, 30), *spaced, "'one'", "one's", "x 1 2 3 4 5 6 7"]
    for text in texts:
        assert text.isascii()
        ours = bool(spoken._ASCII_NUMBER_WORD.search(text)), bool(spoken._ASCII_SPACED_DIGITS.search(text))
        theirs = bool(spoken._ANY_NUMBER_WORD.search(text)), bool(spoken._ANY_SPACED_DIGITS.search(text))
        assert ours == theirs, repr(text)


def test_planned_runs_are_the_split_and_chunked_runs() -> None:
    """normalise rewrites each raw run by its memoised plan; the plan is `_split` then `to_chunks`."""
    for text in _spoken_texts(13, 1500):
        planned = []
        for run in spoken._raw_runs(text):
            for first, last, chunks in spoken._plan(tuple(t.word for t in run)):
                planned.append((run[first:last + 1], [(c, run[i].start, run[j].end) for c, i, j in chunks]))
        direct = [(piece, [(c.text, c.start, c.end) for c in to_chunks(piece)]) for piece in spoken._runs(text)]
        assert planned == direct, repr(text)


def test_non_ascii_text_takes_the_general_tokeniser() -> None:
    text = "n\u00famero nine one seven double two three four five six seven"
    assert spoken.normalise(text).text == "n\u00famero 9172234567"


def _hits(detect: Callable[[Field], Iterable[Match]], text: str, name: str | None = None) -> list[str]:
    return [m.value for m in detect(Field(text, Role.TEXT, {}, name=name))]


def test_local_shapes_count_with_a_cue_whatever_their_plan_says() -> None:
    """The cue test runs before parsing for local shapes; the outcome is the documented one."""
    detect = phone.build({})
    assert validators.phone_region("555 813 4967") is None  # 555 is not a US area code
    assert _hits(detect, "see 555 813 4967 below") == []
    assert _hits(detect, "call me on 555 813 4967") == ["555 813 4967"]
    assert _hits(detect, "call the account 555 813 4967") == []  # anti-cue
    assert _hits(detect, "see 212 456 7890 below") == ["212 456 7890"]  # a valid plan needs no cue
    assert _hits(phone.build({"spoken": True}), "see five five five eight one three four nine six seven") == [
        "5558134967"]  # read digit by digit
    assert validators.phone_region("03-1456208") is None  # Israeli: a plan tried only on a cue
    assert _hits(detect, "my number is 03-1456208") == ["03-1456208"]
    assert _hits(detect, "see 03-1456208 below") == []
    assert _hits(detect, "see 03-1456208 below, my account") == []


def test_phone_region_memo_keys_on_digits_and_plus() -> None:
    validators._region_of.cache_clear()
    assert validators.phone_region("+44 20 7946 0958") == "GB"
    assert validators.phone_region("44 20 7946 0958") is None  # same digits, no "+": a US-plan number
    assert validators.phone_region("0044 20 7946 0958") == "GB"
    assert validators.phone_region("020 7946 0958") == "GB"
    assert validators.phone_region("020 7946 0958", ("DE",)) is None
    assert validators.phone_region("(212) 456-7890") == validators.phone_region("212.456.7890") == "US"


@pytest.mark.parametrize("pattern", [
    r"(?i)(?:^|[^\pL\pN])(?:call|phone number)(?:$|[^\pL\pN])",  # a cue alternation
    r"(?:^|\D)(\d{3,5})(?:$|\D)",  # a contextual pattern with a value group
    r"(a)(b)?c|(x)",  # groups that take no part
    r"b*",  # empty matches: the wrapper steps one character past each
    r"^\d|\d$",
])
@pytest.mark.parametrize("direct", [True, False], ids=["extension", "fallback"])
def test_direct_re2_calls_are_the_wrapper_calls(pattern: str, direct: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    assert re2_direct._DIRECT, "the installed google-re2 no longer exposes its extension objects"
    monkeypatch.setattr(re2_direct, "_DIRECT", direct)
    monkeypatch.setattr(re2_direct, "_TESTS", {})  # found()'s tests are built per regex, on first use
    regex = re2.compile(pattern)
    alphabet = [*"abcx0123456789 _-", "\n", "call", "CALL", "phone  number", "\u00e9", "\u0661", "\U0001f600"]
    for text in _strings(10, 3000, alphabet, 12):
        assert re2_direct.found(regex, text) == (regex.search(text) is not None), repr(text)
        wrapper = [[m.span(i) for i in range(regex.groups + 1)] for m in regex.finditer(text)]
        assert list(re2_direct.finditer(regex, text)) == wrapper, repr(text)
        for pos in (0, 1, 3, len(text), len(text) + 2):
            m = regex.search(text, pos)
            expected = None if m is None else [m.span(i) for i in range(regex.groups + 1)]
            assert re2_direct.search(regex, text, pos) == expected, (repr(text), pos)


def _per_character(text: str) -> tuple[str, list[int], list[int], list[bool]]:
    """The per-character tables the normaliser kept before its pieces: normalised text, then
    per character its original start and end and whether it came from number words."""
    out, starts, ends, said = [], [], [], []
    pos = 0
    for run in spoken._runs(text):
        gap = text[pos:run[0].start]
        out.append(gap)
        starts += range(pos, run[0].start)
        ends += range(pos + 1, run[0].start + 1)
        said += [False] * len(gap)
        for chunk in to_chunks(run):
            out.append(chunk.text)
            starts += [chunk.start] * len(chunk.text)
            ends += [chunk.end] * len(chunk.text)
            said += [True] * len(chunk.text)
        pos = run[-1].end
    out.append(text[pos:])
    starts += range(pos, len(text))
    ends += range(pos + 1, len(text) + 1)
    said += [False] * (len(text) - pos)
    return "".join(out), starts, ends, said


def test_pieces_map_back_like_the_per_character_tables() -> None:
    rng = random.Random(11)
    texts = [*_spoken_texts(12, 1500), "my number is 4 1 5 5 5 5 2 6 7 1.", "call five five five oh one two three now",
             "n\u00famero nine one seven double two three four five six seven", "twenty first of may"]
    rewritten = 0
    for text in texts:
        norm = spoken.normalise(text)
        normalised, starts, ends, said = _per_character(text)
        if norm.pieces is None:
            assert norm.text == text
            continue
        rewritten += 1
        assert norm.text == normalised, repr(text)
        n = len(normalised)
        spans = [(s, e) for s in range(n) for e in range(s + 1, n + 1)] if n <= 40 else \
            [(s, rng.randint(s + 1, n)) for s in (rng.randrange(n) for _ in range(400))]
        for s, e in spans:
            assert norm.to_original(s, e) == (starts[s], ends[e - 1]), (repr(text), s, e)
            assert norm.has_spoken(s, e) == any(said[s:e]), (repr(text), s, e)
    assert rewritten > 1000


def test_found_falls_back_to_a_search_when_a_set_turns_the_pattern_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise re2.error("refused")

    monkeypatch.setattr(re2_direct, "_TESTS", {})
    monkeypatch.setattr(re2.Set, "SearchSet", staticmethod(refuse))
    regex = re2.compile(r"(?i)(?:^|[^\pL\pN])(?:call|phone number)(?:$|[^\pL\pN])")
    for text in ("please call me", "recall", "PHONE NUMBER", "", "phone  numbers"):
        assert re2_direct.found(regex, text) == (regex.search(text) is not None), text
