"""JSON documents: parsed whole (up to a size limit), walked into pointer-located fields.

A `.json` file that is really JSON Lines (NeMo manifests often are) is read as JSONL, with a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note
from speechgate.readers import jsonl
from speechgate.readers.structured import walk
from speechgate.readers.textio import read_text

MAX_DOCUMENT = 512 << 20


def read(artifact: Artifact) -> Iterator[Field | Note]:
    text, notes = read_text(artifact.path, limit=MAX_DOCUMENT)
    yield from notes
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _first_line_is_json(text):
            yield Note("JSON Lines content in a .json file; read line by line")
            yield from jsonl.read(artifact)
            return
        raise Unscannable(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise Unscannable("JSON nested too deeply") from None
    yield from walk(doc)


def _first_line_is_json(text: str) -> bool:
    try:
        json.loads(text.split("\n", 1)[0])
    except (json.JSONDecodeError, RecursionError):
        return False
    return True
