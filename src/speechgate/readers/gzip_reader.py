"""`.gz` artifacts: classified by the inner name and the first decompressed bytes, then read
by that format's reader through textio.open_binary, which decompresses as a bounded stream
(a gzip bomb or corrupt/truncated data becomes Unscannable, never a hang or a crash).

In: a gzip artifact. Out: the inner reader's fields. Nested gzip, audio containers and
binary payloads inside gzip are Unscannable with a reason (audio readers need random access).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from speechgate.errors import Unscannable
from speechgate.kinds import AUDIO_KINDS, SNIFF_BYTES, classify
from speechgate.model import Artifact, Field, Note
from speechgate.readers.textio import open_binary


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
        raise Unscannable(f"gzip-compressed {kind} audio; decompress it to scan its metadata")
    reader = reader_for(kind)
    if reader is None:
        raise Unscannable(f"gzip holds {UNSUPPORTED_REASONS.get(kind, f'{kind} data with no reader')}")
    yield Note(f"gzip-compressed {kind}")
    yield from reader(replace(artifact, kind=kind))
