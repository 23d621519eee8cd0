"""Speaker embeddings (voiceprints) among the numeric arrays that readers describe.

In: a BINARY Field whose text is `float[N]` or `float[RxC]` (readers/structured.py) and
whose name is the key it was stored under. Out: one Match for the whole description when
the vector width is 128 to 1024 and the key says what it is: an embedding key
(`speaker_embeddings`, `d_vector`, `x_vector`, `ecapa`...) or a speaker key (a corpus id,
`spk3`, `SPEAKER_00`, a `speaker` field). Other keys (audio samples, spectrogram frames,
scores) are not voiceprints and pass. Options: {"min_dim": 128, "max_dim": 1024}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import re2

from speechgate.detectors.speaker_ids import corpus_of
from speechgate.model import Field, Match, Role

_SHAPE = re2.compile(r"^float\[(?:(\d+)x)?(\d+)\]$")
_EMBEDDING_KEY = re2.compile(
    r"(?i)(embed|(^|_)emb(s|eddings?)?($|_)|[dix][-_]?vec|voice_?print|spk_?vec|speaker_?vec|"
    r"ecapa|titanet|wespeaker|resemblyzer|centroid|enrol)"
)
_SPEAKER_KEY = re2.compile(
    r"(?i)^(speakers?|spk|spkr|speaker[-_ ]?\w*|spkr?[-_]?\w+|voices?|talker|client_?id|\d{2,}|s\d+)$"
)
EMBEDDING_DELTA = 0.1


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    low, high = int(options.get("min_dim", 128)), int(options.get("max_dim", 1024))

    def detect(field: Field) -> Iterator[Match]:
        m = _SHAPE.search(field.text.strip())
        if m is None or field.role is not Role.BINARY or not low <= int(m.group(2)) <= high:
            return
        name = field.name or ""
        if _EMBEDDING_KEY.search(name):
            delta = EMBEDDING_DELTA
        elif name and (_SPEAKER_KEY.search(name) or corpus_of(name)):
            delta = 0.0
        else:
            return
        yield Match(0, len(field.text), field.text, confidence_delta=delta)

    detect.prefilter = r"float\[(?:\d+x)?\d+\]"  # type: ignore[attr-defined]  # _SHAPE, unanchored
    return detect
