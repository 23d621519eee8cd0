"""Shared helper for whitespace-separated line formats (STM, CTM, UEM, Kaldi, id lists).

In: an artifact and a `layout(tokens) -> list[(role, name) | None]` telling what each
token of a line is; a layout may mark one token index as the start of free text that runs
to the end of the line. Out: one Field per kept token, located by line and 1-based
character column, streamed line by line (tokens by str.split: the hot path of
every column format, several times faster than regex matching). Lines starting with `;;` or `#` are comments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.readers.textio import lines

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
    tokens = text.split()
    slots, text_from, text_name = layout(tokens)
    start = 0
    for index, token in enumerate(tokens):
        start = text.index(token, start)
        if text_from is not None and index >= text_from:
            rest = text[start:].rstrip()
            yield make_field((rest, Role.TEXT, {"line": number, "column": start + 1}, text_name, start))
            return
        slot = slots[index] if index < len(slots) else None
        if slot is not None and token not in EMPTY:
            role, name = slot
            yield make_field((token, role, {"line": number, "column": start + 1}, name, start))
        start += len(token)
