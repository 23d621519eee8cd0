"""NIST CTM time-marked words: `file channel begin duration word [confidence]`.

In: a CTM artifact. Out: the file id (IDENTIFIER "file") and the word (TEXT "word") of each
line, located by line and character column. `;;` lines are comments. Streams line by line.
"""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import fixed, read_columns

_LAYOUT = fixed(((Role.IDENTIFIER, "file"), None, None, None, (Role.TEXT, "word")))


def read(artifact: Artifact) -> Iterator[Field | Note]:
    return read_columns(artifact, _LAYOUT, comments=(";;",))
