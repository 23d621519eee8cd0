"""JSON Lines: streamed line by line; each record is walked with `line` + `pointer` locators.

A line that is not valid JSON is scanned as plain text and noted, so nothing passes unread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers import limits
from speechgate.readers.structured import walk
from speechgate.readers.textio import lines


def read(artifact: Artifact) -> Iterator[Field | Note]:
    bad = 0
    max_depth = limits.max_json_depth()  # once per file, not once per record
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            bad += 1
            if bad == 1:
                yield Note(f"line {number}: not valid JSON; scanned as text")
            yield Field(text, Role.TEXT, {"line": number}, column_offset=0)
            continue
        yield from walk(record, base={"line": number}, max_depth=max_depth)
