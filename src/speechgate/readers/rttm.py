"""RTTM diarization output: the speaker-name column (8) is a speaker field, the file id
(2) an identifier, the orthography (6) free text; SPKR-INFO rows carry speakers too.

Locators give the line and the 1-based character column of the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.readers.textio import lines

_ROLES = {1: (Role.IDENTIFIER, "file"), 5: (Role.TEXT, "ortho"), 7: (Role.SPEAKER, "speaker")}
_EMPTY = {"<NA>", "<na>", "NA", "-"}


def read(artifact: Artifact) -> Iterator[Field | Note]:
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        if not text.strip() or text.lstrip().startswith(";;"):
            continue
        start = 0
        for index, token in enumerate(text.split()[:8]):
            start = text.index(token, start)
            if index in _ROLES and token not in _EMPTY:
                role, name = _ROLES[index]
                yield make_field((token, role, {"line": number, "column": start + 1}, name, start))
            start += len(token)
