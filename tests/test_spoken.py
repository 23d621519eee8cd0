"""Spoken-form normaliser: number words to digits with an exact map back to the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.detectors.numbers import Token, to_chunks
from speechgate.detectors.spoken import normalise
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.model import Artifact
from speechgate.rules import rule_files


@pytest.mark.parametrize(("spoken", "digits"), [
    ("five five five oh one two three", "5550123"),
    ("nine one seven double two three four", "9172234"),
    ("triple five", "555"),
    ("double oh seven", "007"),
    ("five five five twelve thirty four", "5551234"),
    ("two twenty one", "221"),
    ("nineteen eighty", "1980"),
    ("nineteen hundred", "1900"),
    ("two hundred and twelve", "212"),
    ("two thousand and five", "2005"),
    ("two thousand three hundred forty five", "2345"),
    ("twenty", "20"),
    ("plus four four", "+44"),
    ("555 one two three four", "5551234"),
])
def test_number_words_become_digits(spoken: str, digits: str) -> None:
    for text in (spoken, spoken.upper(), spoken.title()):
        assert normalise(text).text == digits


def test_ordinals_keep_a_suffix_for_dates() -> None:
    assert normalise("the fourth of july").text.split() == ["the", "4th", "of", "july"]
    assert normalise("the twenty first of june").text.split() == ["the", "21st", "of", "june"]


def test_text_outside_runs_is_unchanged_and_identity_when_no_number_words() -> None:
    text = "Hello, this is Kim; see you at noon."
    n = normalise(text)
    assert n.text == text and n.pieces is None
    assert n.to_original(7, 11) == (7, 11)
    assert not n.has_spoken(0, len(text))


def test_offsets_map_back_to_the_original_words() -> None:
    text = "Call me on FIVE FIVE FIVE, OH ONE TWO THREE tomorrow"
    n = normalise(text)
    i = n.text.index("5550123")
    start, end = n.to_original(i, i + 7)
    assert text[start:end] == "FIVE FIVE FIVE, OH ONE TWO THREE"
    assert n.has_spoken(i, i + 7)
    j = n.text.index("tomorrow")
    assert text[slice(*n.to_original(j, j + 8))] == "tomorrow"
    assert not n.has_spoken(j, j + 8)


def test_oh_and_and_only_count_inside_numbers() -> None:
    assert normalise("oh well, two and three").text == "oh well, 2 and 3"
    assert normalise("oh five five").text == "055"
    assert normalise("j o h n").text == "j o h n"


def test_written_ids_are_not_glued_to_spoken_numbers() -> None:
    assert normalise("1089-134686-0000 ONE OF THE MEN").text == "1089-134686-0000 1 OF THE MEN"
    assert normalise("00:01:02 two").text == "00:01:02 2"


def test_chunks_carry_the_span_of_their_words() -> None:
    tokens = [Token("double", 0, 6), Token("two", 7, 10), Token("seventy", 11, 18), Token("eight", 19, 24)]
    chunks = to_chunks(tokens)
    assert [(c.text, c.start, c.end) for c in chunks] == [("22", 0, 10), ("78", 11, 24)]


def test_spoken_phone_is_located_at_the_original_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_text("hello there\nOK SO CALL ME ON NINE ONE SEVEN DOUBLE TWO THREE FOUR FIVE SIX SEVEN\n",
                    encoding="utf-8")
    settings = ScanSettings(rule_files=tuple(str(p) for p in rule_files()))
    scan = scan_artifact(Artifact(path, "call.txt", "text"), settings)
    spoken = [f for f in scan.findings if f.rule == "spoken-phone"]
    assert len(spoken) == 1
    assert spoken[0].location["line"] == 2
    assert spoken[0].location["column"] == len("OK SO CALL ME ON ") + 1
    assert spoken[0].value is None and "9172234567" not in spoken[0].preview
