"""Plain text, SRT, WebVTT and RTTM: exact fields and locators."""

from __future__ import annotations

from pathlib import Path

from speechgate.model import Artifact, Field
from speechgate.readers import plain, rttm, subtitles


def fields(tmp_path: Path, name: str, kind: str, content: str, read) -> list[tuple[str, str | None, dict, str]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in read(Artifact(path, name, kind)) if isinstance(f, Field)]


def test_plain_lines(tmp_path: Path) -> None:
    assert fields(tmp_path, "a.txt", "text", "first\n\n  second\n", plain.read) == [
        ("text", None, {"line": 1}, "first"),
        ("text", None, {"line": 3}, "  second"),
    ]


def test_srt_cues_skip_numbers_and_timings(tmp_path: Path) -> None:
    content = "1\n00:00:01,000 --> 00:00:02,500\nHello Kim\n\n2\n00:00:03,000 --> 00:00:04,000\n42\n"
    assert fields(tmp_path, "a.srt", "srt", content, subtitles.read) == [
        ("text", None, {"line": 3}, "Hello Kim"),
        ("text", None, {"line": 7}, "42"),
    ]


def test_webvtt_voice_spans_and_note_blocks(tmp_path: Path) -> None:
    content = ("WEBVTT\n\nNOTE transcribed by Jo Example\n\n"
               "00:01.000 --> 00:02.000\n<v.loud Kim Example>Hi <v Sam>there\n")
    assert fields(tmp_path, "a.vtt", "vtt", content, subtitles.read) == [
        ("text", None, {"line": 3}, "NOTE transcribed by Jo Example"),
        ("speaker", "voice", {"line": 6, "column": 9}, "Kim Example"),
        ("speaker", "voice", {"line": 6, "column": 27}, "Sam"),
        # voice spans are blanked in the free text (same length, so columns stay right)
        ("text", None, {"line": 6}, " " * 20 + "Hi " + " " * 7 + "there"),
    ]


def test_rttm_speaker_file_and_spkr_info(tmp_path: Path) -> None:
    content = (";; comment\n"
               "SPEAKER rec7 1 0.00 1.50 <NA> <NA> kim_example <NA> <NA>\n"
               "SPKR-INFO rec7 1 <NA> <NA> <NA> adult_female kim_example <NA> <NA>\n")
    assert fields(tmp_path, "a.rttm", "rttm", content, rttm.read) == [
        ("identifier", "file", {"line": 2, "column": 9}, "rec7"),
        ("speaker", "speaker", {"line": 2, "column": 36}, "kim_example"),
        ("identifier", "file", {"line": 3, "column": 11}, "rec7"),
        ("speaker", "speaker", {"line": 3, "column": 46}, "kim_example"),
    ]
