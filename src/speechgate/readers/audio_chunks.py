"""Shared plumbing for the hand-written audio container readers (RIFF, AIFF, MP4, FLAC).

In: an open binary file (or bytes) and offsets. Out: chunk headers, bounded payload reads,
decoded text and TAG fields. Every length read from a file is checked against the bytes
that are really there and against `MAX_META_BYTES`, so a corrupt size can never make a
reader allocate gigabytes; audio payload chunks are only ever seeked over.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from speechgate.errors import Unscannable
from speechgate.model import Field, Role

MAX_META_BYTES = 16 << 20  # largest metadata chunk/box we read into memory
MAX_CHUNKS = 4096  # chunks per container level before we call the file corrupt
MAX_XML_FIELDS = 20000
MAX_VALUE = 1 << 16  # characters kept per field value


@dataclass(frozen=True, slots=True)
class Chunk:
    """A chunk header: its FourCC, where its payload starts and how long it claims to be."""

    cid: bytes
    start: int
    size: int

    @property
    def name(self) -> str:
        return self.cid.decode("latin-1")


def file_size(fh: BinaryIO) -> int:
    """The size of `fh` in bytes; leaves the position at 0."""
    size = fh.seek(0, io.SEEK_END)
    fh.seek(0)
    return size


def is_fourcc(cid: bytes) -> bool:
    """True for four printable ASCII bytes, the only valid chunk ids."""
    return len(cid) == 4 and all(0x20 <= b <= 0x7E for b in cid)


def walk_chunks(
    fh: BinaryIO, start: int, end: int, *, big_endian: bool = False, sizes64: dict[bytes, int] | None = None
) -> Iterator[Chunk]:
    """Chunk headers of an IFF-style stream (4-byte id, 4-byte size, even padding) in [start, end).

    Stops at the first bytes that are not a chunk id (padding, junk after the last chunk).
    Tolerates writers that forget the pad byte after an odd-sized chunk. Sizes beyond `end`
    are returned as they are; the caller decides whether that is a truncated payload or corruption.
    `sizes64` gives the real sizes of RF64/BW64 chunks whose 32-bit size is 0xFFFFFFFF (from `ds64`);
    the caller may fill it while walking.
    """
    fmt = ">I" if big_endian else "<I"
    pos = start
    for _ in range(MAX_CHUNKS):
        if pos + 8 > end:
            return
        fh.seek(pos)
        header = fh.read(8)
        if len(header) < 8 or not is_fourcc(header[:4]):
            return
        (size,) = struct.unpack(fmt, header[4:])
        if size == 0xFFFFFFFF and sizes64 and header[:4] in sizes64:
            size = sizes64[header[:4]]
        yield Chunk(header[:4], pos + 8, size)
        nxt = pos + 8 + size
        if size & 1:
            fh.seek(nxt)
            peek = fh.read(4)
            # the pad byte (NUL) is required, but some writers omit it: then a chunk id starts right here
            nxt += 0 if peek[:1] != b"\0" and is_fourcc(peek) else 1
        pos = nxt
    raise Unscannable(f"more than {MAX_CHUNKS} chunks in one container (corrupt sizes?)")


def read_payload(fh: BinaryIO, chunk: Chunk, end: int, what: str) -> bytes:
    """The payload of a metadata chunk, refusing sizes past `end` or above MAX_META_BYTES."""
    if chunk.size > MAX_META_BYTES:
        raise Unscannable(f"{what} chunk claims {chunk.size} bytes, above the {MAX_META_BYTES >> 20} MiB limit")
    if chunk.start + chunk.size > end:
        raise Unscannable(f"{what} chunk is truncated")
    fh.seek(chunk.start)
    data = fh.read(chunk.size)
    if len(data) < chunk.size:
        raise Unscannable(f"{what} chunk is truncated")
    return data


def decode_text(raw: bytes) -> str:
    """Text of a fixed-width or NUL-terminated byte field: UTF-8, else latin-1; cut at the first NUL."""
    raw = raw.split(b"\0", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.strip()


def tag_field(name: str, text: str, role: Role = Role.TAG) -> Field:
    """A metadata field located by its tag name."""
    return Field(text[:MAX_VALUE], role, {"tag": name}, name=name)


def id3_fields(data: bytes, prefix: str = "") -> Iterator[Field]:
    """Fields of an ID3v2 tag held in memory (an `ID3 ` chunk of a RIFF/AIFF file)."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    from speechgate.readers.audio_tags import tag_fields

    try:
        tags = ID3(io.BytesIO(data), load_v1=False)
    except ID3NoHeaderError:
        return
    except Exception as exc:  # mutagen raises many types on corrupt frames
        raise Unscannable(f"embedded ID3 tag could not be parsed ({type(exc).__name__})") from None
    for f in tag_fields(tags):
        yield Field(f.text, f.role, {"tag": prefix + str(f.name)}, name=prefix + str(f.name)) if prefix else f


def xml_fields(data: bytes, family: str, speaker_paths: frozenset[str] = frozenset()) -> Iterator[Field]:
    """Every element text and attribute of an XML document as `family:A/B/C` (or `...@attr`) fields.

    Parsed with defusedxml: entity declarations and external references are refused and the
    artifact becomes unscannable rather than expanded. The root element is left out of names;
    namespaces are dropped. Paths in `speaker_paths` get the SPEAKER role.
    """
    from xml.etree.ElementTree import Element, ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    data = data.rstrip(b"\0 \r\n\t")
    if not data:
        return
    try:
        root: Element = fromstring(data)
    except DefusedXmlException:
        raise Unscannable(f"{family} XML declares entities or external references (refused)") from None
    except (ParseError, ValueError):
        raise Unscannable(f"{family} XML is not well-formed") from None
    count = 0
    stack: list[tuple[Element, str]] = [(child, _local(child.tag)) for child in reversed(root)]
    for attr, value in root.attrib.items():
        yield tag_field(f"{family}:@{_local(attr)}", value)
    while stack:
        element, path = stack.pop()
        count += 1
        if count > MAX_XML_FIELDS:
            raise Unscannable(f"{family} XML has more than {MAX_XML_FIELDS} elements")
        text = (element.text or "").strip()
        if text:
            role = Role.SPEAKER if path in speaker_paths else Role.TAG
            yield tag_field(f"{family}:{path}", text, role)
        for attr, value in element.attrib.items():
            if value.strip():
                yield tag_field(f"{family}:{path}@{_local(attr)}", value.strip())
        stack.extend((child, f"{path}/{_local(child.tag)}") for child in reversed(element))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"
