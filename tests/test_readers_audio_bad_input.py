"""Bad audio input: truncated, corrupt, mislabelled, empty, junk and hostile files give one
`unscannable` finding with a reason or are read; readers never crash, hang or read payloads."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.id3 import TPE1

from speechgate.config import load_config
from speechgate.engine import scan_artifact
from speechgate.errors import Unscannable
from speechgate.gate import settings_for
from speechgate.kinds import classify
from speechgate.model import Artifact, Category, Field, Note
from speechgate.readers import reader_for

from . import audio_fixtures as af


def scan(path: Path) -> tuple[str, list[str]]:
    """(kind, categories of findings) for one file."""
    kind = classify(path, path.read_bytes()[:4096])
    result = scan_artifact(Artifact(path, path.name, kind), settings_for(load_config(None, path.parent)))
    return kind, [f.category.value for f in result.findings]


def unscannable_reason(path: Path) -> str:
    kind = classify(path, path.read_bytes()[:4096])
    result = scan_artifact(Artifact(path, path.name, kind), settings_for(load_config(None, path.parent)))
    bad = [f for f in result.findings if f.category is Category.UNSCANNABLE]
    assert len(bad) == 1, result.findings
    return bad[0].message


def sample_files() -> dict[str, bytes]:
    """One valid, tagged file per container family (invented values)."""
    return {
        "a.wav": af.wav_with([af.info_list([(b"IART", "Robin Example")]),
                              af.bext(originator="X", reference="ZZEXA0001234567", date="2024-01-02"),
                              af.ixml("<NOTE>n</NOTE><TRACK_LIST><TRACK><NAME>Kim</NAME></TRACK></TRACK_LIST>"),
                              af.id3_chunk([TPE1(encoding=3, text=["Robin Example"])])]),
        "a.aiff": af.aiff_with([af.aiff_text(b"AUTH", "Robin Example"), af.aiff_comments(["c"])]),
        "a.mov": af.mp4_with([af.box(b"udta", af.udta_text(b"\xa9xyz", "+12.3456-045.6789/")),
                              af.qt_meta([("com.apple.quicktime.model", "Phone 99")])]),
        "a.flac": af.flac_with([(4, af.vorbis_block([("ARTIST", "Kim Example")])), (6, af.picture_block()),
                                *af.riff_application([af.info_list([(b"IART", "Robin Example")])])]),
        "a.mp3": af.id3_bytes([TPE1(encoding=3, text=["Robin Example"])]) + af.mpeg_frames(),
        "a.opus": af.ogg_opus([("ARTIST", "Robin Example")]),
    }


KINDS = {"a.wav": "wav", "a.aiff": "aiff", "a.mov": "mp4", "a.flac": "flac", "a.mp3": "mp3", "a.opus": "ogg"}


def read_or_reason(path: Path, kind: str) -> str | None:
    """Run the reader to the end: None when it read the file, else the Unscannable reason.
    Any other exception fails the test."""
    reader = reader_for(kind)
    assert reader is not None
    try:
        for _ in reader(Artifact(path, path.name, kind)):
            pass
    except Unscannable as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("name", sorted(KINDS))
def test_truncated_files_are_read_or_unscannable(tmp_path: Path, name: str) -> None:
    data = sample_files()[name]
    reasons = []
    for cut in sorted({0, 1, 4, 8, 12, 13, 20, 40, len(data) // 3, len(data) // 2, len(data) - 3}):
        path = af.write(tmp_path / name, data[:cut])
        reason = read_or_reason(path, KINDS[name])
        if reason is not None:
            assert "Robin" not in reason and "Kim" not in reason  # reasons, never content
            reasons.append(reason)
    assert reasons  # cutting the header off must be noticed


@pytest.mark.parametrize(("name", "reason"), [
    ("a.wav", "truncated"),
    ("a.aiff", "truncated"),
    ("a.flac", "truncated"),
])
def test_metadata_cut_in_half_is_unscannable_with_reason(tmp_path: Path, name: str, reason: str) -> None:
    data = {  # the last chunk/block is metadata, so the cut lands inside it
        "a.wav": af.wav_with([af.bext(originator="X" * 20, description="d" * 200)]),
        "a.aiff": af.aiff_with([]) + af.aiff_text(b"ANNO", "a" * 300),
        "a.flac": af.flac_with([(4, af.vorbis_block([("COMMENT", "c" * 300)]))])[:-34],
    }[name]
    path = af.write(tmp_path / name, data[: len(data) - 100])
    assert reason in unscannable_reason(path)


def test_corrupt_chunk_size_does_not_allocate(tmp_path: Path) -> None:
    huge = b"LIST" + struct.pack("<I", 0xFFFFFFF0) + b"INFO" + b"\0" * 16
    path = af.write(tmp_path / "huge.wav", af.wav_with([huge]))
    assert "limit" in unscannable_reason(path)
    box = struct.pack(">I", 1) + b"udta" + struct.pack(">Q", 1 << 40)
    path = af.write(tmp_path / "huge.mov", af.mp4_with([box]))
    assert "truncated" in unscannable_reason(path)


def test_ixml_entity_expansion_is_refused(tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE BWFXML [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><BWFXML><NOTE>&b;</NOTE></BWFXML>')
    path = af.write(tmp_path / "bomb.wav", af.wav_with([af.chunk(b"iXML", bomb)]))
    assert "entities" in unscannable_reason(path)
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><BWFXML>&e;</BWFXML>'
    path = af.write(tmp_path / "ext.wav", af.wav_with([af.chunk(b"iXML", external)]))
    assert "entities" in unscannable_reason(path)


def test_malformed_ixml_is_unscannable(tmp_path: Path) -> None:
    path = af.write(tmp_path / "bad.wav", af.wav_with([af.chunk(b"iXML", b"<BWFXML><NOTE>open")]))
    assert "not well-formed" in unscannable_reason(path)


def test_mp3_that_is_text_is_read_as_text(tmp_path: Path) -> None:
    path = af.write(tmp_path / "song.mp3", b"this is not audio, write to office@example.test\n")
    kind, cats = scan(path)
    assert kind == "text"
    assert "email" in cats and "unscannable" not in cats


@pytest.mark.parametrize("name", ["junk.mp3", "junk.ape"])
def test_binary_junk_with_audio_suffix_is_unscannable(tmp_path: Path, name: str) -> None:
    path = af.write(tmp_path / name, bytes(range(256)) * 8)
    assert unscannable_reason(path)


@pytest.mark.parametrize("name", ["empty.wav", "empty.mp3", "empty.flac", "empty.m4a", "empty.aiff"])
def test_empty_audio_files_are_read_as_empty(tmp_path: Path, name: str) -> None:
    path = af.write(tmp_path / name, b"")
    kind, cats = scan(path)
    assert kind == "text"
    assert cats == []


def test_wav_with_truncated_data_chunk_keeps_metadata_before_it(tmp_path: Path) -> None:
    data = af.wav_with([af.info_list([(b"IART", "Robin Example")])], before_data=True, frames=400)
    path = af.write(tmp_path / "cut.wav", data[:-200])
    _, cats = scan(path)
    assert "person_name" in cats and "unscannable" not in cats


def test_large_wav_payload_is_never_read(tmp_path: Path) -> None:
    """A 500 MB WAV whose metadata sits after `data`: the reader reads a few KB, not the payload."""
    path = tmp_path / "big.wav"
    payload = 500 << 20
    tail = af.info_list([(b"IART", "Robin Example")])
    fmt = af.chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
    with path.open("wb") as fh:
        fh.write(b"RIFF" + struct.pack("<I", 4 + len(fmt) + 8 + payload + len(tail)) + b"WAVE" + fmt)
        fh.write(b"data" + struct.pack("<I", payload))
        fh.seek(payload, 1)  # sparse: nothing is written for the payload
        fh.write(tail)
    reader = reader_for("wav")
    assert reader is not None
    before = _bytes_read()
    fields = [f for f in reader(Artifact(path, path.name, "wav")) if hasattr(f, "text")]
    read = _bytes_read() - before
    assert [f.text for f in fields] == ["Robin Example"]
    assert read < 1 << 20, read


def _bytes_read() -> int:
    io_stats = Path("/proc/self/io")
    if not io_stats.exists():
        pytest.skip("needs /proc/self/io to count bytes read")
    for line in io_stats.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


SAMPLES = sample_files()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(SAMPLES)), data=st.data())
def test_mutated_files_only_raise_unscannable(tmp_path: Path, name: str, data: st.DataObject) -> None:
    """Bit flips, byte overwrites and truncations of valid files: a reader either yields fields or
    raises Unscannable; nothing else escapes (the engine would turn it into a vaguer finding)."""
    raw = bytearray(SAMPLES[name])
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        if data.draw(st.booleans()):
            raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        else:
            raw[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        del raw[data.draw(st.integers(1, len(raw))):]
    path = af.write(tmp_path / name, bytes(raw))
    reason = read_or_reason(path, KINDS[name])
    assert reason is None or reason


def test_id3_tag_over_unknown_stream_is_read_with_a_note(tmp_path: Path) -> None:
    path = af.write(tmp_path / "adts.mp3", af.id3_bytes([TPE1(encoding=3, text=["Robin Example"])]) + b"\0" * 64)
    reader = reader_for("mp3")
    assert reader is not None
    items = list(reader(Artifact(path, path.name, "mp3")))
    assert [i.message for i in items if isinstance(i, Note)] == [
        "no MPEG audio frames found after the ID3 tag; only the tags were read"]
    assert [(f.name, f.text) for f in items if isinstance(f, Field)] == [("ID3:TPE1", "Robin Example")]
