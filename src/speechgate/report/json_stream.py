"""Write a JSON document whose one long list is produced item by item.

In: the document with `PLACEHOLDER` as the only element of the long list, the items and an
output stream. Out: exactly what `json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"`
writes for the document with the items in place of the placeholder, without holding the
items, or the whole text, in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

PLACEHOLDER = "\0speechgate: streamed items go here\0"


def write(doc: Any, items: Iterable[Any], out: TextIO) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    marker = json.dumps(PLACEHOLDER)
    at = text.index(marker)
    line_start = text.rindex("\n", 0, at) + 1
    indent = text[line_start:at]
    opening = text.rindex("[", 0, line_start)  # the list's "[" ends the line before the marker
    closing = text.index("]", at + len(marker))
    out.write(text[: opening + 1])
    first = True
    for item in items:
        out.write(("\n" if first else ",\n") + indent)
        out.write(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + indent))
        first = False
    if not first:
        out.write("\n" + indent[:-2])
    out.write(text[closing:])
    out.write("\n")
