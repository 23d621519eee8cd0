"""Plain text: every line is a free-text field located by line number."""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.readers.textio import lines

_TEXT = Role.TEXT  # a local name: an enum member looked up on its class costs a step per line


def read(artifact: Artifact) -> Iterator[Field | Note]:
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        if text.strip():
            yield make_field((text, _TEXT, {"line": number}, None, 0))
