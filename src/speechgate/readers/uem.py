"""UEM scoring regions: `file channel begin end`; only the file id (IDENTIFIER) is content.

In: a UEM artifact. Out: one IDENTIFIER field per line, located by line and column.
"""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import fixed, read_columns

_LAYOUT = fixed(((Role.IDENTIFIER, "file"),))


def read(artifact: Artifact) -> Iterator[Field | Note]:
    return read_columns(artifact, _LAYOUT, comments=(";;", "#"))
