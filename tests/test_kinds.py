"""Classification: content signatures first, then the name, then a text sniff."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.kinds import classify

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "
FLAC = b"fLaC\x00\x00\x00\x22"
OGG = b"OggS\x00\x02"
MP4 = b"\x00\x00\x00\x20ftypM4A "
ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("a.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "srt"),
    ("a.vtt", b"WEBVTT\n", "vtt"),
    ("a.jsonl", b'{"a": 1}\n', "jsonl"),
    ("a.TSV", b"a\tb\n", "tsv"),
    ("clip.wav", WAV, "wav"),
    ("song.mp3", ID3, "mp3"),
    ("song.flac", ID3 + FLAC, "flac"),  # ID3-prefixed FLAC keeps its suffix
    ("utt2spk", b"u1 s1\n", "kaldi"),
    ("README", b"plain words\n", "text"),
    ("weights.pt", b"\x80\x02}q\x00", "pickle"),
])
def test_by_name_and_content(name: str, head: bytes, kind: str) -> None:
    assert classify(Path(name), head) == kind


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("clip.mp3", WAV, "wav"),         # a WAV named .mp3
    ("notes.txt", FLAC, "flac"),      # a FLAC named .txt
    ("a.json", OGG, "ogg"),
    ("voice.wav", MP4, "mp4"),
    ("data.csv", b"\x1f\x8b\x08\x00", "gzip"),
    ("transcript.wav", b"hello there, this is text\n", "text"),  # text with an audio suffix
    ("blob.flac", bytes(range(256)), "binary"),  # binary without the signature
    ("archive.txt", b"PK\x03\x04\x14\x00", "binary"),
])
def test_mislabelled_files_are_sniffed_by_content(name: str, head: bytes, kind: str) -> None:
    assert classify(Path(name), head) == kind


def test_unknown_binary_fails_closed() -> None:
    assert classify(Path("mystery"), b"\x00\x01\x02\x03" * 100) == "binary"


def test_bom_text_is_text() -> None:
    assert classify(Path("mystery"), b"\xff\xfeh\x00i\x00") == "text"


def test_suffix_is_pathlibs_suffix() -> None:
    from pathlib import PurePath

    from speechgate import kinds

    for name in ["a.srt", "a.tar.gz", ".bashrc", "file.", "noext", "a..b", "..", "x.TextGrid", "é.WAV", ".a.b"]:
        assert kinds._suffix(name) == PurePath(name).suffix, name
    assert kinds.classify("dir/sub/clip.SRT", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n") == "srt"
