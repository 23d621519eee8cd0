"""`spoken.most_digits` is an upper bound on the digits `normalise` writes, so the spoken phone
detector may skip texts below seven digits: random texts of number words, digits, other words
and punctuation (fixed seeds) must never normalise to more digits than the bound, and the
detector must answer the same with and without the shortcut."""

from __future__ import annotations

import random

import pytest

from speechgate.detectors import phone, spoken
from speechgate.detectors.numbers import NUMBER_WORDS, UNITS
from speechgate.model import Field, Role

WORDS = [*sorted(NUMBER_WORDS), "and", "oh", "o", "call", "me", "at", "number", "is", "one's", "o'clock",
         "threefold", "Five", "NINE", "Double", "x7", "555", "0142", "12", "(212)"]
UNIT_WORDS = sorted(UNITS)
GLUE = [" ", " ", " ", ", ", "-", " - ", ". ", "'", "' ", " '", "", "\t", "  "]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 14)):
            parts.append(rng.choice(UNIT_WORDS if rng.random() < 0.5 else WORDS))  # many phone-like runs
            parts.append(rng.choice(GLUE))
        out.append("".join(parts).strip())
    return out


@pytest.mark.parametrize("seed", range(4))
def test_bound_is_never_below_the_digits_normalise_writes(seed: int) -> None:
    for text in _texts(seed, 3000):
        written = sum(ch.isdigit() for ch in spoken.normalise(text).text)
        assert written <= spoken.most_digits(text), text


@pytest.mark.parametrize("seed", range(2))
def test_spoken_phone_answers_the_same_with_the_shortcut(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    detect = phone.build({"spoken": True})
    texts = _texts(100 + seed, 3000)
    with_shortcut = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    monkeypatch.setattr(phone, "most_digits", lambda text: 99)
    without = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    assert with_shortcut == without
    assert sum(map(bool, without)) >= 20, "the random texts should hold spoken phone numbers"
    assert sum(spoken.most_digits(t) < 7 for t in texts) >= 500, "and many texts the shortcut skips"


CARD_WORDS = ["four", "one", "five", "oh", "double", "thousand", "hundred", "eleven", "social", "security",
              "ssn", "number", "is", "my", "card", "3", "536", "22"]


@pytest.mark.parametrize("rule_id", ["spoken-payment-card", "spoken-ssn"])
def test_spoken_contextual_rules_answer_the_same_without_min_digits(rule_id: str) -> None:
    from speechgate.detectors import contextual
    from speechgate.rules import load_rules, rule_files

    rule = next(r for r in load_rules(rule_files()) if r.id == rule_id)
    options = dict(rule.data["options"])
    assert options.get("min_digits"), "the bundled rule declares the digits its pattern needs"
    fast = contextual.build(options)
    slow = contextual.build({k: v for k, v in options.items() if k != "min_digits"})
    rng = random.Random(7)
    texts = [" ".join(rng.choice(CARD_WORDS + UNIT_WORDS) for _ in range(rng.randint(1, 24))) for _ in range(4000)]
    texts += [str(e) if isinstance(e, str) else e["text"] for e in rule.data["examples"]["match"]]
    answers = [(list(fast(Field(t, Role.TEXT, {"line": 1}))), list(slow(Field(t, Role.TEXT, {"line": 1}))))
               for t in texts]
    assert all(a == b for a, b in answers)
    assert sum(bool(b) for _, b in answers) >= 2
    assert sum(spoken.most_digits(t) < options["min_digits"] for t in texts) >= 500


@pytest.mark.parametrize("bad", [-1, "13", 1.5, True])
def test_min_digits_must_be_a_whole_number(bad: object) -> None:
    from speechgate.detectors import contextual

    with pytest.raises(ValueError, match="min_digits"):
        contextual.build({"pattern": r"\d{9}", "normalise": True, "min_digits": bad})


ADDRESS_WORDS = ["street", "road", "lane", "way", "park", "baker", "elm", "main", "the", "live", "at", "on",
                 "two", "twenty", "one", "hundred", "oh", "221", "42b", "7", "Ave", "St.", "walk", "to"]


@pytest.mark.parametrize("seed", range(2))
def test_address_answers_the_same_with_the_digit_shortcut(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The address detector skips a text whose digit bound is 0 (no house number to find)."""
    from speechgate.detectors import address

    rng = random.Random(200 + seed)
    texts = [" ".join(rng.choice(ADDRESS_WORDS) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    detect = address.build({})
    with_shortcut = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    monkeypatch.setattr(address, "most_digits", lambda text: 99)
    without = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    assert with_shortcut == without
    assert sum(map(bool, without)) >= 100, "the random texts should hold addresses"
    assert sum(spoken.most_digits(t) == 0 for t in texts) >= 300, "and texts the shortcut skips"


SHAPE_WORDS = [*ADDRESS_WORDS, "Baker", "STREET", "court", "close", "place", "hill", "green", "view", "rd", "blvd",
               "twenty-one", "one,", "221,", "(12", "7th", "first", "double", "and", "o'clock", "one's", "5-7",
               "we", "moved", "address", "is", "3.5", "x2", "#4", "st.x", "streets", "old", "mill", "o", "thousand",
               "12 elm", "two twenty one", "4 old", "nine acacia"]
SHAPE_GLUE = [" ", " ", " ", "  ", ", ", " - ", "-", ". ", "\t", "\n", " (", ") ", "'", "/", ""]


class _EveryText:
    @staticmethod
    def search(text: str) -> bool:
        return True


@pytest.mark.parametrize("seed", range(3))
def test_address_answers_the_same_with_the_shape_shortcut(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The address detector skips an ASCII text with no digit or number word right before one
    to three tokens and a street type, without normalising it: random texts of house numbers
    (digits, number words, hyphenated, with commas and brackets), name words, street types,
    cue words and glue must get the same answer with and without that shortcut."""
    from speechgate.detectors import address

    rng = random.Random(300 + seed)
    texts = []
    for _ in range(6000):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(SHAPE_WORDS))
            parts.append(rng.choice(SHAPE_GLUE))
        texts.append("".join(parts).strip())
    detect = address.build({})
    with_shortcut = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    monkeypatch.setattr(address, "_ASCII_SHAPE", _EveryText())
    without = [list(detect(Field(t, Role.TEXT, {"line": 1}))) for t in texts]
    assert with_shortcut == without
    assert sum(map(bool, without)) >= 100, "the random texts should hold addresses"
    monkeypatch.undo()  # the real pattern again, for the count below
    skipped = sum(1 for t in texts if spoken.most_digits(t) and not address._ASCII_SHAPE.search(t))
    assert skipped >= 300, "and texts only the shape shortcut skips"
