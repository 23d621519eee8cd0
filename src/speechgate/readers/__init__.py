"""Readers: Artifact in, Fields (and Notes) out. One module per format family.

`READERS` maps an artifact kind to its reader, explicitly. A reader raises `Unscannable`
with a reason when the file cannot be parsed; a kind with no reader is unscannable too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from speechgate.model import Artifact, Field, Note
from speechgate.readers import (
    aiff,
    audio_tags,
    flac_blocks,
    json_doc,
    jsonl,
    mp4_atoms,
    plain,
    riff,
    rttm,
    subtitles,
    table,
)

Reader = Callable[[Artifact], Iterator[Field | Note]]

READERS: dict[str, Reader] = {
    "text": plain.read,
    "lab": plain.read,
    "trn": plain.read,
    "json": json_doc.read,
    "jsonl": jsonl.read,
    "csv": table.read,
    "tsv": table.read,
    "srt": subtitles.read,
    "vtt": subtitles.read,
    "rttm": rttm.read,
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
}


def reader_for(kind: str) -> Reader | None:
    return READERS.get(kind)
