"""Shared helper for whitespace-separated line formats (STM, CTM, UEM, Kaldi, id lists).

In: an artifact and a `layout(tokens) -> list[(role, name) | None]` telling what each
token of a line is; a layout may mark one token index as the start of free text that runs
to the end of the line. Out: one Field per kept token, located by line and 1-based
character column, streamed line by line. Lines starting with `;;` or `#` are comments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import re2

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.textio import lines

_TOKEN = re2.compile(r"\S+")
EMPTY = frozenset({"<NA>", "<na>", "NA", "-"})

Slot = tuple[Role, str] | None
Layout = Callable[[Sequence[str]], tuple[Sequence[Slot], int | None, str]]
"""tokens -> (slots per token, index where free text starts or None, free-text field name)"""


def fixed(slots: Sequence[Slot], text_from: int | None = None, text_name: str = "text") -> Layout:
    """A layout that is the same for every line."""
    return lambda tokens: (slots, text_from, text_name)


def read_columns(artifact: Artifact, layout: Layout, comments: tuple[str, ...] = (";;", "#")) -> Iterator[Field | Note]:
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        stripped = text.lstrip()
        if not stripped or stripped.startswith(comments):
            continue
        yield from line_fields(number, text, layout)


def line_fields(number: int, text: str, layout: Layout) -> Iterator[Field]:
    """Fields of one line according to `layout`."""
    matches = list(_TOKEN.finditer(text))
    slots, text_from, text_name = layout([m.group() for m in matches])
    for index, m in enumerate(matches):
        if text_from is not None and index >= text_from:
            start = m.start()
            yield Field(text[start:].rstrip(), Role.TEXT, {"line": number, "column": start + 1},
                        name=text_name, column_offset=start)
            return
        slot = slots[index] if index < len(slots) else None
        if slot is None or m.group() in EMPTY:
            continue
        role, name = slot
        start = m.start()
        yield Field(m.group(), role, {"line": number, "column": start + 1}, name=name, column_offset=start)
