"""FLAC metadata blocks: VORBIS_COMMENT, PICTURE, APPLICATION (foreign RIFF/AIFF chunks) and an
ID3v2 tag some taggers prepend to the stream.

In: a FLAC artifact. Out: `vorbis:ARTIST`... (values via mutagen's Vorbis comment parser),
`FLAC:PICTURE` (BINARY "picture <mime> <n> bytes") and `FLAC:PICTURE/description`,
`ID3:...` for a prepended tag, and `FLAC:APPLICATION/riff/RIFF:IART`,
`FLAC:APPLICATION/riff/BEXT:Originator`, `FLAC:APPLICATION/aiff/AIFF:NAME`...

Why our own block walk: mutagen's FLAC class keeps APPLICATION blocks as opaque bytes, so
the RIFF/AIFF chunks that `flac --keep-foreign-metadata` stores there (bext, iXML, INFO...)
are invisible to it; here each such block is handed to the RIFF or AIFF chunk reader.
Audio frames after the last metadata block are never read.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers import aiff, riff
from speechgate.readers.audio_chunks import MAX_CHUNKS, decode_text, file_size, id3_fields, tag_field

APPLICATION, VORBIS_COMMENT, PICTURE = 2, 4, 6


def read(artifact: Artifact) -> Iterator[Field | Note]:
    with artifact.path.open("rb") as fh:
        end = file_size(fh)
        start = 0
        head = fh.read(10)
        if head[:3] == b"ID3" and len(head) == 10:
            size = _syncsafe(head[6:10]) + 10 + (10 if head[5] & 0x10 else 0)
            if size > end:
                raise Unscannable("prepended ID3 tag is truncated")
            fh.seek(0)
            yield from id3_fields(fh.read(size))
            start = size
        fh.seek(start)
        if fh.read(4) != b"fLaC":
            raise Unscannable("not a FLAC stream (missing fLaC marker)")
        pos = start + 4
        for _ in range(MAX_CHUNKS):
            header = fh.read(4)
            if len(header) < 4:
                raise Unscannable("FLAC metadata is truncated")
            last, code = header[0] & 0x80, header[0] & 0x7F
            size = int.from_bytes(header[1:4], "big")
            if pos + 4 + size > end:
                raise Unscannable("FLAC metadata block is truncated")
            if code in (APPLICATION, VORBIS_COMMENT, PICTURE):
                yield from _block_fields(code, fh.read(size))
            else:
                fh.seek(size, io.SEEK_CUR)
            pos += 4 + size
            if last:
                return
        raise Unscannable(f"more than {MAX_CHUNKS} FLAC metadata blocks")


def _block_fields(code: int, data: bytes) -> Iterator[Field | Note]:
    if code == VORBIS_COMMENT:
        from mutagen.flac import VCFLACDict

        from speechgate.readers.audio_tags import tag_fields

        try:
            comments = VCFLACDict(data)
        except Exception as exc:  # mutagen raises several types on corrupt comments
            raise Unscannable(f"FLAC Vorbis comment could not be parsed ({type(exc).__name__})") from None
        yield from tag_fields(comments)
    elif code == PICTURE:
        yield from picture_fields(data, "FLAC:PICTURE")
    elif len(data) >= 4:
        yield from _application_fields(data[:4], data[4:])


def picture_fields(data: bytes, name: str) -> Iterator[Field]:
    """A FLAC PICTURE structure (also the payload of METADATA_BLOCK_PICTURE) as a BINARY
    description plus its free-text description, never the image bytes."""
    from mutagen.flac import Picture

    try:
        pic = Picture(data)
    except Exception as exc:
        raise Unscannable(f"picture block could not be parsed ({type(exc).__name__})") from None
    yield tag_field(name, f"picture {pic.mime or 'image'} {len(pic.data)} bytes", Role.BINARY)
    if pic.desc and pic.desc.strip():
        yield tag_field(f"{name}/description", pic.desc.strip())


def _application_fields(app_id: bytes, payload: bytes) -> Iterator[Field | Note]:
    """Foreign-metadata blocks: each holds one RIFF/AIFF chunk (or the container header)."""
    family = app_id.decode("latin-1")
    if app_id not in (b"riff", b"aiff"):
        text = decode_text(payload[:256]) if payload[:64].isascii() else ""
        if text:
            yield tag_field(f"FLAC:APPLICATION/{family.strip()}", text)
        return
    stream = io.BytesIO(payload)
    start = 12 if payload[:4] in (b"RIFF", b"RF64", b"FORM") else 0
    reader = riff if app_id == b"riff" else aiff
    for item in reader.chunk_stream_fields(stream, start, len(payload), prefix=f"FLAC:APPLICATION/{family}/"):
        if isinstance(item, Field):  # the elided `data`/`SSND` payload is expected, not a note
            yield item


def _syncsafe(raw: bytes) -> int:
    (value,) = struct.unpack(">I", raw)
    return (value & 0x7F) | ((value >> 1) & 0x3F80) | ((value >> 2) & 0x1FC000) | ((value >> 3) & 0xFE00000)
