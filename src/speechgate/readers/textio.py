"""Decoding text artifacts line by line, streaming, without ever crashing on bytes.

UTF-8 (with or without BOM) and UTF-16 with BOM are decoded as such; a UTF-8 file with
invalid bytes falls back to latin-1 line by line, which the reader reports as a Note.
Lines keep no line terminator. Handles CR, LF and CRLF line ends.

`open_binary` is the one way readers open an artifact: gzip data (by its magic bytes) is
decompressed as a stream, and every stream is bounded (limits.py): more than the text limit,
a decompression ratio past the gzip-bomb limit, or corrupt/truncated gzip data raise
`Unscannable` instead of hanging, exhausting memory or crashing. Within `preloaded(path,
data)` (the engine, which read a small file whole to hash it) it serves those bytes instead
of opening the file again.
"""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import zlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from speechgate.errors import Unscannable
from speechgate.model import Note
from speechgate.readers import limits

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


# the bytes of the artifact being scanned, when the engine already read them whole to hash
# them (small files): (path, bytes), served by open_binary instead of opening the file again
_PRELOADED: ContextVar[tuple[Path, bytes] | None] = ContextVar("speechgate_preloaded", default=None)


class preloaded:  # a lower-case name: used as `with preloaded(path, data):`, as it was as a function
    """Within the block, `open_binary(path)` reads `data` (the file's bytes) instead of the file:
    one read of a small file serves both its hash and its reader, and they see the same bytes.

    A class rather than a @contextmanager: the engine enters one per file, and a generator
    plus contextlib's wrapper cost several microseconds each time."""

    __slots__ = ("_held", "_token")

    def __init__(self, path: Path, data: bytes | None) -> None:
        self._held = None if data is None else (path, data)

    def __enter__(self) -> None:
        self._token = _PRELOADED.set(self._held)

    def __exit__(self, *exc: object) -> None:
        _PRELOADED.reset(self._token)


def open_binary(path: Path) -> BinaryIO:
    """Open an artifact for bounded reading, decompressing gzip data as a stream."""
    held = _PRELOADED.get()
    if held is not None and held[0] == path:
        data = held[1]
        if not data.startswith(GZIP_MAGIC) and len(data) <= limits.max_text_bytes():
            # bytes already read and within the text limit: served as they are. Memory: no
            # 1 MB read buffer per file, whose reuse from the heap fragmented it (peak RSS grew
            # 0.16-0.30 MB per 1,000 files; mallopt's fixed mmap threshold showed why)
            return io.BytesIO(data)
        raw: BinaryIO = io.BytesIO(data)
    else:
        raw = path.open("rb")
    try:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
    except OSError:
        raw.close()
        raise
    if gzipped:
        return io.BufferedReader(_Bounded(gzip.GzipFile(fileobj=raw, mode="rb"), raw), CHUNK)  # type: ignore[return-value]
    return io.BufferedReader(_Bounded(raw, None), CHUNK)  # type: ignore[return-value]


class _Bounded(io.RawIOBase):
    """A read-only stream that stops at the text limit and, for gzip, at the ratio limit."""

    def __init__(self, inner: BinaryIO, compressed: BinaryIO | None) -> None:
        self._inner = inner
        self._compressed = compressed
        self._count = 0
        self._limit = limits.max_text_bytes()
        self._ratio = limits.max_gzip_ratio()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error):
            raise Unscannable("corrupt or truncated gzip data") from None
        n = len(data)
        buffer[:n] = data
        self._count += n
        if self._count > self._limit:
            raise Unscannable(f"more than {self._limit >> 20} MB to read (limit SPEECHGATE_MAX_TEXT_MB)")
        if self._compressed is not None and self._count > limits.GZIP_RATIO_GRACE:
            ratio = self._count / max(1, self._compressed.tell())
            if ratio > self._ratio:
                raise Unscannable(
                    f"gzip data expands more than {self._ratio}x (possible gzip bomb; limit SPEECHGATE_MAX_GZIP_RATIO)"
                )
        return n

    def close(self) -> None:
        try:
            self._inner.close()
            if self._compressed is not None:
                self._compressed.close()
        finally:
            super().close()


def lines(path: Path) -> Iterator[tuple[int, str] | Note]:
    """Yield (1-based line number, text) pairs, and a Note if a fallback decoding was used."""
    # speed: lines come in one batch per chunk, flattened in C: no generator of ours resumes per line
    return itertools.chain.from_iterable(_batches(path))


def _batches(path: Path) -> Iterator[Iterable[tuple[int, str] | Note]]:
    with open_binary(path) as opened:
        # speed: the BOM is peeked at, not read and pushed back through another buffered
        # layer (a Python readinto per read and a second 1 MB buffer: 50 us of every file)
        raw: BinaryIO = opened
        if isinstance(opened, io.BytesIO):  # preloaded bytes: look and go back
            head = opened.read(4)
            opened.seek(0)
        else:
            head = opened.peek(4)[:4]  # type: ignore[attr-defined]  # a BufferedReader
            if len(head) < 4:  # a short first read: read the head and put it back in front
                head = opened.read(4)
                raw = _prefixed(head, opened)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = io.TextIOWrapper(raw, encoding="utf-16", errors="replace", newline=None)
            yield enumerate((ln.rstrip("\n") for ln in text), start=1)
            return
        if head.startswith(codecs.BOM_UTF8):
            raw.read(3)  # the BOM: nothing before it was consumed, or the head was put back
        yield from _utf8_batches(raw)


def _utf8_batches(raw: BinaryIO) -> Iterator[Iterable[tuple[int, str] | Note]]:
    """The lines of each chunk read, as one batch per chunk (see `lines`)."""
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
        try:  # speed: the common case, a chunk of valid UTF-8, decoded without a call per line
            texts = [part.decode("utf-8") for part in parts]
        except UnicodeDecodeError:
            batch: list[tuple[int, str] | Note] = []
            for part in parts:
                number += 1
                text, used_fallback = _decode(part)
                if used_fallback and not fallback:
                    fallback = True
                    batch.append(Note(f"line {number}: not valid UTF-8; decoded as latin-1"))
                batch.append((number, text))
            yield batch
            continue
        yield enumerate(texts, number + 1)
        number += len(texts)
    if pending:
        number += 1
        text, used_fallback = _decode(pending)
        if used_fallback and not fallback:
            yield (Note(f"line {number}: not valid UTF-8; decoded as latin-1"),)
        yield ((number, text),)


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
            raise Unscannable(f"document larger than {limit // (1 << 20)} MB; not parsed whole")
    return "\n".join(out), notes
