"""Readers: Artifact in, Fields (and Notes) out. One module per format family.

`READERS` maps an artifact kind to its reader, explicitly. A reader raises `Unscannable`
with a reason when the file cannot be parsed; a kind with no reader is unscannable too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from speechgate.errors import Unscannable
from speechgate.kinds import NEVER_OPENED  # noqa: F401 (re-exported)
from speechgate.model import Artifact, Field, Note
from speechgate.readers import (
    aiff,
    audio_tags,
    chat,
    ctm,
    elan,
    flac_blocks,
    gzip_reader,
    idlist,
    json_doc,
    jsonl,
    kaldi,
    limits,
    mp4_atoms,
    numpy_header,
    plain,
    riff,
    rttm,
    stm,
    subtitles,
    table,
    textgrid,
    trn,
    uem,
)

Reader = Callable[[Artifact], Iterator[Field | Note]]

READERS: dict[str, Reader] = {
    "text": plain.read,
    "lab": plain.read,
    "trn": trn.read,
    "json": json_doc.read,
    "jsonl": jsonl.read,
    "csv": table.read,
    "tsv": table.read,
    "srt": subtitles.read,
    "vtt": subtitles.read,
    "rttm": rttm.read,
    "stm": stm.read,
    "ctm": ctm.read,
    "uem": uem.read,
    "kaldi": kaldi.read,
    "idlist": idlist.read,
    "textgrid": textgrid.read,
    "eaf": elan.read,
    "pfsx": elan.read,
    "cha": chat.read,
    "gzip": gzip_reader.read,
    "npy": numpy_header.read,
    "npz": numpy_header.read,
    "mp3": audio_tags.read,
    "flac": flac_blocks.read,
    "ogg": audio_tags.read,
    "mp4": mp4_atoms.read,
    "asf": audio_tags.read,
    "wav": riff.read,
    "aiff": aiff.read,
    "ape": audio_tags.read,
}

UNSUPPORTED_REASONS: dict[str, str] = {
    "pickle": "executable format (pickle/torch); never unpickled",
    "binary": "unrecognised binary format",
    "unreadable": "file could not be opened",
    "symlink_outside": "symbolic link to a file outside the scanned folder; not followed",
    "special": "not a regular file (FIFO, socket or device); not read",
}


def reader_for(kind: str) -> Reader | None:
    """The reader for `kind`, bounded by the per-artifact field limit (readers/limits.py)."""
    reader = READERS.get(kind)
    return None if reader is None else _bounded(reader)


def unbounded_reader_for(kind: str) -> Reader | None:
    """The reader for `kind` without the field limit: for a caller that applies `bounded` itself."""
    return READERS.get(kind)


def bounded(items: Iterator[Field | Note], limit: int) -> Iterator[Field | Note]:
    """The first `limit` items, as an iterator in C (no Python step per item); `past_limit`
    then says whether more followed."""
    return itertools.islice(items, limit)


def past_limit(items: Iterator[Field | Note], limit: int) -> None:
    """Raise Unscannable when `items` (after `bounded` took `limit` of them) holds more."""
    if next(items, _END) is not _END:
        raise Unscannable(f"more than {limit} fields (limit SPEECHGATE_MAX_FIELDS)")


def _bounded(reader: Reader) -> Reader:
    def read(artifact: Artifact) -> Iterator[Field | Note]:
        limit = limits.max_fields()
        items = reader(artifact)
        yield from bounded(items, limit)  # delegated in C: no Python step per field
        past_limit(items, limit)

    return read


_END = object()
