"""AIFF / AIFF-C metadata: the native text chunks NAME, AUTH, `(c) `, ANNO, COMT and the
`ID3 ` chunk (via mutagen).

In: an AIFF artifact (or, through `chunk_stream_fields`, the raw chunks FLAC keeps in its
`aiff` APPLICATION blocks). Out: TAG fields `AIFF:NAME`, `AIFF:AUTH`, `AIFF:(c)`,
`AIFF:ANNO`, `AIFF:COMT`, `ID3:...`.

Why our own reader: mutagen's `aiff` module exposes only the ID3 chunk. Sound data (`SSND`)
is seeked over, never read; sizes are bounded as in `audio_chunks`.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note
from speechgate.readers.audio_chunks import decode_text, file_size, id3_fields, read_payload, tag_field, walk_chunks

TEXT_CHUNKS = frozenset({b"NAME", b"AUTH", b"(c) ", b"ANNO"})
PAYLOAD = frozenset({b"SSND", b"FVER", b"COMM", b"MARK", b"INST", b"MIDI", b"AESD", b"APPL"})


def read(artifact: Artifact) -> Iterator[Field | Note]:
    with artifact.path.open("rb") as fh:
        end = file_size(fh)
        head = fh.read(12)
        if len(head) < 12 or head[:4] != b"FORM" or head[8:12] not in (b"AIFF", b"AIFC"):
            raise Unscannable("not an AIFF file (bad header)")
        yield from chunk_stream_fields(fh, 12, end)


def chunk_stream_fields(fh: BinaryIO, start: int, end: int, prefix: str = "") -> Iterator[Field | Note]:
    """Fields from the big-endian AIFF chunks in [start, end) of `fh`."""
    for chunk in walk_chunks(fh, start, end, big_endian=True):
        if chunk.cid in PAYLOAD:
            if chunk.cid == b"SSND" and chunk.start + chunk.size > end:
                yield Note("audio payload chunk 'SSND' is truncated; metadata after it not read")
                return
            continue
        if chunk.cid in TEXT_CHUNKS:
            text = decode_text(read_payload(fh, chunk, end, chunk.name.strip()))
            if text:
                yield tag_field(f"{prefix}AIFF:{chunk.name.strip()}", text)
        elif chunk.cid == b"COMT":
            yield from _comments(read_payload(fh, chunk, end, "COMT"), prefix)
        elif chunk.cid in (b"ID3 ", b"id3 "):
            yield from id3_fields(read_payload(fh, chunk, end, "ID3"), prefix)


def _comments(data: bytes, prefix: str) -> Iterator[Field]:
    """COMT: u16 count, then per comment u32 timestamp, u16 marker, u16 length, text (even-padded)."""
    if len(data) < 2:
        return
    (count,) = struct.unpack_from(">H", data)
    pos = 2
    for _ in range(count):
        if pos + 8 > len(data):
            raise Unscannable("COMT chunk is truncated")
        (length,) = struct.unpack_from(">H", data, pos + 6)
        text = decode_text(data[pos + 8 : pos + 8 + length])
        if text:
            yield tag_field(f"{prefix}AIFF:COMT", text)
        pos += 8 + length + (length & 1)
