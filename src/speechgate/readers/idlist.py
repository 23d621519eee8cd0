"""Speaker lists (kind `idlist`, chosen by kinds.py from the file name): `dev.speakers.txt`,
`test_spk.list`, `SPEAKERS.TXT`.

A file whose name says it lists speakers holds speaker ids one per line (Kaldi/AMI/TIMIT
`*_spk.list`, `*.speakers.txt`), so every whitespace-separated token is a SPEAKER field.
Pipe tables in the LibriSpeech/LibriTTS `SPEAKERS.TXT` layout (`ID | SEX | SUBSET | MINUTES |
NAME`, `;` comment lines) are split by `|`: the header comment, when present, names the
columns; otherwise that layout's names are used. The id and name columns are SPEAKER fields,
the others COLUMN fields named by their header (`sex`, `subset`...).
In: an id-list artifact. Out: fields located by line and character column (pipe tables: by
line and column name); streamed.
"""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import line_fields
from speechgate.readers.textio import lines

_LIBRISPEECH = ("id", "sex", "subset", "minutes", "name")
_SPEAKER_COLUMNS = frozenset({"id", "name", "speaker", "reader", "spk", "speaker_id"})
_SPEAKER_SLOT = (Role.SPEAKER, "speaker")


def _tokens(tokens: object) -> tuple[list[tuple[Role, str]], None, str]:
    return [_SPEAKER_SLOT] * len(tokens), None, ""  # type: ignore[arg-type]


def read(artifact: Artifact) -> Iterator[Field | Note]:
    header: tuple[str, ...] | None = None
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        if not text.strip():
            continue
        if text.lstrip().startswith(";"):
            if "|" in text:
                header = tuple(c.strip().lstrip(";").strip().lower() for c in text.split("|"))
            continue
        if "|" in text:
            yield from _pipe_row(number, text, header or _LIBRISPEECH)
        else:
            yield from line_fields(number, text, _tokens)


def _pipe_row(number: int, text: str, header: tuple[str, ...]) -> Iterator[Field]:
    for index, cell in enumerate(text.split("|")):
        value = cell.strip()
        if not value:
            continue
        name = header[index] if index < len(header) else str(index + 1)
        role = Role.SPEAKER if name in _SPEAKER_COLUMNS or index == 0 else Role.COLUMN
        yield Field(value, role, {"line": number, "column": name}, name=name)
