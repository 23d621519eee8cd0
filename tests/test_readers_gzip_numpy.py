"""`.gz` of supported formats (bounded decompression), NumPy headers, torch/pickle files."""

from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from speechgate.discover import discover
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.errors import Unscannable
from speechgate.kinds import classify
from speechgate.model import Artifact, Category, Field
from speechgate.readers import reader_for
from speechgate.rules import rule_files


def settings() -> ScanSettings:
    return ScanSettings(rule_files=tuple(str(p) for p in rule_files()))


def read(path: Path) -> list[tuple[str, str | None, dict, str]]:
    kind = classify(path, path.read_bytes()[:4096])
    reader = reader_for(kind)
    assert reader is not None, kind
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in reader(Artifact(path, path.name, kind)) if isinstance(f, Field)]


def test_gzipped_jsonl_is_read_by_inner_name(tmp_path: Path) -> None:
    path = tmp_path / "supervisions.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"speaker": "kim_e"}).encode() + b"\n"))
    assert classify(path, path.read_bytes()[:4096]) == "gzip"
    assert read(path) == [("key", "speaker", {"line": 1, "pointer": "/speaker"}, "speaker"),
                          ("speaker", "speaker", {"line": 1, "pointer": "/speaker"}, "kim_e")]


def test_gzipped_kaldi_file(tmp_path: Path) -> None:
    path = tmp_path / "utt2spk.gz"
    path.write_bytes(gzip.compress(b"u1 jo_example\n"))
    assert read(path) == [("identifier", "utterance", {"line": 1, "column": 1}, "u1"),
                          ("speaker", "speaker", {"line": 1, "column": 4}, "jo_example")]


@pytest.mark.parametrize(("content", "reason"), [
    (gzip.compress(b"hello world\n")[:-12], "corrupt or truncated gzip"),
    (gzip.compress(gzip.compress(b"x")), "nested gzip"),
])
def test_broken_or_unsupported_gzip(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(content)
    with pytest.raises(Unscannable, match=reason):
        read(path)


def test_gzipped_audio_is_read_from_a_temporary_copy(tmp_path: Path) -> None:
    import struct
    import wave

    from mutagen.id3 import TPE1
    from mutagen.wave import WAVE

    wav = tmp_path / "clip.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<100h", *([0] * 100)))
    audio = WAVE(wav)
    audio.add_tags()
    audio.tags.add(TPE1(encoding=3, text=["Kim Example"]))
    audio.save()
    path = tmp_path / "clip.wav.gz"
    path.write_bytes(gzip.compress(wav.read_bytes()))
    before = path.read_bytes()
    assert read(path) == [("tag", "ID3:TPE1", {"tag": "ID3:TPE1"}, "Kim Example")]
    assert path.read_bytes() == before


def test_gzipped_audio_over_the_cap_is_unscannable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from speechgate.readers import gzip_reader

    monkeypatch.setattr(gzip_reader, "MAX_AUDIO_BYTES", 64)
    path = tmp_path / "a.flac.gz"
    path.write_bytes(gzip.compress(b"fLaC\x00\x00\x00\x22" + bytes(400)))
    with pytest.raises(Unscannable, match="larger than"):
        read(path)


def test_gzip_bomb_is_unscannable_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGATE_MAX_GZIP_RATIO", "50")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        chunk = b"a" * (1 << 20)
        for _ in range(80):
            out.write(chunk)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(buffer.getvalue())
    scan = scan_artifact(Artifact(path, "bomb.txt.gz", "gzip"), settings())
    assert [f.category for f in scan.findings] == [Category.UNSCANNABLE]
    assert "gzip bomb" in scan.findings[0].message


def _npy(descr: str, shape: tuple[int, ...], version: int = 1) -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin-1")
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header + bytes(16)


@pytest.mark.parametrize(("name", "descr", "shape", "text"), [
    ("xvectors.npy", "<f4", (12, 512), "float[12x512]"),
    ("speaker_embedding.npy", "<f4", (192,), "float[192]"),
    ("audio.npy", "<f4", (192,), "array <f4 (192,)"),
    ("waveform.npy", "<i2", (16000,), "array <i2 (16000,)"),
    ("mfcc.npy", "<f8", (300, 13), "array <f8 (300, 13)"),
])
def test_npy_header_only(tmp_path: Path, name: str, descr: str, shape: tuple[int, ...], text: str) -> None:
    path = tmp_path / name
    path.write_bytes(_npy(descr, shape))
    stem = name.split(".")[0]
    assert read(path) == [("binary", stem, {"field": "array"}, text)]


def test_npy_version_2_header(tmp_path: Path) -> None:
    path = tmp_path / "emb.npy"
    path.write_bytes(_npy("<f2", (3, 256), version=2))
    assert read(path) == [("binary", "emb", {"field": "array"}, "float[3x256]")]


def test_embedding_matrix_is_a_voiceprint_finding(tmp_path: Path) -> None:
    path = tmp_path / "xvectors.npy"
    path.write_bytes(_npy("<f4", (12, 512)))
    scan = scan_artifact(Artifact(path, path.name, "npy"), settings())
    assert Category.VOICEPRINT in {f.category for f in scan.findings}


@pytest.mark.parametrize(("content", "reason"), [
    (_npy("|O", (3,)), "executable format"),
    (b"\x93NUMPY\x01\x00\xff", "truncated"),
    (b"\x93NUMPY\x01\x00\x10\x00{'descr': __import__", "corrupt"),
    (b"\x93NUMPY\x01\x00\x0c\x00os.system(1)", "corrupt"),
])
def test_bad_npy(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.npy"
    path.write_bytes(content)
    with pytest.raises(Unscannable, match=reason):
        read(path)


def test_npz_members(tmp_path: Path) -> None:
    path = tmp_path / "bank.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kim_example.npy", _npy("<f4", (4, 256)))
        archive.writestr("ids.npy", _npy("<i8", (4,)))
    assert read(path) == [
        ("key", "npz:member", {"field": "member 1"}, "kim_example"),
        ("binary", "kim_example", {"field": "member 1"}, "float[4x256]"),
        ("key", "npz:member", {"field": "member 2"}, "ids"),
        ("binary", "ids", {"field": "member 2"}, "array <i8 (4,)"),
    ]


@pytest.mark.parametrize("name", ["model.pt", "model.pth", "weights.ckpt", "noext"])
def test_torch_zip_files_are_executable_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("model/version", b"3\n")
    (artifact,) = discover([str(path)])
    assert artifact.kind == "pickle"
    scan = scan_artifact(artifact, settings())
    assert [f.category for f in scan.findings] == [Category.UNSCANNABLE]
    assert "executable format" in scan.findings[0].message


def test_plain_pickle_is_executable_format(tmp_path: Path) -> None:
    path = tmp_path / "spk.pkl"
    path.write_bytes(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00}\x94.")
    (artifact,) = discover([str(path)])
    scan = scan_artifact(artifact, settings())
    assert "executable format" in scan.findings[0].message
