"""Corpus speaker ids: every convention, where they are trusted, one finding per value,
pseudonymous labels that pass, and corpus ids never reported as cards or health numbers.
All ids are generated or invented in the corpora's formats."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from speechgate.cli import main
from speechgate.detectors.speaker_ids import CORPORA, corpus_of, find
from speechgate.model import Role

IDS = {
    "librispeech": ["1089-134686", "1089-134686-0000", "84_121123_000007_000001", "10214_10108_000000"],
    "vctk": ["p225", "p376"],
    "voxceleb": ["id10270", "id00012"],
    "common_voice": ["ab" * 64],
    "ami": ["FEE005", "MEO069", "MTD013PM"],
    "icsi": ["me011", "fe008"],
    "timit": ["FADG0", "MCPM0", "fadg0"],
    "tedlium": ["AlGore_2009", "Jane_McGonigal_2010"],
    "gigaspeech": ["POD0000000001", "YOU1000000012_S0000008"],
    "wsj": ["011c0201", "4k0c0301"],
}
NOT_IDS = ["SPEAKER_00", "spk3", "2021-11-25", "415-555-2671", "18-25", "ES2014c.A_PM", "2347-a", "p100",
           "id3v2", "MAY2020", "deadbeef", "summer_2019"]


def test_every_corpus_has_examples_here() -> None:
    assert set(IDS) == set(CORPORA)


@pytest.mark.parametrize(("corpus", "value"), [(c, v) for c, vs in IDS.items() for v in vs])
def test_whole_label_is_recognised(corpus: str, value: str) -> None:
    assert corpus_of(value) == corpus


@pytest.mark.parametrize("value", NOT_IDS)
def test_other_labels_are_not_corpus_ids(value: str) -> None:
    assert corpus_of(value) is None


@pytest.mark.parametrize(("text", "role", "expected"), [
    ("train-clean-100/19/198/19-198-0001.flac", Role.PATH, "19-198-0001"),
    ("timit/train/dr1/fcjf0/sa1.wav", Role.PATH, "fcjf0"),
    ("lbi-1272-135031-0000", Role.IDENTIFIER, "1272-135031-0000"),
    ("1272-135031-0000 HE HOPED THERE WOULD BE STEW", Role.TEXT, "1272-135031-0000"),
    ("data/file1.wav", Role.PATH, None),
    ("call me on 415-555-2671 tonight", Role.TEXT, None),
    ("between 1990-2000 and 20-300 people", Role.TEXT, None),
])
def test_ids_inside_longer_values(text: str, role: Role, expected: str | None) -> None:
    found = [text[s:e] for _, s, e in find(text, role)]
    assert found == ([expected] if expected else [])


def _scan(tmp_path: Path, name: str, content: str, *extra: str) -> list[dict]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "report.json"
    main(["check", "--no-cache", "--format", "json", "-o", str(out), *extra, str(path)])
    return json.loads(out.read_text())["artifacts"][0]["findings"]


def test_corpus_id_in_a_speaker_field_is_one_finding(tmp_path: Path) -> None:
    rttm = "".join(f"SPEAKER ES2011a 1 {i}.0 1.0 <NA> <NA> {spk} <NA> <NA>\n"
                   for i, spk in enumerate(["FEE041", "MEE042", "FEE041"]))
    findings = _scan(tmp_path, "meeting.rttm", rttm)
    assert sorted(f["rule"] for f in findings) == ["speaker-ami-participant-id"] * 2
    assert sorted(f["occurrences"] for f in findings) == [1, 2]


def test_pseudonymous_labels_pass(tmp_path: Path) -> None:
    labels = ["SPEAKER_00", "spk1", "ES2014c_spkr_3", "ES2014c.A_PM", "2347-a", "CHI", "MOT", "FA1", "ljspeech-2"]
    rttm = "".join(f"SPEAKER rec 1 {i}.0 1.0 <NA> <NA> {spk} <NA> <NA>\n" for i, spk in enumerate(labels))
    assert _scan(tmp_path, "rec.rttm", rttm) == []


def test_a_name_as_speaker_label_is_reported(tmp_path: Path) -> None:
    findings = _scan(tmp_path, "rec.rttm", "SPEAKER rec 1 0.0 1.0 <NA> <NA> Priya_Example <NA> <NA>\n")
    assert {f["category"] for f in findings} == {"speaker_id"}


def _librispeech_ids(n: int) -> list[str]:
    rng = random.Random(11)
    return [f"{rng.randint(1, 9999)}-{rng.randint(100, 999999)}-{rng.randint(0, 9999):04d}" for _ in range(n)]


def test_librispeech_ids_are_never_cards_or_government_ids(tmp_path: Path) -> None:
    ids = _librispeech_ids(400)
    text = "".join(f"{utt} AND THEN HE SAID NOTHING\n" for utt in ids)
    csv = "utt_id,wav,notes\n" + "".join(f"{utt},audio/{utt}.flac,{utt}\n" for utt in ids)
    for name, content in (("text.txt", text), ("manifest.csv", csv)):
        categories = {f["category"] for f in _scan(tmp_path, name, content)}
        assert categories == {"speaker_id"}, name


def test_corpus_id_only_in_the_own_file_name_stays_below_min_confidence(tmp_path: Path) -> None:
    assert _scan(tmp_path, "1089-134686-0000.txt", "he hoped there would be stew for dinner\n") == []


def test_librispeech_utterances_of_one_reader_chapter_are_one_finding(tmp_path: Path) -> None:
    """The value is the reader-chapter, so a 1,000-line manifest gives one finding, not 1,000."""
    path = tmp_path / "train.jsonl"
    path.write_text("".join(
        json.dumps({"audio_filepath": f"audio/19-198-{i:04d}.flac", "speaker": "19-198"}) + "\n" for i in range(50)
    ))
    out = tmp_path / "r.json"
    main(["check", str(path), "--format", "json", "--output", str(out)])
    findings = [f for f in json.loads(out.read_text())["artifacts"][0]["findings"]
                if f["rule"] == "speaker-librispeech-id"]
    assert len(findings) == 1
    assert findings[0]["occurrences"] == 100
