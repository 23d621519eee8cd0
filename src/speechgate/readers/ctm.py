"""NIST CTM time-marked words: `file channel begin duration word [confidence]`.

In: a CTM artifact. Out, streamed: per line the file id (IDENTIFIER "file") located by line
and column; and the words of consecutive lines of the same file and channel joined into one
TEXT field "words" (at most 64 words), located at the line of its first word, so that
multi-word names and numbers ("kim example", "five five five") can be detected across lines.
`;;` lines are comments.
"""

from __future__ import annotations

from collections.abc import Iterator

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import EMPTY
from speechgate.readers.textio import lines

MAX_WORDS = 64


def read(artifact: Artifact) -> Iterator[Field | Note]:
    run: list[str] = []
    run_key: tuple[str, str] | None = None
    run_line = 0
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        tokens = text.split()
        if not tokens or tokens[0].startswith(";;"):
            continue
        key = (tokens[0], tokens[1] if len(tokens) > 1 else "")
        if run and (key != run_key or len(run) >= MAX_WORDS):
            yield Field(" ".join(run), Role.TEXT, {"line": run_line}, name="words")
            run = []
        if tokens[0] not in EMPTY:
            yield Field(tokens[0], Role.IDENTIFIER, {"line": number, "column": text.index(tokens[0]) + 1},
                        name="file", column_offset=text.index(tokens[0]))
        if len(tokens) > 4 and tokens[4] not in EMPTY:
            if not run:
                run_key, run_line = key, number
            run.append(tokens[4])
    if run:
        yield Field(" ".join(run), Role.TEXT, {"line": run_line}, name="words")
