"""RIFF WAVE / RF64 / BW64 metadata: LIST/INFO, Broadcast WAV `bext`, `iXML`, `axml`, XMP
(`_PMX`), LIST/exif, LIST/adtl labels and notes, `umid`, and the `ID3 ` chunk (via mutagen).

In: a WAV artifact (or, through `chunk_stream_fields`, the raw chunks FLAC keeps in its
`riff` APPLICATION blocks). Out: TAG fields named `RIFF:IART`, `BEXT:Originator`,
`iXML:TRACK_LIST/TRACK/NAME` (role SPEAKER: a track name labels a talent's channel),
`RIFF:umid`, `RIFF:adtl/labl`, `RIFF:exif/ecor`, `ID3:TPE1`...

Why our own reader: mutagen's `wave` module exposes only the ID3 chunk; INFO, bext, iXML,
adtl and umid are invisible to it (and `WAVE.delete()` leaves them in place). The walk reads
chunk headers and metadata payloads only: `data` is seeked over, never read, and every
size from the file is bounded (see `audio_chunks`).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import BinaryIO

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.audio_chunks import (
    MAX_VALUE,
    Chunk,
    decode_text,
    file_size,
    id3_fields,
    read_payload,
    tag_field,
    walk_chunks,
    xml_fields,
)

PAYLOAD = frozenset({b"data", b"fact", b"PAD ", b"JUNK", b"junk", b"FLLR", b"pad ", b"wavl", b"slnt"})
LIST_FORMS = frozenset({b"INFO", b"adtl", b"exif"})
IXML_SPEAKERS = frozenset({"TRACK_LIST/TRACK/NAME"})
GENERIC_CHANNEL = re.compile(
    r"(?i)(mix|boom|lav|lavalier|wireless|radio ?mic|plant|ch|chan|channel|track|trk|tr|input|in|mic|room|"
    r"amb|ambience|ambient|atmos|slate|comm|tc|timecode|left|right|centre|center|mono|stereo|"
    r"[lrcmsxy]|ls|rs|lfe|ms|iso|scratch|guide|ref|stem|bus|aux)?[ _-]?\d{0,3}[ _-]?(l|r|left|right)?"
)
_DESCRIPTION_PAIR = re.compile(r"[a-z]?([A-Z][A-Z0-9_]{1,31})=(.*)")
_TRACK_KEY = re.compile(r"TRK\d{1,3}|TRACK\d{1,3}(_?NAME)?")
_BEXT = struct.Struct("<256s32s32s10s8sQH64s10s180s")  # EBU Tech 3285 v2 fixed part (602 bytes)


def read(artifact: Artifact) -> Iterator[Field | Note]:
    with artifact.path.open("rb") as fh:
        end = file_size(fh)
        head = fh.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64", b"BW64") or head[8:12] not in (b"WAVE", b"RF64"):
            raise Unscannable("not a RIFF WAVE file (bad header)")
        yield from chunk_stream_fields(fh, 12, end)


def chunk_stream_fields(fh: BinaryIO, start: int, end: int, prefix: str = "") -> Iterator[Field | Note]:
    """Fields from the RIFF chunks in [start, end) of `fh` (walks to end of file, so an
    `id3 ` chunk appended after the RIFF size is read too)."""
    sizes64: dict[bytes, int] = {}
    for chunk in walk_chunks(fh, start, end, sizes64=sizes64):
        cid = chunk.cid
        if cid == b"ds64":
            payload = read_payload(fh, chunk, end, "ds64")
            if len(payload) >= 16:
                sizes64[b"data"] = struct.unpack_from("<Q", payload, 8)[0]
            continue
        if cid in PAYLOAD:
            if chunk.start + chunk.size > end:
                yield Note(f"audio payload chunk '{chunk.name.strip()}' is truncated; metadata after it not read")
                return
            continue
        yield from _chunk_fields(fh, chunk, end, prefix)


def _chunk_fields(fh: BinaryIO, chunk: Chunk, end: int, prefix: str) -> Iterator[Field]:
    cid = chunk.cid
    if cid == b"LIST":
        fh.seek(chunk.start)
        if fh.read(4) in LIST_FORMS:
            yield from _list_fields(read_payload(fh, chunk, end, "LIST"), prefix)
    elif cid == b"bext":
        yield from _bext_fields(read_payload(fh, chunk, end, "bext"), prefix)
    elif cid == b"iXML":
        yield from _prefixed(_ixml_fields(read_payload(fh, chunk, end, "iXML")), prefix)
    elif cid == b"axml":
        yield from _prefixed(xml_fields(read_payload(fh, chunk, end, "axml"), "aXML"), prefix)
    elif cid == b"_PMX":
        yield from _prefixed(xml_fields(read_payload(fh, chunk, end, "XMP"), "XMP"), prefix)
    elif cid == b"umid":
        data = read_payload(fh, chunk, end, "umid")
        if data.strip(b"\0"):
            yield tag_field(f"{prefix}RIFF:umid", data.hex())
    elif cid in (b"ID3 ", b"id3 "):
        yield from id3_fields(read_payload(fh, chunk, end, "ID3"), prefix)
    elif cid in (b"DISP", b"IDIT"):
        data = read_payload(fh, chunk, end, chunk.name)
        if cid == b"DISP" and data[:4] != b"\x01\0\0\0":
            return  # DISP holds text only with CF_TEXT (1)
        text = decode_text(data[4:] if cid == b"DISP" else data)
        if text:
            yield tag_field(f"{prefix}RIFF:{chunk.name}", text)


def _ixml_fields(data: bytes) -> Iterator[Field]:
    """iXML leaves; a track name is a SPEAKER field unless it is a generic channel label
    ("Boom", "MixL", "Lav 2", "Ch3"), which names equipment, not a person."""
    for f in xml_fields(data, "iXML", IXML_SPEAKERS):
        if f.role is Role.SPEAKER and GENERIC_CHANNEL.fullmatch(f.text.strip()):
            yield Field(f.text, Role.TAG, f.locator, name=f.name)
        else:
            yield f


def _list_fields(payload: bytes, prefix: str) -> Iterator[Field]:
    """LIST/INFO (IART...), LIST/adtl (labl, note, ltxt) and LIST/exif (ecor, emdl...)."""
    import io

    form = payload[:4]
    family = {b"INFO": "RIFF:", b"adtl": "RIFF:adtl/", b"exif": "RIFF:exif/"}.get(form)
    if family is None:
        return
    sub = io.BytesIO(payload)
    for item in walk_chunks(sub, 4, len(payload)):
        data = payload[item.start : item.start + item.size]
        if form == b"adtl":
            if item.cid in (b"labl", b"note"):
                data = data[4:]  # cue point id
            elif item.cid == b"ltxt":
                data = data[20:]  # cue id, length, purpose, country, language, dialect, code page
            else:
                continue
        text = decode_text(data)
        if text:
            yield tag_field(f"{prefix}{family}{item.name.strip()}", text)


def _bext_fields(payload: bytes, prefix: str) -> Iterator[Field]:
    if len(payload) < _BEXT.size:
        payload = payload.ljust(_BEXT.size, b"\0")
    desc, originator, reference, date, time, _timeref, _version, umid, _loud, _res = _BEXT.unpack_from(payload)
    for key, raw in (("Description", desc), ("Originator", originator), ("OriginatorReference", reference),
                     ("OriginationDate", date), ("OriginationTime", time)):
        text = decode_text(raw)
        if text:
            yield tag_field(f"{prefix}BEXT:{key}", text)
            if key == "Description":
                yield from _description_pairs(text, prefix)
    if umid.strip(b"\0"):
        basic, extended = umid[:32], umid[32:]
        yield tag_field(f"{prefix}BEXT:UMID", (umid if extended.strip(b"\0") else basic).hex())
    history = decode_text(payload[_BEXT.size :].replace(b"\r\n", b"\n"))
    if history:
        yield tag_field(f"{prefix}BEXT:CodingHistory", history)


def _description_pairs(text: str, prefix: str) -> Iterator[Field]:
    """Recorders (Sound Devices, Zaxcom, Metacorder...) write `sKEY=value` lines into the bext
    Description; each becomes `BEXT:Description/KEY` (prefix letter dropped). Track names
    (`sTRK2=Lav Robin`) are SPEAKER fields unless they are generic channel labels."""
    for line in text.splitlines():
        m = _DESCRIPTION_PAIR.match(line.strip())
        if m is None or not m.group(2).strip():
            continue
        key, value = m.group(1), m.group(2).strip()
        role = Role.SPEAKER if _TRACK_KEY.fullmatch(key) and not GENERIC_CHANNEL.fullmatch(value) else Role.TAG
        name = f"{prefix}BEXT:Description/{key}"
        yield Field(value[:MAX_VALUE], role, {"tag": name}, name=name)


def _prefixed(fields: Iterator[Field], prefix: str) -> Iterator[Field]:
    for f in fields:
        if not prefix:
            yield f
        else:
            yield Field(f.text, f.role, {"tag": prefix + str(f.name)}, name=prefix + str(f.name))

