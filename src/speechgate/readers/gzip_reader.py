"""`.gz` artifacts: classified by the inner name and the first decompressed bytes, then read
by that format's reader through textio.open_binary, which decompresses as a bounded stream
(a gzip bomb or corrupt/truncated data becomes Unscannable, never a hang or a crash).

In: a gzip artifact. Out: the inner reader's fields. Audio containers need random access, so
a gzip-compressed one is decompressed (bounded, at most MAX_AUDIO_BYTES) into a private
temporary file that the audio reader opens; the artifact itself is never touched. Nested
gzip and binary payloads without a reader are Unscannable with a reason.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from speechgate.errors import Unscannable
from speechgate.kinds import AUDIO_KINDS, SNIFF_BYTES, classify
from speechgate.model import Artifact, Field, Note
from speechgate.readers.textio import open_binary

MAX_AUDIO_BYTES = 1 << 30


def inner_kind(path: Path) -> str:
    """The kind of the decompressed content of the gzip file at `path`."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.stem
    with open_binary(path) as stream:
        head = stream.read(SNIFF_BYTES)
    return classify(path.with_name(name or "data"), head)


def read(artifact: Artifact) -> Iterator[Field | Note]:
    from speechgate.readers import UNSUPPORTED_REASONS, reader_for

    kind = inner_kind(artifact.path)
    if kind == "gzip":
        raise Unscannable("nested gzip is not supported")
    if kind in AUDIO_KINDS:
        yield Note(f"gzip-compressed {kind}")
        yield from _read_audio(artifact, kind)
        return
    reader = reader_for(kind)
    if reader is None:
        raise Unscannable(f"gzip holds {UNSUPPORTED_REASONS.get(kind, f'{kind} data with no reader')}")
    yield Note(f"gzip-compressed {kind}")
    yield from reader(replace(artifact, kind=kind))


def _read_audio(artifact: Artifact, kind: str) -> Iterator[Field | Note]:
    """Decompress into a temporary file (deleted afterwards) and run the audio reader on it."""
    from speechgate.readers import reader_for

    reader = reader_for(kind)
    if reader is None:
        raise Unscannable(f"gzip holds {kind} data with no reader")
    inner_name = Path(artifact.path.name[:-3] if artifact.path.name.lower().endswith(".gz") else "audio").name
    with tempfile.TemporaryDirectory(prefix="speechgate-") as tmp:
        target = Path(tmp) / (inner_name or "audio")
        written = 0
        with open_binary(artifact.path) as stream, target.open("wb") as out:
            while chunk := stream.read(1 << 20):
                written += len(chunk)
                if written > MAX_AUDIO_BYTES:
                    raise Unscannable(f"gzip-compressed audio larger than {MAX_AUDIO_BYTES >> 20} MB")
                out.write(chunk)
        # list(): the reader must finish before the temporary file goes away
        fields = list(reader(replace(artifact, path=target, kind=kind)))
    yield from fields
