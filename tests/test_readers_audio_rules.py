"""The audio-tag detectors and rules on single values: who counts as a person in a tag."""

from __future__ import annotations

import pytest

from speechgate.detectors import tag_person
from speechgate.model import Field, Role
from speechgate.rules import load_rules, rule_files


def person(value: str) -> list[tuple[str, float]]:
    detect = tag_person.build({})
    return [(m.value, m.confidence_delta) for m in detect(Field(value, Role.TAG, {}, name="ID3:TPE1"))]


@pytest.mark.parametrize("value", ["Robin Example", "Marian", "Pat Q. Example", "Jamie Quux"])
def test_name_like_values_are_raised(value: str) -> None:
    assert person(value) == [(value, tag_person.PERSON_DELTA)]


@pytest.mark.parametrize("value", ["Quux Zorblatt", "xyzzy", "The Zorblatts"])
def test_other_latin_values_are_kept_with_lower_confidence(value: str) -> None:
    assert person(value) == [(value, tag_person.NOT_PERSON_DELTA)]


def test_other_scripts_are_not_judged_by_the_census_lists() -> None:
    assert person("王小明") == [("王小明", 0.0)]


@pytest.mark.parametrize("value", [
    "duplicate artist", "artist 1;artist 2", "new artist", "Example Symphony Orchestra", "Example Music Records",
    "Unbekannter Künstler", "Artiste inconnu", "LAME3.99", "Test Artist", "",
])
def test_placeholders_groups_and_software_never_match(value: str) -> None:
    assert person(value) == []


def test_role_note_is_not_part_of_the_value() -> None:
    assert person("Robin Example (Lyrics)") == [("Robin Example", tag_person.PERSON_DELTA)]


def test_audio_rules_apply_to_prefixed_foreign_chunk_names() -> None:
    rules = {r.id: r for r in load_rules(rule_files())}
    for rule_id, name, text in [
        ("audio-originator-reference", "FLAC:APPLICATION/riff/BEXT:OriginatorReference", "ZZEXA0001234567"),
        ("audio-recording-date", "FLAC:APPLICATION/riff/BEXT:OriginationDate", "2024-05-17"),
        ("audio-umid", "FLAC:APPLICATION/riff/RIFF:umid", "00" * 8 + "ab" * 16),
        ("tag-person", "FLAC:APPLICATION/aiff/AIFF:AUTH", "Robin Example"),
    ]:
        f = Field(text, Role.TAG, {"tag": name}, name=name)
        assert rules[rule_id].applies("flac", f), rule_id
        assert [m.value for m, _ in rules[rule_id].matches(f)] == [text], rule_id


def test_recording_date_needs_day_precision() -> None:
    rule = {r.id: r for r in load_rules(rule_files())}["audio-recording-date"]
    for text, fires in [("2024-05-17", True), ("2024", False), ("2024:05:17", True), ("Friday", False)]:
        f = Field(text, Role.TAG, {"tag": "RIFF:ICRD"}, name="RIFF:ICRD")
        assert bool(list(rule.matches(f))) is fires, text
