"""sclite `.trn` transcripts: `words of the utterance (utterance_id)`.

In: a TRN artifact. Out: per line the transcript (TEXT "text") and the trailing
parenthesised utterance id (IDENTIFIER "utterance"), located by line and column. A line
without a trailing id is free text. Streams line by line.
"""

from __future__ import annotations

from collections.abc import Iterator

import re2

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.textio import lines

_ID = re2.compile(r"\(([^()]*)\)\s*$")


def read(artifact: Artifact) -> Iterator[Field | Note]:
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        m = _ID.search(text)
        words = text[: m.start()] if m else text
        if words.strip():
            start = len(words) - len(words.lstrip())
            yield Field(words.strip(), Role.TEXT, {"line": number, "column": start + 1}, name="text",
                        column_offset=start)
        if m and m.group(1).strip():
            start = m.start(1)
            yield Field(m.group(1), Role.IDENTIFIER, {"line": number, "column": start + 1}, name="utterance",
                        column_offset=start)
