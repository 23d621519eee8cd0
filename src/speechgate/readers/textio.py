"""Decoding text artifacts line by line, streaming, without ever crashing on bytes.

UTF-8 (with or without BOM) and UTF-16 with BOM are decoded as such; a UTF-8 file with
invalid bytes falls back to latin-1 line by line, which the reader reports as a Note.
Lines keep no line terminator. Handles CR, LF and CRLF line ends.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from speechgate.model import Note

CHUNK = 1 << 20


def open_binary(path: Path) -> BinaryIO:
    """Open an artifact for reading (transparently gunzipping `.gz`)."""
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def lines(path: Path) -> Iterator[tuple[int, str] | Note]:
    """Yield (1-based line number, text) pairs, and a Note if a fallback decoding was used."""
    with open_binary(path) as raw:
        head = raw.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = io.TextIOWrapper(_prefixed(head, raw), encoding="utf-16", newline=None)
            yield from enumerate((ln.rstrip("\n") for ln in text), start=1)
            return
        if head.startswith(codecs.BOM_UTF8):
            head = head[3:]
        yield from _utf8_lines(_prefixed(head, raw))


def _utf8_lines(raw: BinaryIO) -> Iterator[tuple[int, str] | Note]:
    fallback = False
    number = 0
    pending = b""
    while True:
        chunk = raw.read(CHUNK)
        if not chunk:
            break
        pending += chunk
        parts = _split(pending)
        pending = parts.pop()
        for part in parts:
            number += 1
            text, used_fallback = _decode(part)
            if used_fallback and not fallback:
                fallback = True
                yield Note(f"line {number}: not valid UTF-8; decoded as latin-1")
            yield number, text
    if pending:
        number += 1
        text, used_fallback = _decode(pending)
        if used_fallback and not fallback:
            yield Note(f"line {number}: not valid UTF-8; decoded as latin-1")
        yield number, text


def _split(data: bytes) -> list[bytes]:
    """Split on LF, CRLF or lone CR; the last element is the unterminated remainder."""
    if b"\r" in data:
        if data.endswith(b"\r"):  # a CR at a chunk end may be the first half of CRLF
            head = _split(data[:-1])
            head[-1] += b"\r"
            return head
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.split(b"\n")


def _decode(data: bytes) -> tuple[str, bool]:
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


class _Prefixed(io.RawIOBase):
    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _prefixed(prefix: bytes, rest: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_Prefixed(prefix, rest), CHUNK)  # type: ignore[return-value]


def read_text(path: Path, limit: int | None = None) -> tuple[str, list[Note]]:
    """The whole decoded text (for formats parsed as a document) and any notes."""
    notes: list[Note] = []
    out: list[str] = []
    size = 0
    for item in lines(path):
        if isinstance(item, Note):
            notes.append(item)
            continue
        out.append(item[1])
        size += len(item[1])
        if limit is not None and size > limit:
            from speechgate.errors import Unscannable

            raise Unscannable(f"document larger than {limit // (1 << 20)} MB; not parsed whole")
    return "\n".join(out), notes
