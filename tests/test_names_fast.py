"""The fast name walk (ASCII word pattern, candidate words only, lazy spans, exact skip of
lines without a name-starting word, byte-count is_cased) gives exactly what a straightforward
walk over every word gives. The reference below is the plain walk the module used before:
one object per word, every word checked, no pre-check. Texts are random mixes of invented
words, census names, cue words and punctuation (fixed seeds); none is a real person's record."""

from __future__ import annotations

import random
import re

import pytest

from speechgate.detectors import names
from speechgate.detectors.names import (
    _AFTER_CUES,
    _CUES,
    _NEVER,
    _PREFIX,
    _STRONG_CUES,
    _TITLES,
    _TOKEN,
    _WEAK_CUES,
    AMBIGUOUS_PAIR_RANK,
    COMMON_WORDS,
    CUE_DELTA,
    MAX_SURNAME_RANK,
    SINGLE_CASED_DELTA,
    SINGLE_CASELESS_DELTA,
    TOP_FIRST_RANK,
    find_in_text,
    gazetteer,
    is_cased,
)


class _Tok:
    def __init__(self, start: int, word: str) -> None:
        low = word.lower()
        if "'" in word or "’" in word:
            for suffix in ("'s", "’s", "'", "’"):
                if low.endswith(suffix) and len(word) > len(suffix):
                    word = word[: -len(suffix)]
                    low = word.lower()
                    break
        self.start, self.end, self.word, self.low = start, start + len(word), word, low
        self.capitalised = word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _ref_is_cased(text: str) -> bool:
    if text.islower() or text.isupper():
        return False
    upper = sum(map(str.isupper, text))
    return 0 < upper < 0.6 * sum(map(str.isalpha, text))


def _ref_find(text: str) -> list[tuple[int, int, float]]:
    g = gazetteer()
    cased = _ref_is_cased(text)
    toks = [_Tok(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int, float]] = []
    taken: set[int] = set()

    def is_first(t: _Tok, loose: bool) -> bool:
        if t.low in g.first:
            return not cased or t.capitalised
        if t.low in g.ambiguous:
            return (cased and t.capitalised and loose) or (not cased and loose and t.low not in _NEVER)
        return False

    def is_last(t: _Tok) -> bool:
        return (not cased or t.capitalised) and (t.low in g.last or (t.low in g.first and t.low not in COMMON_WORDS))

    def cue_at(i: int, cues: tuple[tuple[str, ...], ...]) -> int:
        for cue in cues:
            n = len(cue)
            if i >= n and [t.low for t in toks[i - n:i]] == list(cue):
                return n
        return 0

    def name_after(i: int, strong: bool) -> int:
        if i >= len(toks) or toks[i].low in _NEVER:
            return 0
        t = toks[i]
        ok = is_first(t, True) or is_last(t) or (cased and t.capitalised and t.low not in COMMON_WORDS)
        if strong and not ok:
            ok = t.low not in COMMON_WORDS and len(t.low) > 1 and (not cased or t.capitalised)
        if not ok:
            return 0
        n = 1
        while i + n < len(toks) and n < 3 and is_last(toks[i + n]) and toks[i + n].low not in _NEVER:
            n += 1
        return n

    def emit(i: int, n: int, delta: float) -> None:
        if not any(k in taken for k in range(i, i + n)):
            taken.update(range(i, i + n))
            out.append((toks[i].start, toks[i + n - 1].end, delta))

    m = _PREFIX.search(text)
    if m is not None:
        prefix = [t for t in toks if t.end <= m.end(1)]
        if prefix and (prefix[0].low in _TITLES or any(
                t.low in g.first or (t.low in g.ambiguous and t.low not in _NEVER) for t in prefix)):
            emit(0, len(prefix), CUE_DELTA)
    for i, t in enumerate(toks):
        if i in taken:
            continue
        strong = cue_at(i, _STRONG_CUES) > 0 or (i > 0 and toks[i - 1].low in _TITLES)
        if strong or cue_at(i, _CUES):
            n = name_after(i, strong)
            if n and (strong or n > 1 or t.low in g.first or t.low in g.ambiguous or (cased and t.capitalised)):
                emit(i, n, CUE_DELTA)
                continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.low in _AFTER_CUES and is_first(t, True) and (
                i == 0 or text[toks[i - 1].end:t.start].strip() in {",", ".", "!", "?", "-"}):
            emit(i, 1, CUE_DELTA)
            continue
        pair = (not cased and t.low in g.ambiguous and nxt is not None and len(t.low) > 2
                and g.last.get(nxt.low, MAX_SURNAME_RANK + 1) <= AMBIGUOUS_PAIR_RANK and nxt.low not in COMMON_WORDS)
        if not (is_first(t, cased) or pair):
            continue
        n = 1
        while i + n < len(toks) and n < 3:
            gap = text[toks[i + n - 1].end:toks[i + n].start]
            if not (len(gap) <= 3 and gap.strip(" .") == ""):
                break
            if not (is_last(toks[i + n]) or (len(toks[i + n].low) == 1 and n == 1)):
                break
            n += 1
        if n > 1 and len(toks[i + n - 1].low) > 1:
            emit(i, n, 0.0)
        elif cased and t.low in g.first and i > 0 and text[:t.start].rstrip()[-1:] not in {".", "!", "?", ""}:
            emit(i, 1, SINGLE_CASED_DELTA)
        elif t.low in g.first and cue_at(i, _WEAK_CUES):
            emit(i, 1, 0.0)
        elif not cased and g.first.get(t.low, 10**6) <= TOP_FIRST_RANK:
            emit(i, 1, SINGLE_CASELESS_DELTA)
    return out


def _vocabulary(rnd: random.Random) -> list[str]:
    g = gazetteer()
    firsts = sorted(g.first)
    lasts = sorted(g.last)
    cue_words = sorted({w for cue in (*_STRONG_CUES, *_CUES, *_WEAK_CUES) for w in cue} | _TITLES | _AFTER_CUES)
    invented = ["Zorblax", "qua", "Velmorn", "xx", "B", "j", "Ana-Lu", "O'Dree", "D'Arvo", "tnx"]
    unicode_words = ["José", "ÉMILE", "Zoë", "İlker", "ΟΔΟΣ", "straße", "Ⅻ", "²nd", "ﬁnn", "Mañana"]
    return (rnd.sample(firsts, 60) + rnd.sample(sorted(g.ambiguous), 30) + rnd.sample(lasts, 60)
            + rnd.sample(sorted(COMMON_WORDS), 40) + cue_words * 2 + invented + unicode_words
            + [" ".join(cue) for cue in (*_STRONG_CUES, *_CUES, *_WEAK_CUES)] * 3  # whole cue phrases
            + ["Smith", "Jones", "Mark", "Will", "Rose", "Johnson"])


_SEPARATORS = [" "] * 12 + [", ", ". ", "! ", "? ", " - ", "  ", "\t", ": ", ".", " . ", "; ", "\n", " 42 ", "_"]
_SUFFIXES = [""] * 12 + ["'s", "'S", "’s", "'", "’", "'ll"]


def _random_text(rnd: random.Random, vocabulary: list[str]) -> str:
    parts = []
    if rnd.random() < 0.15:
        parts.append(rnd.choice(["", " ", "\t"]) + " ".join(rnd.sample(vocabulary, rnd.randrange(1, 4))) + ": ")
    for _ in range(rnd.randrange(0, 14)):
        parts.append(rnd.choice(vocabulary) + rnd.choice(_SUFFIXES) + rnd.choice(_SEPARATORS))
    text = "".join(parts)
    style = rnd.random()
    if style < 0.25:
        return text.lower()
    if style < 0.4:
        return text.upper()
    if style < 0.5:
        return "".join(c.upper() if rnd.random() < 0.3 else c for c in text)
    return text


@pytest.mark.parametrize("seed", range(4))
def test_fast_walk_equals_the_plain_walk_on_random_text(seed: int) -> None:
    rnd = random.Random(seed)
    vocabulary = _vocabulary(rnd)
    found = 0
    for _ in range(2500):
        text = _random_text(rnd, vocabulary)
        expected = _ref_find(text)
        assert list(find_in_text(text)) == expected, text
        found += bool(expected)
    assert found > 300  # the mix reaches every branch often, not only the quick exits


@pytest.mark.parametrize("seed", range(3))
def test_fast_walk_equals_the_plain_walk_on_sentence_case_prose(seed: int) -> None:
    """Cased prose whose names are mostly in lower case: the walk is skipped when no capitalised
    word can start a name, and must still find what the plain walk finds."""
    rnd = random.Random(100 + seed)
    vocabulary = [w.lower() for w in _vocabulary(rnd)]
    found = skipped = 0
    for _ in range(2500):
        words = [rnd.choice(vocabulary) for _ in range(rnd.randrange(2, 16))]
        words = [w.capitalize() if rnd.random() < 0.08 else w for w in words]
        text = " ".join(words)
        text = text[:1].upper() + text[1:] + rnd.choice([".", "", "?"])
        expected = _ref_find(text)
        assert list(find_in_text(text)) == expected, text
        found += bool(expected)
        skipped += is_cased(text) and ":" not in text and not names._capitalised_start(
            names._Words(text, names._TOKEN), gazetteer())
    assert found > 200 and skipped > 500  # both sides of the shortcut, often


@pytest.mark.parametrize("text", [
    "Dr: okay", "dr: okay", "MR: ", "Jennifer: hi", "  Mary Ann: hello there", "Hello this is Zorblax speaking.",
    "my name's zorblax", "MY NAME IS ZORBLAX",
    "i'm will", "Will here, thanks", "thank you Mark's team",
    "Hello ϒxyz.", "well, hello ϒ Velmorn", "Thanks Ǆemal ok",  # capitals that lower() leaves or titlecases
    "Ask for Zoë Velmorn.", "JOSÉ'S car", "call me İlker", "straße: ok", "", "'", "42", "Mr", "mr smith",
])
def test_fast_walk_equals_the_plain_walk_on_edge_cases(text: str) -> None:
    assert list(find_in_text(text)) == _ref_find(text)


@pytest.mark.parametrize("seed", range(2))
def test_capitalised_start_is_the_per_word_definition(seed: int) -> None:
    """`_capitalised_start` looks only at trigger words; the definition tests every word."""
    def per_word(w: names._Words, g: names.Gazetteer) -> bool:
        return any(w.capitalised(i) and (low in g.first or low in g.ambiguous
                                         or (i > 0 and w.lows[i - 1] in names._CUE_ENDS))
                   for i, low in enumerate(w.lows))

    rnd = random.Random(300 + seed)
    vocabulary = _vocabulary(rnd)
    g = gazetteer()
    answers = []
    for _ in range(3000):
        text = _random_text(rnd, vocabulary)
        w = names._Words(text, names._TOKEN)
        answers.append(per_word(w, g))
        assert names._capitalised_start(w, g) == answers[-1], text
    assert 300 < sum(answers) < 2700  # both answers, often


def test_lines_without_a_name_starting_word_are_skipped_before_any_span_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_spans(*_: object) -> object:
        raise AssertionError("spans looked up for a line without a name")

    monkeypatch.setattr(names._Words, "start", no_spans)
    for text in ("the weather is nice today", "BILLING CODES 42 AND 43", "Okay, we start at noon."):
        assert list(find_in_text(text)) == []


def test_is_cased_counts_like_the_per_character_definition() -> None:
    rnd = random.Random(7)
    alphabet = "aAbBzZ  .,1'’éÉßΣσǅⅫ\t"
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        if rnd.random() < 0.5:
            text = re.sub(r"[^\x00-\x7f]", "x", text)  # half the texts take the ASCII byte path
        assert is_cased(text) == _ref_is_cased(text), text


def _ref_label_tokens(label: str) -> list[tuple[int, int, str]]:
    out = []
    for part in names._WORDS.finditer(label):  # the RE2 patterns, as used for every label before
        word = part.group()
        if word.isupper() or word.islower() or (word[:1].isupper() and word[1:].islower()):
            out.append((part.start(), part.end(), word.lower()))
            continue
        for sub in names._CAMEL.finditer(word):
            s = sub.group().rstrip()
            out.append((part.start() + sub.start(), part.start() + sub.start() + len(s), s.lower()))
    return out


def test_ascii_label_split_equals_the_re2_split() -> None:
    rnd = random.Random(11)
    pieces = ["Jane", "DOE", "doe", "McKay", "iPhone", "ABCdef", "aB", "X", "x", "_", "-", ".", "/", " ", "7",
              "wav", "SPEAKER", "Spk", "\n", "é", "Ñu"]
    labels = ["JaneDoe_take2", "JOHNSmith", "interview_john_smith.wav", "ABC", "AbcDEF", "aBC", ""]
    labels += ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 8))) for _ in range(4000)]
    labels += ["".join(rnd.choice("aAbBjJzZ_ .9") for _ in range(rnd.randrange(1, 14))) for _ in range(4000)]
    assert sum(label.isascii() for label in labels) > 5000
    for label in labels:
        assert names._label_tokens(label) == _ref_label_tokens(label), label
