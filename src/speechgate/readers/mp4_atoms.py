"""MP4 / QuickTime metadata outside iTunes `ilst`: `udta` text atoms (`©xyz` GPS, `©mak`,
`©mod`, `©day`, `©aut`...), 3GPP asset boxes (`auth`, `perf`, `dscp`, `loci`...), QuickTime
`meta` keys (`com.apple.quicktime.location.ISO6709`, `make`, `model`, `creationdate`...)
and XMP (`udta/XMP_`, XMP `uuid` box).

In: an MP4/MOV artifact. Out: TAG fields `QuickTime:©xyz`, `QuickTime:com.apple.quicktime.make`,
`XMP:...`, followed by mutagen's `ilst` fields (`MP4:©ART`...; see `audio_tags`).

Why our own walk: mutagen reads only `moov/udta/meta/ilst`; it returns no tags for phone
videos whose identity sits in `moov/meta` keys or `udta/©xyz`. Only the `moov` tree (and
top-level `uuid`/`meta` boxes) is visited; `mdat` and sample tables are seeked over.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note
from speechgate.readers.audio_chunks import MAX_CHUNKS, MAX_META_BYTES, decode_text, file_size, tag_field, xml_fields

CONTAINERS = frozenset({b"moov", b"trak", b"udta"})
ASSET_TEXT = frozenset({b"titl", b"dscp", b"cprt", b"perf", b"auth", b"gnre", b"albm", b"loci"})  # 3GPP TS 26.244
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
MAX_DEPTH = 8


def read(artifact: Artifact) -> Iterator[Field | Note]:
    with artifact.path.open("rb") as fh:
        end = file_size(fh)
        head = fh.read(8)
        if len(head) < 8 or head[4:8] not in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
            raise Unscannable("not an MP4/QuickTime file (bad first box)")
        yield from _walk(fh, 0, end, end, depth=0)
    from speechgate.readers.audio_tags import mutagen_fields

    yield from mutagen_fields(artifact)


def _boxes(fh: BinaryIO, start: int, end: int, file_end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes in [start, end)."""
    pos = start
    for _ in range(MAX_CHUNKS):
        if pos + 8 > end:
            return
        fh.seek(pos)
        header = fh.read(8)
        size, kind = struct.unpack(">I4s", header)
        body = pos + 8
        if size == 1:
            large = fh.read(8)
            if len(large) < 8:
                raise Unscannable("MP4 box header is truncated")
            (size,) = struct.unpack(">Q", large)
            body += 8
        elif size == 0:
            size = end - pos
        if size < body - pos:
            raise Unscannable("MP4 box has an impossible size")
        box_end = pos + size
        if box_end > min(end, file_end):
            if kind == b"mdat":
                return  # a truncated media payload at the end: nothing after it to read
            raise Unscannable(f"MP4 box '{kind.decode('latin-1')}' is truncated")
        yield kind, body, box_end
        pos = box_end
    raise Unscannable(f"more than {MAX_CHUNKS} MP4 boxes in one container")


def _walk(fh: BinaryIO, start: int, end: int, file_end: int, depth: int) -> Iterator[Field]:
    if depth > MAX_DEPTH:
        raise Unscannable("MP4 boxes nested too deeply")
    for kind, body, box_end in _boxes(fh, start, end, file_end):
        if kind in CONTAINERS:
            yield from _walk(fh, body, box_end, file_end, depth + 1)
        elif kind == b"meta":
            yield from _meta(fh, body, box_end, file_end)
        elif kind[:1] == b"\xa9" and depth >= 2:  # udta/©xxx user-data text
            yield from _user_text(kind, _read(fh, body, box_end))
        elif kind in ASSET_TEXT and depth >= 2:
            yield from _asset_text(kind, _read(fh, body, box_end))
        elif kind == b"XMP_":
            yield from xml_fields(_read(fh, body, box_end), "XMP")
        elif kind == b"uuid" and box_end - body >= 16:
            fh.seek(body)
            if fh.read(16) == XMP_UUID:
                yield from xml_fields(_read(fh, body + 16, box_end), "XMP")


def _meta(fh: BinaryIO, body: int, end: int, file_end: int) -> Iterator[Field]:
    """QuickTime `meta` (hdlr `mdta` + `keys` + `ilst`); an iTunes `meta` (hdlr `mdir`) is
    left to mutagen. iTunes meta is a full box (4 bytes version/flags), QuickTime's is not."""
    fh.seek(body + 4)
    if fh.read(4) != b"hdlr":
        body += 4
    boxes = {kind: (b, e) for kind, b, e in _boxes(fh, body, end, file_end)}
    if b"keys" not in boxes or b"ilst" not in boxes:
        return
    keys = _keys(_read(fh, *boxes[b"keys"]))
    ilst_body, ilst_end = boxes[b"ilst"]
    for kind, item_body, item_end in _boxes(fh, ilst_body, ilst_end, file_end):
        (index,) = struct.unpack(">I", kind)
        name = keys.get(index, f"key{index}")
        for dkind, dbody, dend in _boxes(fh, item_body, item_end, file_end):
            if dkind != b"data" or dend - dbody < 8:
                continue
            data = _read(fh, dbody, dend)
            (type_code,) = struct.unpack_from(">I", data)
            yield from _value(f"QuickTime:{name}", type_code & 0xFFFFFF, data[8:])


def _keys(data: bytes) -> dict[int, str]:
    """`keys`: version/flags, u32 count, then per key u32 size, 4-byte namespace, name."""
    if len(data) < 8:
        return {}
    (count,) = struct.unpack_from(">I", data, 4)
    keys: dict[int, str] = {}
    pos = 8
    for index in range(1, min(count, MAX_CHUNKS) + 1):
        if pos + 8 > len(data):
            raise Unscannable("MP4 keys box is truncated")
        (size,) = struct.unpack_from(">I", data, pos)
        if size < 8:
            raise Unscannable("MP4 keys box has an impossible entry size")
        keys[index] = decode_text(data[pos + 8 : pos + size])
        pos += size
    return keys


def _value(name: str, type_code: int, raw: bytes) -> Iterator[Field]:
    """A QuickTime data atom value by its well-known type: 1 UTF-8, 2 UTF-16; binary is described."""
    if type_code == 1:
        text = decode_text(raw)
    elif type_code == 2:
        text = raw.decode("utf-16-be", "replace").strip("\0 ")
    elif type_code in (21, 22, 23, 24, 65, 66, 67, 74, 75, 76, 77, 78):
        text = str(int.from_bytes(raw[:8], "big", signed=type_code in (21, 65, 66, 67, 74)))
    else:
        text = f"binary {len(raw)} bytes"
    if text:
        yield tag_field(name, text)


def _user_text(kind: bytes, data: bytes) -> Iterator[Field]:
    """QuickTime user-data text: one or more (u16 length, u16 language, text) records."""
    name = f"QuickTime:{kind.decode('latin-1')}"
    pos = 0
    while pos + 4 <= len(data):
        length, _language = struct.unpack_from(">HH", data, pos)
        if pos + 4 + length > len(data):
            break
        text = decode_text(data[pos + 4 : pos + 4 + length])
        if text:
            yield tag_field(name, text)
        pos += 4 + length
    if pos == 0 and data:  # not length-prefixed: some writers store bare text (or an ilst-style data atom)
        text = decode_text(data[16:] if data[4:8] == b"data" else data)
        if text:
            yield tag_field(name, text)


def _asset_text(kind: bytes, data: bytes) -> Iterator[Field]:
    """3GPP asset box: version/flags, packed language, then a NUL-terminated UTF-8 (or BOM'd
    UTF-16) string; `loci` keeps only its place name (coordinates follow in fixed point)."""
    raw = data[6:]
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        end = raw.find(b"\0\0")
        text = raw[: end if end >= 0 else len(raw)].decode("utf-16", "replace").strip("\0 ")
    else:
        text = decode_text(raw)
    if text:
        yield tag_field(f"QuickTime:{kind.decode('latin-1')}", text)


def _read(fh: BinaryIO, start: int, end: int) -> bytes:
    if end - start > MAX_META_BYTES:
        raise Unscannable(f"MP4 metadata box above the {MAX_META_BYTES >> 20} MiB limit")
    fh.seek(start)
    return fh.read(end - start)

