"""NIST STM reference transcripts: `waveform channel speaker begin end [<labels>] transcript`.

In: an STM artifact. Out: the waveform id (IDENTIFIER), the speaker field (SPEAKER), the
optional `<o,f0,male>` label set (COLUMN "labels") and the transcript (TEXT), each located
by line and character column. `;;` lines are comments. Streams line by line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import Slot, read_columns

_HEAD: tuple[Slot, ...] = ((Role.IDENTIFIER, "waveform"), None, (Role.SPEAKER, "speaker"), None, None)


def _layout(tokens: Sequence[str]) -> tuple[Sequence[Slot], int, str]:
    if len(tokens) > 5 and tokens[5].startswith("<") and tokens[5].endswith(">"):
        return (*_HEAD, (Role.COLUMN, "labels")), 6, "text"
    return _HEAD, 5, "text"


def read(artifact: Artifact) -> Iterator[Field | Note]:
    return read_columns(artifact, _layout, comments=(";;",))
