"""JSON documents: parsed whole (up to a size limit), walked into pointer-located fields."""

from __future__ import annotations

import json
from collections.abc import Iterator

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note
from speechgate.readers.structured import walk
from speechgate.readers.textio import read_text

MAX_DOCUMENT = 512 << 20


def read(artifact: Artifact) -> Iterator[Field | Note]:
    text, notes = read_text(artifact.path, limit=MAX_DOCUMENT)
    yield from notes
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unscannable(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise Unscannable("JSON nested too deeply") from None
    yield from walk(doc)
