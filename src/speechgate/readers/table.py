"""CSV and TSV: header detection, then one field per cell located by line and column name.

The delimiter of a `.csv` is sniffed (csv.Sniffer) from its first 20 lines: `,`, `|`, `;` or tab.
The header row's names become KEY fields (once per column) and decide each cell's role;
a cell under an unknown column that is an absolute path or file URL is a PATH.
A first row counts as a header when its cells are distinct, non-empty and non-numeric.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.readers.roles import role_for_name
from speechgate.readers.structured import ABSOLUTE_PATH
from speechgate.readers.textio import lines

csv.field_size_limit(64 << 20)
SNIFF_LINES = 20


def read(artifact: Artifact) -> Iterator[Field | Note]:
    notes: list[Note] = []

    def text_lines() -> Iterator[str]:
        for item in lines(artifact.path):
            if isinstance(item, Note):
                notes.append(item)
            else:
                yield item[1]

    rows = text_lines()
    sample = list(itertools.islice(rows, SNIFF_LINES))
    delimiter = "\t" if artifact.kind == "tsv" else sniff_delimiter(sample)
    reader = csv.reader(itertools.chain(sample, rows), delimiter=delimiter)
    header: list[str] | None = None
    consumed = 0
    for row in reader:
        line, consumed = consumed + 1, reader.line_num
        yield from notes
        notes.clear()
        if header is None:
            header = row if _looks_like_header(row) else []
            if header:
                for name in row:
                    yield Field(name, Role.KEY, {"line": line, "column": name}, name=name)
                continue
        for i, cell in enumerate(row):
            if not cell.strip():
                continue
            name = header[i] if i < len(header) else None
            column = name if name is not None else str(i + 1)
            role = role_for_name(name)
            if role is Role.COLUMN and ABSOLUTE_PATH.search(cell):
                role = Role.PATH
            yield make_field((cell, role, {"line": line, "column": column}, name, None))


def sniff_delimiter(sample: list[str]) -> str:
    """The delimiter of a `.csv` from its first lines: `,` unless csv.Sniffer finds `|`, `;` or tab."""
    try:
        return csv.Sniffer().sniff("\n".join(sample), delimiters=",|;\t").delimiter
    except csv.Error:
        return ","


def _looks_like_header(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    if not cells or any(not c for c in cells) or len(set(cells)) != len(cells):
        return False
    return not any(_is_number(c) or _looks_like_data(c) for c in cells) and all(len(c) <= 64 for c in cells)


def _looks_like_data(cell: str) -> bool:
    """Values that no header is named like: e-mail addresses, long digit runs (phones, ids)."""
    return "@" in cell or sum(ch.isdigit() for ch in cell) >= 5


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
