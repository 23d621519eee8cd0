"""THE guarantee: no raw matched value reaches any report, log line or cache unless --show-values.

Fixtures are generated with faker (fixed seed): e-mail addresses, phone numbers, payment card
numbers, and names in speaker fields and audio tags, written into every supported format.
Each value must be absent from every format's output, and present with --show-values - the
second half proves the first half can fail.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from faker import Faker

from speechgate.cli import main
from speechgate.model import Field, Role
from speechgate.rules import load_rules, rule_files

from . import audio_fixtures as af

SEED = 20261125
FORMATS = ("text", "json", "sarif", "markdown", "github")


@dataclass
class Planted:
    """Generated values, by kind; `names` go into speaker fields and tags."""

    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # only inside an unparseable file

    def detectable(self) -> list[str]:
        return [*self.emails, *self.phones, *self.cards, *self.names]


def _detected_by(rule_id: str) -> Callable[[str], bool]:
    rule = next(r for r in load_rules(rule_files()) if r.id == rule_id)

    def fires(value: str) -> bool:
        f = Field(f"value {value} here", Role.TEXT, {"line": 1}, column_offset=0)
        return any(m.value == value for m, _ in rule.matches(f))

    return fires


def _generate() -> Planted:
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    planted = Planted()
    email_ok, phone_ok, card_ok = (_detected_by(r) for r in ("pii-email", "pii-phone", "pii-payment-card"))
    seen: set[str] = set()

    def take(target: list[str], make: Callable[[], str], ok: Callable[[str], bool], count: int) -> None:
        for _ in range(200):
            if len(target) == count:
                return
            value = make()
            if value not in seen and ok(value):
                seen.add(value)
                target.append(value)
        raise AssertionError(f"could not generate {count} detectable values")

    take(planted.emails, fake.safe_email, email_ok, 5)
    take(planted.phones, lambda: f"({fake.random_int(201, 989)}) {fake.random_int(201, 989)}-"
                                 f"{fake.numerify('####')}", phone_ok, 5)
    take(planted.cards, lambda: fake.credit_card_number("visa16"), card_ok, 3)
    take(planted.names, lambda: f"{fake.first_name()} {fake.last_name()}", lambda v: len(v) > 8, 10)
    planted.hidden.append(fake.safe_email())
    return planted


def _id3(*frames: object) -> bytes:
    return af.id3_bytes(list(frames))


def _write_fixtures(root: Path, p: Planted) -> dict[str, list[str]]:
    """Write one artifact per supported format; return artifact -> the values planted in it."""
    from mutagen.id3 import COMM, TPE1
    from mutagen.mp4 import MP4

    e, ph, c, n = p.emails, p.phones, p.cards, p.names
    rttm_a, rttm_b = n[2].replace(" ", "_"), n[3].replace(" ", "_")
    planted: dict[str, list[str]] = {
        "notes.txt": [e[0], ph[0], c[0]],
        "transcript.srt": [e[1]],
        "captions.vtt": [n[0], ph[1]],
        "diarization.rttm": [rttm_a, rttm_b],
        "meta.json": [n[1], e[2], ph[2]],
        "manifest.jsonl": [n[4], c[1]],
        "table.csv": [n[5], e[3]],
        "table.tsv": [n[6], c[2]],
        "song.mp3": [n[7], e[4]],
        "take.flac": [n[8], ph[3]],
        "take.wav": [n[9]],
        "clip.m4a": [n[0], ph[4]],
    }
    files: dict[str, bytes | str] = {
        "notes.txt": f"Please write to {e[0]} or call {ph[0]} today.\nThe card {c[0]} was charged twice.\n",
        "transcript.srt": f"1\n00:00:01,000 --> 00:00:03,000\nmy address is {e[1]}\n\n"
                          f"2\n00:00:04,000 --> 00:00:05,000\nagain: {e[1]}\n",
        "captions.vtt": f"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v {n[0]}>please call {ph[1]}\n",
        "diarization.rttm": f"SPEAKER d1 1 0.000 1.500 <NA> <NA> {rttm_a} <NA> <NA>\n"
                            f"SPEAKER d1 1 1.500 2.000 <NA> <NA> {rttm_b} <NA> <NA>\n",
        "meta.json": json.dumps({"utterances": [{"speaker": n[1], "text": f"mail {e[2]} or ring {ph[2]}"}]}),
        "manifest.jsonl": json.dumps({"audio_filepath": "a/0001.wav", "speaker": n[4],
                                      "text": f"card number {c[1]}"}) + "\n",
        "table.csv": f"utt_id,speaker,text\nu1,{n[5]},write to {e[3]}\n",
        "table.tsv": f"utt_id\tspeaker\ttext\nu1\t{n[6]}\tmy card is {c[2]}\n",
        "song.mp3": _id3(TPE1(encoding=3, text=[n[7]]), COMM(encoding=3, lang="eng", desc="",
                                                             text=[f"fan mail to {e[4]}"])) + af.mpeg_frames(),
        "take.flac": af.flac_with([(4, af.vorbis_block([("ARTIST", n[8]), ("COMMENT", f"call {ph[3]}")]))]),
        "take.wav": af.wav_with([af.id3_chunk([TPE1(encoding=3, text=[n[9]])])]),
        "clip.m4a": af.mp4_with([]),
    }
    for name, content in files.items():
        path = root / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    mp4 = MP4(root / "clip.m4a")
    mp4["\xa9ART"] = [n[0]]
    mp4["\xa9cmt"] = [f"hotline {ph[4]}"]
    mp4.save()
    # an unparseable file: its content must not leak through the unscannable reason either
    (root / "broken.json").write_text(f'{{"contact": "{p.hidden[0]}", "speaker": ', encoding="utf-8")
    (root / "broken.mp3").write_bytes(b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + p.hidden[0].encode() + struct.pack("<I", 7))
    return planted


@pytest.fixture(scope="module")
def planted() -> Planted:
    return _generate()


@pytest.fixture
def release(tmp_path: Path, planted: Planted) -> tuple[Path, dict[str, list[str]]]:
    root = tmp_path / "release"
    root.mkdir()
    return root, _write_fixtures(root, planted)


def _forbidden(planted: Planted) -> list[str]:
    """Every planted value plus each longer part of a name (masks keep only first/last letters).

    Name parts that the bundled rule texts themselves use as examples (e.g. in descriptions
    shown in SARIF help) are left out: they are not artifact content.
    """
    rule_text = " ".join(p.read_text(encoding="utf-8") for p in rule_files()).casefold()
    parts = [part for name in planted.names for part in name.split()
             if len(part) >= 5 and part.casefold() not in rule_text]
    return [*planted.detectable(), *parts, *planted.hidden, *(n.replace(" ", "_") for n in planted.names[2:4])]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_generated_values_are_fixed_by_the_seed(planted: Planted) -> None:
    again = _generate()
    assert again == planted
    assert len(set(planted.detectable())) == len(planted.detectable()) == 23


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_raw_value_in_any_format(fmt: str, release: tuple[Path, dict[str, list[str]]], planted: Planted,
                                    tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    caplog: pytest.LogCaptureFixture) -> None:
    root, _ = release
    out = tmp_path / f"report.{fmt}"
    caplog.set_level(logging.DEBUG)
    code, console = _run(["check", str(root), "--format", fmt, "--output", str(out), "--no-cache"], capsys)
    assert code == 1
    report = out.read_text(encoding="utf-8")
    assert len(report) > 200
    for text in (report, console, caplog.text):
        leaked = [v for v in _forbidden(planted) if v in text]
        assert leaked == [], f"{fmt}: raw values leaked"


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_values_does_show_them(fmt: str, release: tuple[Path, dict[str, list[str]]], planted: Planted,
                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, expected = release
    values = sorted({v for vs in expected.values() for v in vs})
    assert len(values) == 23
    out = tmp_path / f"report.{fmt}"
    assert _run(["check", str(root), "--format", fmt, "--output", str(out), "--show-values"], capsys)[0] == 1
    report = out.read_text(encoding="utf-8")
    if fmt in ("json", "sarif"):  # values are JSON strings there; compare decoded
        report = json.dumps(json.loads(report), ensure_ascii=False)
    if fmt == "text":
        report = report.replace("\\'", "'")
    if fmt in ("text", "markdown"):  # these list the top findings only
        shown = [v for v in values if v in report]
        assert len(shown) >= 10
    else:
        missing = [v for v in values if v not in report]
        assert missing == []
    assert planted.hidden[0] not in report


def test_every_format_contributes_a_finding_with_its_value(release: tuple[Path, dict[str, list[str]]],
                                                           tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, expected = release
    out = tmp_path / "r.json"
    main(["check", str(root), "--format", "json", "--output", str(out), "--show-values"])
    capsys.readouterr()
    doc = json.loads(out.read_text(encoding="utf-8"))
    found = {a["path"]: {f.get("value") for f in a["findings"]} for a in doc["artifacts"]}
    for name, values in expected.items():
        missing = [v for v in values if not any(v in (got or "") for got in found[name])]
        assert missing == [], f"{name}: planted values not detected"
    broken = next(a for a in doc["artifacts"] if a["path"] == "broken.json")
    assert [f["category"] for f in broken["findings"]] == ["unscannable"]


def test_cache_holds_no_raw_values(release: tuple[Path, dict[str, list[str]]], planted: Planted,
                                   tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = release
    cache = tmp_path / "cache"
    for _ in range(2):  # write, then read back
        assert main(["check", str(root), "--cache-dir", str(cache), "--format", "json"]) == 1
    capsys.readouterr()
    stored = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert len(stored) > 1000
    leaked = [v for v in _forbidden(planted) if v.encode() in stored]
    assert leaked == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_used_as_keys_or_headers_do_not_leak_through_locators(
    fmt: str, planted: Planted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Locators are built from the artifact's own names: a JSON key that is a speaker's name, or
    the first row of a header-less CSV read as a header. They must be masked like values."""
    root = tmp_path / "release"
    root.mkdir()
    name, email, other = planted.names[1], planted.emails[0], planted.emails[1]
    (root / "speakers.json").write_text(json.dumps({"speakers": {name: {"email": email}}}), encoding="utf-8")
    (root / "contacts.csv").write_text(f"{name},{email}\nKim Example,{other}\n", encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    assert _run(["check", str(root), "--format", fmt, "--output", str(out), "--no-cache"], capsys)[0] == 1
    report = out.read_text(encoding="utf-8")
    rule_text = " ".join(p.read_text(encoding="utf-8") for p in rule_files()).casefold()
    parts = [part for part in name.split() if part.casefold() not in rule_text]  # rule help quotes examples
    assert [v for v in (name, email, other, *parts) if v in report] == []
    shown = tmp_path / f"shown.{fmt}"
    _run(["check", str(root), "--format", fmt, "--output", str(shown), "--no-cache", "--show-values"], capsys)
    assert email in shown.read_text(encoding="utf-8")
