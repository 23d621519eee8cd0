"""Whitespace-column formats: STM, CTM, UEM, sclite TRN, Kaldi data files, speaker lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.kinds import classify
from speechgate.model import Artifact, Field
from speechgate.readers import reader_for


def read(tmp_path: Path, name: str, content: str | bytes) -> list[tuple[str, str | None, dict, str]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    kind = classify(path, path.read_bytes()[:4096])
    reader = reader_for(kind)
    assert reader is not None, kind
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in reader(Artifact(path, name, kind)) if isinstance(f, Field)]


def test_stm_speaker_waveform_labels_and_transcript(tmp_path: Path) -> None:
    got = read(tmp_path, "ref.stm", ';; comment line\n'
               'rec01 A jo_example 0.50 2.75 <o,f0,female> hello there\n'
               'rec01 B 2347-b 3.0 4.0 yes\n')
    assert got == [
        ("identifier", "waveform", {"line": 2, "column": 1}, "rec01"),
        ("speaker", "speaker", {"line": 2, "column": 9}, "jo_example"),
        ("column", "labels", {"line": 2, "column": 30}, "<o,f0,female>"),
        ("text", "text", {"line": 2, "column": 44}, "hello there"),
        ("identifier", "waveform", {"line": 3, "column": 1}, "rec01"),
        ("speaker", "speaker", {"line": 3, "column": 9}, "2347-b"),
        ("text", "text", {"line": 3, "column": 24}, "yes"),
    ]


def test_ctm_file_ids_and_word_runs(tmp_path: Path) -> None:
    got = read(tmp_path, "hyp.ctm", "meeting7 1 0.10 0.08 call 0.93\n;; note\nmeeting7 1 0.20 0.05 kim\n"
                                     "meeting7 1 0.30 0.05 example\nmeeting8 A 0.0 0.1 hi\n")
    assert got == [
        ("identifier", "file", {"line": 1, "column": 1}, "meeting7"),
        ("identifier", "file", {"line": 3, "column": 1}, "meeting7"),
        ("identifier", "file", {"line": 4, "column": 1}, "meeting7"),
        ("text", "words", {"line": 1}, "call kim example"),
        ("identifier", "file", {"line": 5, "column": 1}, "meeting8"),
        ("text", "words", {"line": 5}, "hi"),
    ]


def test_uem_file_id_only(tmp_path: Path) -> None:
    assert read(tmp_path, "all.uem", "sessionX NA 0.000 30.000\n\n") == [
        ("identifier", "file", {"line": 1, "column": 1}, "sessionX"),
    ]


def test_trn_utterance_id_in_parentheses(tmp_path: Path) -> None:
    got = read(tmp_path, "hyp.trn", "call me back tomorrow (spk7-utt0001)\n(only-id)\nno id here\n")
    assert got == [
        ("text", "text", {"line": 1, "column": 1}, "call me back tomorrow"),
        ("identifier", "utterance", {"line": 1, "column": 24}, "spk7-utt0001"),
        ("identifier", "utterance", {"line": 2, "column": 2}, "only-id"),
        ("text", "text", {"line": 3, "column": 1}, "no id here"),
    ]


@pytest.mark.parametrize(("name", "line", "expected"), [
    ("text", "u1 THE CAT SAT", [("identifier", "utterance", 1, "u1"), ("text", "text", 4, "THE CAT SAT")]),
    ("utt2spk", "u1 pat_example", [("identifier", "utterance", 1, "u1"), ("speaker", "speaker", 4, "pat_example")]),
    ("spk2utt", "s1 u1 u2", [("speaker", "speaker", 1, "s1"), ("identifier", "utterance", 4, "u1"),
                             ("identifier", "utterance", 7, "u2")]),
    ("spk2gender", "s1 f", [("speaker", "speaker", 1, "s1"), ("column", "gender", 4, "f")]),
    ("segments", "u1 r1 0.0 1.5", [("identifier", "utterance", 1, "u1"), ("identifier", "recording", 4, "r1")]),
    ("wav.scp", "r1 sox /home/kim/a.wav -t wav - |",
     [("identifier", "recording", 1, "r1"), ("path", "path", 8, "/home/kim/a.wav")]),
    ("reco2file_and_channel", "r1 file1 A", [("identifier", "recording", 1, "r1"), ("identifier", "file", 4, "file1")]),
    ("utt2dur", "u1 3.25", [("identifier", "utterance", 1, "u1"), ("column", "dur", 4, "3.25")]),
])
def test_kaldi_files_by_name(tmp_path: Path, name: str, line: str, expected: list) -> None:
    got = read(tmp_path / "data" / "train", name, line + "\n")
    assert got == [(role, n, {"line": 1, "column": col}, text) for role, n, col, text in expected]


def test_speaker_list_tokens_are_speakers(tmp_path: Path) -> None:
    assert read(tmp_path, "dev_spk.list", "fabc0\n\nmxyz1 mxyz2\n") == [
        ("speaker", "speaker", {"line": 1, "column": 1}, "fabc0"),
        ("speaker", "speaker", {"line": 3, "column": 1}, "mxyz1"),
        ("speaker", "speaker", {"line": 3, "column": 7}, "mxyz2"),
    ]


def test_other_id_lists_stay_plain_text(tmp_path: Path) -> None:
    assert read(tmp_path, "split_dev.orig", "MTG1a\n") == [("text", None, {"line": 1}, "MTG1a")]


def test_speakers_txt_pipe_table_uses_header_comment(tmp_path: Path) -> None:
    got = read(tmp_path, "SPEAKERS.TXT", ";ID |SEX| SUBSET |MINUTES| NAME\n"
                                          "9001 | F | train-x | 25.0 | Alex Example\n")
    assert got == [
        ("speaker", "id", {"line": 2, "column": "id"}, "9001"),
        ("column", "sex", {"line": 2, "column": "sex"}, "F"),
        ("column", "subset", {"line": 2, "column": "subset"}, "train-x"),
        ("column", "minutes", {"line": 2, "column": "minutes"}, "25.0"),
        ("speaker", "name", {"line": 2, "column": "name"}, "Alex Example"),
    ]


def test_kinds_of_column_formats(tmp_path: Path) -> None:
    for name, kind in [("a.stm", "stm"), ("a.ctm", "ctm"), ("a.uem", "uem"), ("a.trn", "trn"),
                       ("utt2spk", "kaldi"), ("dev.speakers.txt", "idlist"), ("test_spk.list", "idlist"),
                       ("notes.txt", "text")]:
        assert classify(tmp_path / name, b"x y z\n") == kind, name
