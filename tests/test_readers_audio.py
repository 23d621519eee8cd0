"""Audio container readers: exact fields, roles and locators from generated files, and the
findings the bundled rules make of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.apev2 import APEv2
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    GEOB,
    POPM,
    PRIV,
    SYLT,
    TCOM,
    TIPL,
    TIT2,
    TPE1,
    TXXX,
    UFID,
    USLT,
    WOAR,
    WXXX,
)

from speechgate.cli import main
from speechgate.config import load_config
from speechgate.engine import scan_artifact
from speechgate.gate import settings_for
from speechgate.kinds import classify
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers import reader_for

from . import audio_fixtures as af

UMID = bytes.fromhex("060a2b340101010501010f1013000000") + bytes(range(16, 32))


def read_fields(path: Path) -> list[tuple[str, str, str]]:
    """(name, role, text) of every field the reader for `path` yields; locators are checked too."""
    kind = classify(path, path.read_bytes()[:4096])
    reader = reader_for(kind)
    assert reader is not None, kind
    out = []
    for item in reader(Artifact(path, path.name, kind)):
        if isinstance(item, Note):
            continue
        assert isinstance(item, Field)
        assert item.locator == {"tag": item.name}
        out.append((str(item.name), item.role.value, item.text))
    return out


def findings(path: Path) -> set[tuple[str, str]]:
    """(category, tag) of each finding on `path` (which rule wins a value is the engine's business)."""
    kind = classify(path, path.read_bytes()[:4096])
    scan = scan_artifact(Artifact(path, path.name, kind), settings_for(load_config(None, path.parent)))
    return {(f.category.value, str(f.location.get("tag", f.location.get("field")))) for f in scan.findings}


# ---------------------------------------------------------------- RIFF / WAV


def bwf_wav(tmp_path: Path) -> Path:
    return af.write(tmp_path / "take.wav", af.wav_with([
        af.bext(description="sc=4 tk=2", originator="FieldRec X", reference="ZZEXA0001234567121530",
                date="2024-05-17", time="12:15:30", umid=UMID, history="A=PCM,F=48000,W=24,M=mono\r\n"),
        af.ixml("<PROJECT>Invented Film</PROJECT><NOTE>call Robin Example</NOTE><FILE_UID>ABC1234567</FILE_UID>"
                "<TRACK_LIST><TRACK_COUNT>2</TRACK_COUNT><TRACK><CHANNEL_INDEX>1</CHANNEL_INDEX><NAME>Boom</NAME>"
                "</TRACK><TRACK><CHANNEL_INDEX>2</CHANNEL_INDEX><NAME>Lav Robin</NAME></TRACK></TRACK_LIST>"
                "<LOCATION><LOCATION_GPS>12.345678, -45.678901</LOCATION_GPS></LOCATION>"),
    ], before_data=True))


def test_wav_bext_and_ixml_fields(tmp_path: Path) -> None:
    fields = read_fields(bwf_wav(tmp_path))
    assert fields == [
        ("BEXT:Description", "tag", "sc=4 tk=2"),
        ("BEXT:Originator", "tag", "FieldRec X"),
        ("BEXT:OriginatorReference", "tag", "ZZEXA0001234567121530"),
        ("BEXT:OriginationDate", "tag", "2024-05-17"),
        ("BEXT:OriginationTime", "tag", "12:15:30"),
        ("BEXT:UMID", "tag", UMID.hex()),
        ("BEXT:CodingHistory", "tag", "A=PCM,F=48000,W=24,M=mono"),
        ("iXML:PROJECT", "tag", "Invented Film"),
        ("iXML:NOTE", "tag", "call Robin Example"),
        ("iXML:FILE_UID", "tag", "ABC1234567"),
        ("iXML:TRACK_LIST/TRACK_COUNT", "tag", "2"),
        ("iXML:TRACK_LIST/TRACK/CHANNEL_INDEX", "tag", "1"),
        ("iXML:TRACK_LIST/TRACK/NAME", "tag", "Boom"),  # a generic channel label is not a speaker
        ("iXML:TRACK_LIST/TRACK/CHANNEL_INDEX", "tag", "2"),
        ("iXML:TRACK_LIST/TRACK/NAME", "speaker", "Lav Robin"),
        ("iXML:LOCATION/LOCATION_GPS", "tag", "12.345678, -45.678901"),
    ]


def test_wav_bext_ixml_findings(tmp_path: Path) -> None:
    got = findings(bwf_wav(tmp_path))
    assert {
        ("device_id", "BEXT:OriginatorReference"),
        ("device_id", "BEXT:UMID"),
        ("quasi_identifier", "BEXT:OriginationDate"),
        ("device_id", "iXML:FILE_UID"),
        ("person_name", "iXML:TRACK_LIST/TRACK/NAME"),
        ("geolocation", "iXML:LOCATION/LOCATION_GPS"),
    } <= got
    assert not any(tag == "BEXT:Originator" for _, tag in got)  # a recorder/software name


def test_wav_info_adtl_exif_umid_and_id3_chunks(tmp_path: Path) -> None:
    path = af.write(tmp_path / "a.wav", af.wav_with([
        af.info_list([(b"IART", "Robin Example"), (b"ICRD", "2023-02-01"), (b"ISFT", "Lavf60.3.100")]),
        af.adtl_list([(1, "Marker 1")], [(1, "ask Kim Example")]),
        af.exif_list([(b"ecor", "ExampleCorp"), (b"emdl", "Recorder X7")]),
        af.chunk(b"umid", bytes(8) + bytes(range(1, 17))),
        af.id3_chunk([TPE1(encoding=3, text=["Robin Example"])]),
    ]))
    assert read_fields(path) == [
        ("RIFF:IART", "tag", "Robin Example"),
        ("RIFF:ICRD", "tag", "2023-02-01"),
        ("RIFF:ISFT", "tag", "Lavf60.3.100"),
        ("RIFF:adtl/labl", "tag", "Marker 1"),
        ("RIFF:adtl/note", "tag", "ask Kim Example"),
        ("RIFF:exif/ecor", "tag", "ExampleCorp"),
        ("RIFF:exif/emdl", "tag", "Recorder X7"),
        ("RIFF:umid", "tag", (bytes(8) + bytes(range(1, 17))).hex()),
        ("ID3:TPE1", "tag", "Robin Example"),
    ]
    got = findings(path)
    assert ("person_name", "RIFF:IART") in got
    assert ("quasi_identifier", "RIFF:ICRD") in got
    assert ("device_id", "RIFF:umid") in got
    assert ("device_id", "RIFF:exif/emdl") in got
    assert not any(tag == "RIFF:ISFT" for _, tag in got)


def test_wav_odd_chunk_without_pad_byte_and_trailing_id3(tmp_path: Path) -> None:
    odd = b"INAM" + (3).to_bytes(4, "little") + b"abc"  # odd size, pad byte missing
    info = b"LIST" + (4 + len(odd)).to_bytes(4, "little") + b"INFO" + odd  # odd LIST, no pad either
    base = af.wav_with([info])
    data = base + af.id3_chunk([TIT2(encoding=3, text=["after the end"])])  # beyond the RIFF size
    path = af.write(tmp_path / "odd.wav", data)
    assert read_fields(path) == [("RIFF:INAM", "tag", "abc"), ("ID3:TIT2", "tag", "after the end")]


def test_check_fails_public_on_wav_whose_only_identity_is_in_bext_ixml_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bwf_wav(tmp_path)
    report = tmp_path / "r.json"
    assert main(["check", str(tmp_path / "take.wav"), "--tier", "public", "--format", "json",
                 "--output", str(report)]) == 1
    doc = json.loads(report.read_text())
    text = report.read_text()
    assert "Robin" not in text and "ZZEXA0001234567121530" not in text  # values stay masked
    assert doc["artifacts"][0]["verdict"] == "fail"


# ---------------------------------------------------------------- AIFF


def test_aiff_native_chunks(tmp_path: Path) -> None:
    path = af.write(tmp_path / "a.aiff", af.aiff_with([
        af.aiff_text(b"NAME", "Interview 3"),
        af.aiff_text(b"AUTH", "Robin Example"),
        af.aiff_text(b"(c) ", "2024 Robin Example"),
        af.aiff_text(b"ANNO", "recorded in the kitchen"),
        af.aiff_comments(["first take", "call back"]),
        af.chunk(b"ID3 ", af.id3_bytes([TCOM(encoding=3, text=["Kim Example"])]), True),
    ]))
    assert read_fields(path) == [
        ("AIFF:NAME", "tag", "Interview 3"),
        ("AIFF:AUTH", "tag", "Robin Example"),
        ("AIFF:(c)", "tag", "2024 Robin Example"),
        ("AIFF:ANNO", "tag", "recorded in the kitchen"),
        ("AIFF:COMT", "tag", "first take"),
        ("AIFF:COMT", "tag", "call back"),
        ("ID3:TCOM", "tag", "Kim Example"),
    ]
    got = findings(path)
    assert ("person_name", "AIFF:AUTH") in got
    assert ("person_name", "AIFF:(c)") in got
    assert ("person_name", "ID3:TCOM") in got


# ---------------------------------------------------------------- MP4 / QuickTime


def phone_video(tmp_path: Path) -> Path:
    return af.write(tmp_path / "clip.mov", af.mp4_with([
        af.box(b"udta", af.udta_text(b"\xa9xyz", "+12.3456-045.6789/")),
        af.qt_meta([
            ("com.apple.quicktime.location.ISO6709", "+12.3456-045.6789+010.000/"),
            ("com.apple.quicktime.make", "ExampleCorp"),
            ("com.apple.quicktime.model", "Phone 99"),
            ("com.apple.quicktime.software", "17.1"),
            ("com.apple.quicktime.creationdate", "2024-05-17T12:15:30+0200"),
        ]),
    ]))


def test_quicktime_udta_and_keys(tmp_path: Path) -> None:
    assert read_fields(phone_video(tmp_path)) == [
        ("QuickTime:©xyz", "tag", "+12.3456-045.6789/"),
        ("QuickTime:com.apple.quicktime.location.ISO6709", "tag", "+12.3456-045.6789+010.000/"),
        ("QuickTime:com.apple.quicktime.make", "tag", "ExampleCorp"),
        ("QuickTime:com.apple.quicktime.model", "tag", "Phone 99"),
        ("QuickTime:com.apple.quicktime.software", "tag", "17.1"),
        ("QuickTime:com.apple.quicktime.creationdate", "tag", "2024-05-17T12:15:30+0200"),
    ]


def test_quicktime_findings_and_check_reports_geolocation(tmp_path: Path) -> None:
    path = phone_video(tmp_path)
    got = findings(path)
    assert ("geolocation", "QuickTime:©xyz") in got
    assert ("device_id", "QuickTime:com.apple.quicktime.model") in got
    assert ("quasi_identifier", "QuickTime:com.apple.quicktime.creationdate") in got
    assert not any(tag == "QuickTime:com.apple.quicktime.software" for _, tag in got)
    report = tmp_path / "r.json"
    assert main(["check", str(path), "--format", "json", "--output", str(report)]) == 1
    cats = {f["category"] for f in json.loads(report.read_text())["artifacts"][0]["findings"]}
    assert "geolocation" in cats


def test_mp4_ilst_still_read_by_mutagen(tmp_path: Path) -> None:
    from mutagen.mp4 import MP4, MP4FreeForm

    path = phone_video(tmp_path)
    tags = MP4(path)
    tags["\xa9ART"] = ["Robin Example"]
    tags["----:com.apple.iTunes:UFIDhttp://example.org"] = [MP4FreeForm(b"EXAMPLE123456")]
    tags.save()
    fields = read_fields(path)
    assert ("MP4:©ART", "tag", "Robin Example") in fields
    assert ("MP4:----:com.apple.iTunes:UFIDhttp://example.org", "tag", "EXAMPLE123456") in fields
    assert ("QuickTime:com.apple.quicktime.model", "tag", "Phone 99") in fields
    assert ("device_id", "MP4:----:com.apple.iTunes:UFIDhttp://example.org") in findings(path)


# ---------------------------------------------------------------- FLAC


def test_flac_vorbis_picture_and_foreign_riff_blocks(tmp_path: Path) -> None:
    foreign = [
        af.info_list([(b"IART", "Robin Example")]),
        af.bext(originator="FieldRec X", reference="ZZEXA0001234567121530", date="2024-05-17", time="12:15:30"),
    ]
    path = af.write(tmp_path / "a.flac", af.flac_with([
        (4, af.vorbis_block([("ARTIST", "Kim Example"), ("REPLAYGAIN_TRACK_GAIN", "-8.08 dB")])),
        (6, af.picture_block(desc="portrait")),
        *af.riff_application(foreign),
    ]))
    assert read_fields(path) == [
        ("vorbis:ARTIST", "tag", "Kim Example"),
        ("vorbis:REPLAYGAIN_TRACK_GAIN", "tag", "-8.08 dB"),
        ("FLAC:PICTURE", "binary", "picture image/png 32 bytes"),
        ("FLAC:PICTURE/description", "tag", "portrait"),
        ("FLAC:APPLICATION/riff/RIFF:IART", "tag", "Robin Example"),
        ("FLAC:APPLICATION/riff/BEXT:Originator", "tag", "FieldRec X"),
        ("FLAC:APPLICATION/riff/BEXT:OriginatorReference", "tag", "ZZEXA0001234567121530"),
        ("FLAC:APPLICATION/riff/BEXT:OriginationDate", "tag", "2024-05-17"),
        ("FLAC:APPLICATION/riff/BEXT:OriginationTime", "tag", "12:15:30"),
    ]
    got = findings(path)
    assert ("person_name", "FLAC:APPLICATION/riff/RIFF:IART") in got
    assert ("device_id", "FLAC:APPLICATION/riff/BEXT:OriginatorReference") in got
    assert ("person_name", "FLAC:PICTURE") in got
    assert not any("REPLAYGAIN" in tag for _, tag in got)


def test_ogg_style_metadata_block_picture_is_described_not_copied(tmp_path: Path) -> None:
    import base64

    block = base64.b64encode(af.picture_block(mime="image/jpeg", data=b"\xff\xd8" + b"\0" * 98)).decode()
    path = af.write(tmp_path / "b.flac", af.flac_with([(4, af.vorbis_block([("METADATA_BLOCK_PICTURE", block)]))]))
    assert read_fields(path) == [("vorbis:METADATA_BLOCK_PICTURE", "binary", "picture image/jpeg 100 bytes")]


# ---------------------------------------------------------------- MP3


def test_mp3_id3_frames_and_trailers(tmp_path: Path) -> None:
    path = af.write(tmp_path / "a.mp3", af.mpeg_frames())
    from mutagen.id3 import ID3

    tags = ID3()
    for frame in [
        TPE1(encoding=3, text=["Robin Example"]),
        TXXX(encoding=3, desc="Recordist", text=["Kim Example"]),
        COMM(encoding=3, lang="eng", desc="", text=["see www.robin-example.test"]),
        USLT(encoding=3, lang="eng", desc="", text="hello my name is Robin"),
        SYLT(encoding=3, lang="eng", format=2, type=1, desc="", text=[("hello", 0), ("again", 500)]),
        WOAR(url="https://example.test/~robin"),
        WXXX(encoding=3, desc="home", url="https://example.test/robin"),
        POPM(email="rater@example.test", rating=128, count=1),
        PRIV(owner="WM/UniqueFileIdentifier", data=b"\x01\x02"),
        GEOB(encoding=3, mime="text/plain", filename="notes.txt", desc="session notes", data=b"x"),
        UFID(owner="http://example.test/ufid", data=b"\x0a\x0b\x0c"),
        APIC(encoding=3, mime="image/png", type=3, desc="", data=b"\0" * 10),
        TIPL(encoding=3, people=[["engineer", "Sam Example"]]),
        CHAP(element_id="ch1", start_time=0, end_time=1000, sub_frames=[TIT2(encoding=3, text=["Chapter of Robin"])]),
    ]:
        tags.add(frame)
    tags.save(path)
    ape = APEv2()
    ape["Artist"] = "Ape Example"
    ape.save(path)
    lyrics = b"LYRICSBEGIN" + b"EAR00011Lyr Example"
    with path.open("ab") as fh:
        fh.write(lyrics + f"{len(lyrics):06d}".encode() + b"LYRICS200")
        fh.write(b"TAG" + b"v1 title".ljust(30, b"\0") + b"V1 Example".ljust(30, b"\0") + b"\0" * 30
                 + b"2024" + b"v1 comment".ljust(28, b"\0") + b"\0\x05" + b"\xff")
    fields = read_fields(path)
    expected = {
        ("ID3:TPE1", "tag", "Robin Example"),
        ("ID3:TXXX:Recordist", "tag", "Kim Example"),
        ("ID3:COMM", "tag", "see www.robin-example.test"),
        ("ID3:USLT", "tag", "hello my name is Robin"),
        ("ID3:SYLT", "tag", "hello again"),
        ("ID3:WOAR", "tag", "https://example.test/~robin"),
        ("ID3:WXXX", "tag", "https://example.test/robin"),
        ("ID3:POPM", "tag", "rater@example.test"),
        ("ID3:PRIV", "tag", "WM/UniqueFileIdentifier"),
        ("ID3:GEOB", "tag", "notes.txt session notes"),
        ("ID3:UFID", "tag", "http://example.test/ufid 0a0b0c"),
        ("ID3:APIC", "binary", "picture image/png 10 bytes"),
        ("ID3:TIPL:engineer", "tag", "Sam Example"),
        ("ID3:TIT2", "tag", "Chapter of Robin"),
        ("APE:Artist", "tag", "Ape Example"),
        ("Lyrics3:EAR", "tag", "Lyr Example"),
        ("ID3v1:title", "tag", "v1 title"),
        ("ID3v1:artist", "tag", "V1 Example"),
        ("ID3v1:comment", "tag", "v1 comment"),
    }
    assert set(fields) == expected
    assert len(fields) == len(expected)
    got = findings(path)
    for cat, tag in [
        ("person_name", "ID3:TPE1"),
        ("person_name", "ID3v1:artist"),
        ("person_name", "Lyrics3:EAR"),
        ("person_name", "APE:Artist"),
        ("email", "ID3:POPM"),
        ("device_id", "ID3:PRIV"),
        ("device_id", "ID3:UFID"),
        ("online_identifier", "ID3:WOAR"),
        ("online_identifier", "ID3:COMM"),
    ]:
        assert (cat, tag) in got


def test_bare_apev2_file(tmp_path: Path) -> None:
    path = tmp_path / "tags.apev2"
    ape = APEv2()
    ape["Artist"] = "Robin Example"
    ape["Comment"] = "tagged"
    ape.save(path)
    assert sorted(read_fields(path)) == [("APE:Artist", "tag", "Robin Example"), ("APE:Comment", "tag", "tagged")]


def test_roles_of_pictures_are_binary(tmp_path: Path) -> None:
    path = af.write(tmp_path / "p.wav", af.wav_with([af.id3_chunk([APIC(encoding=3, mime="image/jpeg", type=3,
                                                                          desc="", data=b"\0" * 7)])]))
    assert read_fields(path) == [("ID3:APIC", Role.BINARY.value, "picture image/jpeg 7 bytes")]


def test_rf64_data_size_from_ds64_and_metadata_after_data(tmp_path: Path) -> None:
    import struct

    base = af.pcm_wav(16)
    fmt_end = base.index(b"data")
    data_len = len(base) - fmt_end - 8
    ds64 = af.chunk(b"ds64", struct.pack("<QQQI", 0, data_len, 16, 0))
    body = (b"WAVE" + ds64 + base[12:fmt_end] + b"data" + struct.pack("<I", 0xFFFFFFFF) + base[fmt_end + 8 :]
            + af.info_list([(b"IART", "Robin Example")]))
    path = af.write(tmp_path / "big.wav", b"RF64" + struct.pack("<I", 0xFFFFFFFF) + body)
    assert read_fields(path) == [("RIFF:IART", "tag", "Robin Example")]


XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Model="Recorder X7">'
       '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Seq><rdf:li>Robin Example</rdf:li></rdf:Seq>'
       '</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')


def test_xmp_in_wav_and_mp4(tmp_path: Path) -> None:
    expected = [
        ("XMP:RDF/Description@Model", "tag", "Recorder X7"),
        ("XMP:RDF/Description/creator/Seq/li", "tag", "Robin Example"),
    ]
    wav = af.write(tmp_path / "x.wav", af.wav_with([af.chunk(b"_PMX", XMP.encode())]))
    assert read_fields(wav) == expected
    uuid = af.box(b"uuid", bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + XMP.encode())
    mov = af.write(tmp_path / "x.mov", af.mp4_with([]) + uuid)
    assert read_fields(mov) == expected
    got = findings(mov)
    assert ("device_id", "XMP:RDF/Description@Model") in got
    assert ("person_name", "XMP:RDF/Description/creator/Seq/li") in got


def test_lyrics3_v1_before_id3v1(tmp_path: Path) -> None:
    tail = (b"LYRICSBEGIN" + b"sung by Robin Example" + b"LYRICSEND"
            + b"TAG" + b"t".ljust(30, b"\0") + b"\0" * 30 + b"\0" * 30 + b"2024" + b"\0" * 30 + b"\xff")
    path = af.write(tmp_path / "l.mp3", af.mpeg_frames() + tail)
    assert read_fields(path) == [("ID3v1:title", "tag", "t"), ("Lyrics3:LYR", "tag", "sung by Robin Example")]


def test_ogg_opus_comments_and_picture(tmp_path: Path) -> None:
    import base64

    picture = base64.b64encode(af.picture_block(mime="image/png", desc="face")).decode()
    path = af.write(tmp_path / "a.opus", af.ogg_opus([
        ("ARTIST", "Robin Example"), ("ENCODER", "Lavf60.3.100"), ("METADATA_BLOCK_PICTURE", picture),
    ]))
    assert read_fields(path) == [
        ("vorbis:ARTIST", "tag", "Robin Example"),
        ("vorbis:ENCODER", "tag", "Lavf60.3.100"),
        ("vorbis:METADATA_BLOCK_PICTURE", "binary", "picture image/png 32 bytes"),
        ("vorbis:METADATA_BLOCK_PICTURE/description", "tag", "face"),
    ]
    got = findings(path)
    assert ("person_name", "vorbis:ARTIST") in got
    assert ("person_name", "vorbis:METADATA_BLOCK_PICTURE") in got
    assert not any(tag == "vorbis:ENCODER" for _, tag in got)


def test_3gpp_asset_boxes(tmp_path: Path) -> None:
    import struct

    def asset(kind: bytes, text: str) -> bytes:
        return af.box(kind, b"\0\0\0\0" + struct.pack(">H", 0x15C7) + text.encode() + b"\0")

    loci = af.box(b"loci", b"\0\0\0\0" + struct.pack(">H", 0x15C7) + b"Exampletown\0" + b"\0" + b"\0" * 12)
    path = af.write(tmp_path / "a.3gp", af.mp4_with([af.box(b"udta", asset(b"auth", "Robin Example") + loci)]))
    assert read_fields(path) == [("QuickTime:auth", "tag", "Robin Example"), ("QuickTime:loci", "tag", "Exampletown")]
    got = findings(path)
    assert ("person_name", "QuickTime:auth") in got
    assert ("quasi_identifier", "QuickTime:loci") in got


def test_bext_description_pairs(tmp_path: Path) -> None:
    desc = "sSCENE=12A\r\nsTAKE=3\r\nsTRK1=MixL\r\nsTRK2=Lav Robin\r\nsNOTE=\r\nfree text line"
    path = af.write(tmp_path / "sd.wav", af.wav_with([af.bext(description=desc)]))
    assert read_fields(path) == [
        ("BEXT:Description", "tag", desc),
        ("BEXT:Description/SCENE", "tag", "12A"),
        ("BEXT:Description/TAKE", "tag", "3"),
        ("BEXT:Description/TRK1", "tag", "MixL"),
        ("BEXT:Description/TRK2", "speaker", "Lav Robin"),
    ]
    assert ("person_name", "BEXT:Description/TRK2") in findings(path)
