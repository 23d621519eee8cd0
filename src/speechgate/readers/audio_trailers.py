"""Tags appended at the end of MP3/APE files: ID3v1 (`TAG`, 128 bytes) and Lyrics3 v1/v2.

In: an artifact. Out: TAG fields `ID3v1:title|artist|album|comment` and `Lyrics3:EAR`,
`Lyrics3:LYR`, `Lyrics3:INF`... (v2 field ids; v1 holds only `Lyrics3:LYR`).

Why our own reader: mutagen merges ID3v1 into ID3v2 frames (so the two copies cannot be
told apart) and does not read Lyrics3 at all; both survive `ID3.delete()`. Only the last
few kilobytes of the file are read (Lyrics3v2 declares its size in six digits).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from speechgate.model import Artifact, Field
from speechgate.readers.audio_chunks import decode_text, tag_field

ID3V1_FIELDS = (("title", 3, 33), ("artist", 33, 63), ("album", 63, 93), ("comment", 97, 127))
LYRICS3V1_MAX = 5100 + 20


def read(artifact: Artifact) -> Iterator[Field]:
    with artifact.path.open("rb") as fh:
        size = fh.seek(0, io.SEEK_END)
        end = size
        if size >= 128:
            fh.seek(size - 128)
            tag = fh.read(128)
            if tag[:3] == b"TAG":
                yield from _id3v1(tag)
                end = size - 128
        yield from _lyrics3(fh, end)


def _id3v1(tag: bytes) -> Iterator[Field]:
    for name, start, stop in ID3V1_FIELDS:
        raw = tag[start:stop]
        if name == "comment" and raw[28:29] == b"\0":
            raw = raw[:28]  # ID3v1.1: the last two bytes are a NUL and the track number
        text = raw.split(b"\0", 1)[0].decode("latin-1").strip()
        if text:
            yield tag_field(f"ID3v1:{name}", text)


def _lyrics3(fh: BinaryIO, end: int) -> Iterator[Field]:
    if end < 15:
        return
    fh.seek(end - 15)
    trailer = fh.read(15)
    if trailer[6:] == b"LYRICS200" and trailer[:6].isdigit():
        length = int(trailer[:6])
        start = end - 15 - length
        if start < 0:
            return
        fh.seek(start)
        block = fh.read(length)
        if block.startswith(b"LYRICSBEGIN"):
            yield from _lyrics3v2_fields(block[11:])
    elif trailer[6:] == b"LYRICSEND":
        start = max(0, end - LYRICS3V1_MAX)
        fh.seek(start)
        window = fh.read(end - start)
        begin = window.rfind(b"LYRICSBEGIN")
        if begin >= 0:
            text = decode_text(window[begin + 11 : -9])
            if text:
                yield tag_field("Lyrics3:LYR", text)


def _lyrics3v2_fields(body: bytes) -> Iterator[Field]:
    """Fields: 3-letter id, 5-digit size, data (IND, LYR, INF, AUT, EAL, EAR, ETT, IMG)."""
    pos = 0
    while pos + 8 <= len(body):
        fid, digits = body[pos : pos + 3], body[pos + 3 : pos + 8]
        if not (fid.isalpha() and fid.isupper() and digits.isdigit()):
            return
        size = int(digits)
        data = body[pos + 8 : pos + 8 + size]
        pos += 8 + size
        if fid == b"IND":
            continue  # indicator flags
        text = decode_text(data)
        if text:
            yield tag_field(f"Lyrics3:{fid.decode('ascii')}", text)
