"""Bad input for every text-side reader: encodings, empty, truncated, corrupt, mislabelled,
binary junk and oversized files. Each is read correctly or becomes one `unscannable`
finding with a reason; no other exception escapes a reader and the run always continues.
Property-based tests feed random bytes, truncations and bit flips of valid fixtures.
"""

from __future__ import annotations

import gzip
import json
import signal
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechgate.cli import main
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.errors import Unscannable
from speechgate.kinds import classify
from speechgate.model import Artifact, Category, Field, Note
from speechgate.readers import reader_for
from speechgate.readers.textio import lines
from speechgate.rules import rule_files


def _npy() -> bytes:
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 256), }"
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(64)


def _npz() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("emb.npy", _npy())
    return buffer.getvalue()


# name -> a small valid fixture of that format (invented content)
FIXTURES: dict[str, bytes] = {
    "notes.txt": b"Call Kim Example on 555 0100.\n",
    "a.lab": b"the quick brown fox\n",
    "a.trn": b"hello there (spk1-utt1)\n",
    "a.json": json.dumps({"speaker": "kim", "segments": [{"text": "hi", "start": 0.0}]}).encode(),
    "a.jsonl": b'{"audio_filepath": "/home/kim/a.wav", "text": "hi"}\n{"text": "yo"}\n',
    "a.csv": b"path,speaker,sentence\na.wav,kim,hello\n",
    "a.tsv": b"client_id\tpath\tage\nabc\ta.mp3\tthirties\n",
    "a.srt": b"1\n00:00:01,000 --> 00:00:02,000\nHello Kim\n",
    "a.vtt": b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Kim Example>Hello\n",
    "a.rttm": b"SPEAKER rec1 1 0.0 1.0 <NA> <NA> kim <NA> <NA>\n",
    "a.stm": b"rec1 A kim 0.0 1.0 <o,f0,female> hello\n",
    "a.ctm": b"rec1 1 0.0 0.5 hello 0.9\n",
    "a.uem": b"rec1 1 0.0 10.0\n",
    "utt2spk": b"u1 kim\nu2 sam\n",
    "dev.speakers.txt": b"kim\nsam\n",
    "a.TextGrid": (b'File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n1\n<exists>\n1\n'
                   b'"IntervalTier"\n"kim"\n0\n1\n1\n0\n1\n"hello"\n'),
    "a.eaf": (b'<?xml version="1.0"?>\n<ANNOTATION_DOCUMENT AUTHOR="Kim"><TIER PARTICIPANT="Kim" TIER_ID="t">'
              b"<ANNOTATION><ALIGNABLE_ANNOTATION><ANNOTATION_VALUE>hi</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION>"
              b"</ANNOTATION></TIER></ANNOTATION_DOCUMENT>\n"),
    "a.pfsx": b'<?xml version="1.0"?>\n<preferences><pref key="Dir"><String>/home/kim</String></pref></preferences>\n',
    "a.cha": (b"@UTF8\n@Begin\n@Participants:\tCHI Kim Target_Child\n"
              b"@ID:\teng|x|CHI|2;01.02|female|||Target_Child|||\n*CHI:\thello .\n%mor:\tn:prop|Kim .\n@End\n"),
    "a.jsonl.gz": gzip.compress(b'{"speaker": "kim"}\n'),
    "a.npy": _npy(),
    "a.npz": _npz(),
}


def _read(path: Path) -> list[Field | Note]:
    kind = classify(path, path.read_bytes()[:4096])
    reader = reader_for(kind)
    if reader is None:
        return []
    return list(reader(Artifact(path, path.name, kind)))


@contextmanager
def _hang_guard(seconds: int = 20) -> Iterator[None]:
    """Fail (rather than hang the suite) if one read does not finish: a hang detector, not a timing test."""
    def _raise(*_: object) -> None:
        raise AssertionError(f"reader did not finish within {seconds}s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _read_or_unscannable(path: Path) -> None:
    with _hang_guard():
        try:
            _read(path)
        except Unscannable as exc:
            assert str(exc)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_reads_cleanly(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(FIXTURES[name])
    assert [f for f in _read(path) if isinstance(f, Field)]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_empty_file_yields_nothing_or_a_reason(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    _read_or_unscannable(path)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_truncation_is_read_or_unscannable(tmp_path: Path, name: str) -> None:
    data = FIXTURES[name]
    path = tmp_path / name
    for cut in range(0, len(data), max(1, len(data) // 40)):
        path.write_bytes(data[:cut])
        _read_or_unscannable(path)


_fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_fuzz
@given(name=st.sampled_from(sorted(FIXTURES)), data=st.binary(max_size=2048))
def test_random_bytes_under_every_name(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _read_or_unscannable(path)


@_fuzz
@given(name=st.sampled_from(sorted(FIXTURES)), flips=st.lists(st.tuples(st.integers(0), st.integers(0, 7)),
                                                               min_size=1, max_size=8))
def test_bit_flips_of_fixtures(tmp_path: Path, name: str, flips: list[tuple[int, int]]) -> None:
    data = bytearray(FIXTURES[name])
    for position, bit in flips:
        data[position % len(data)] ^= 1 << bit
    path = tmp_path / name
    path.write_bytes(bytes(data))
    _read_or_unscannable(path)


def _texts(path: Path) -> tuple[list[str], list[str]]:
    got = list(lines(path))
    return [t for _, t in (g for g in got if not isinstance(g, Note))], [g.message for g in got if isinstance(g, Note)]


@pytest.mark.parametrize(("raw", "expected"), [
    ("Zoë Example\r\nnext".encode(), ["Zoë Example", "next"]),
    (b"\xef\xbb\xbf" + "Zoë\rnext".encode(), ["Zoë", "next"]),
    ("Zoë\nnext\n".encode("utf-16"), ["Zoë", "next"]),
    (b"\xfe\xff" + "Zoë\nnext".encode("utf-16-be"), ["Zoë", "next"]),
    # shorter than the 4-byte head the reader peeks at: BOM alone, BOM and one letter, bytes
    (b"\xef\xbb\xbf", []),
    (b"\xef\xbb\xbfa", ["a"]),
    (b"ab\n", ["ab"]),
    (b"a", ["a"]),
    (b"\xff\xfe", []),
    (gzip.compress(b"\xef\xbb\xbf" + "Zoë\nnext".encode()), ["Zoë", "next"]),
    (gzip.compress("Zoë\nnext".encode("utf-16")), ["Zoë", "next"]),
])
def test_encodings_decode_without_notes(tmp_path: Path, raw: bytes, expected: list[str]) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(raw)
    assert _texts(path) == (expected, [])


def test_latin1_fallback_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("fine\nZoë\n".encode("latin-1"))
    assert _texts(path) == (["fine", "Zoë"], ["line 2: not valid UTF-8; decoded as latin-1"])
    scan = scan_artifact(Artifact(path, "t.txt", "text"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert scan.notes == ("line 2: not valid UTF-8; decoded as latin-1",)


def test_text_limit_is_reported_not_truncated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGATE_MAX_TEXT_MB", "1")
    path = tmp_path / "huge.stm"
    path.write_bytes(b"rec1 A spk1 0.0 1.0 hello there\n" * 40_000)
    scan = scan_artifact(Artifact(path, "huge.stm", "stm"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert [f.category for f in scan.findings] == [Category.UNSCANNABLE]
    assert "limit SPEECHGATE_MAX_TEXT_MB" in scan.findings[0].message


def test_field_limit_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGATE_MAX_FIELDS", "10")
    path = tmp_path / "dev.speakers.txt"
    path.write_bytes(b"spk1\n" * 20)
    scan = scan_artifact(Artifact(path, path.name, "idlist"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert "more than 10 fields" in scan.findings[-1].message


@pytest.mark.parametrize(("lines", "too_many"), [(10, False), (11, True)])
def test_field_limit_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: int, too_many: bool) -> None:
    """Exactly the limit is fine; one field more is unscannable."""
    monkeypatch.setenv("SPEECHGATE_MAX_FIELDS", "10")
    path = tmp_path / "dev.speakers.txt"
    path.write_bytes(b"".join(b"spk%d\n" % i for i in range(lines)))
    scan = scan_artifact(Artifact(path, path.name, "idlist"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert any("more than 10 fields" in f.message for f in scan.findings) is too_many


def test_line_formats_stream(tmp_path: Path) -> None:
    """A reader of a line format yields its first field before reading the rest of the file."""
    path = tmp_path / "big.ctm"
    path.write_bytes(b"rec1 1 0.0 0.5 hello\n" + b"rec1 1 0.0 0.5 \xff\xfe broken tail\n" * 200_000)
    reader = reader_for("ctm")
    assert reader is not None
    first = next(iter(reader(Artifact(path, "big.ctm", "ctm"))))
    assert isinstance(first, Field) and first.text == "rec1"


def test_mislabelled_and_junk_files_never_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "song.mp3").write_text("speaker: Kim Example\n", encoding="utf-8")  # really text
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)  # binary junk with a text name
    (tmp_path / "cut.eaf").write_bytes(FIXTURES["a.eaf"][:60])
    (tmp_path / "fake.TextGrid").write_bytes(b"\x00\x01\x02 garbage")
    (tmp_path / "fake.json").write_bytes(b"{not json")
    (tmp_path / "ok.stm").write_bytes(FIXTURES["a.stm"])
    out = tmp_path / "r.json"
    code = main(["check", str(tmp_path), "--format", "json", "--output", str(out), "--no-cache"])
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    by_name = {Path(a["path"]).name: a for a in report["artifacts"] if a["path"] != str(out)}
    for name in ("junk.txt", "cut.eaf", "fake.TextGrid", "fake.json"):
        assert [f["category"] for f in by_name[name]["findings"]] == ["unscannable"], name
        assert by_name[name]["findings"][0]["message"].startswith("Could not scan: ")
    assert by_name["song.mp3"]["kind"] == "text"
    assert "unscannable" not in {f["category"] for f in by_name["ok.stm"]["findings"]}


def test_symlink_outside_the_scanned_folder_is_reported_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "release", tmp_path / "private"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("Kim Example, 555 0100\n", encoding="utf-8")
    (root / "inside.txt").write_text("hello\n", encoding="utf-8")
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "alias.txt").symlink_to(root / "inside.txt")
    out = tmp_path / "r.json"
    main(["check", str(root), "--format", "json", "--output", str(out), "--no-cache"])
    by_name = {Path(a["path"]).name: a for a in json.loads(out.read_text(encoding="utf-8"))["artifacts"]}
    assert by_name["leak.txt"]["kind"] == "symlink_outside"
    assert [f["message"] for f in by_name["leak.txt"]["findings"]] == [
        "Could not scan: symbolic link to a file outside the scanned folder; not followed"]
    assert "inside.txt" in by_name or "alias.txt" in by_name  # a link inside the folder is read as its target
    assert all(a["kind"] != "symlink_outside" for n, a in by_name.items() if n != "leak.txt")


def test_fifo_and_link_to_a_fifo_are_reported_without_blocking(tmp_path: Path) -> None:
    import os

    root = tmp_path / "release"
    root.mkdir()
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would block forever
    os.mkfifo(root / "inner.pipe")
    (root / "link.txt").symlink_to(tmp_path / "pipe")
    out = tmp_path / "r.json"
    with _hang_guard():
        for extra in ([], ["--no-cache"]):
            main(["check", str(root), "--format", "json", "--output", str(out), *extra])
            report = json.loads(out.read_text(encoding="utf-8"))
            by_name = {Path(a["path"]).name: a for a in report["artifacts"]}
            assert by_name["link.txt"]["kind"] == "symlink_outside"
            assert by_name["inner.pipe"]["kind"] == "special"
            message = by_name["inner.pipe"]["findings"][0]["message"]
            assert message.endswith("not a regular file (FIFO, socket or device); not read")


def test_default_field_limit_admits_any_text_within_the_text_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A streamed manifest as large as the text limit allows, with a field every 8 bytes or
    more (`{"a":1,"b":2}` has one per 3 bytes only for one-letter keys), is not unscannable."""
    from speechgate.readers import limits

    monkeypatch.delenv("SPEECHGATE_MAX_FIELDS", raising=False)
    monkeypatch.delenv("SPEECHGATE_MAX_TEXT_MB", raising=False)
    assert limits.max_fields() >= limits.max_text_bytes() // 8
    assert limits.max_fields() >= 50_000_000  # a 1 GB JSONL manifest of speech segments
