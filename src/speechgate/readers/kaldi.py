"""Kaldi data-directory files, whose meaning comes from the file name.

In: an artifact named `text`, `segments`, `wav.scp`, `feats.scp`, `reco2file_and_channel` or
`<a>2<b>` (`utt2spk`, `spk2utt`, `spk2gender`, `utt2dur`...), optionally `.gz`. Out: per line,
fields located by line and column:
- `text`: utterance key (IDENTIFIER "utterance") + transcript (TEXT "text");
- `segments`: utterance and recording keys (IDENTIFIER);
- `*.scp`: recording key (IDENTIFIER) + every path-like token of the value (PATH "path");
- `reco2file_and_channel`: recording and file keys (IDENTIFIER);
- `<a>2<b>`: the key by `a`, each value token by `b`: `utt`/`reco` keys are IDENTIFIER,
  `spk` values SPEAKER "speaker", anything else COLUMN named `b` (`gender`, `age`, `dur`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.columns import Layout, Slot, fixed, read_columns

_UNIT: dict[str, Slot] = {
    "utt": (Role.IDENTIFIER, "utterance"),
    "reco": (Role.IDENTIFIER, "recording"),
    "spk": (Role.SPEAKER, "speaker"),
}


def layout_for(name: str) -> Layout:
    """The line layout of a Kaldi data file called `name`."""
    name = name.removesuffix(".gz")
    if name == "text":
        return fixed(((Role.IDENTIFIER, "utterance"),), 1, "text")
    if name == "segments":
        return fixed(((Role.IDENTIFIER, "utterance"), (Role.IDENTIFIER, "recording")))
    if name == "reco2file_and_channel":
        return fixed(((Role.IDENTIFIER, "recording"), (Role.IDENTIFIER, "file")))
    if name.endswith(".scp"):
        return _scp
    key, _, value = name.partition("2")
    key_slot = _UNIT.get(key, (Role.IDENTIFIER, key or "key"))
    value_slot = _UNIT.get(value, (Role.COLUMN, value or "value"))
    return lambda tokens: ((key_slot, *[value_slot] * (len(tokens) - 1)), None, "")


def _scp(tokens: Sequence[str]) -> tuple[Sequence[Slot], None, str]:
    slots: list[Slot] = [(Role.IDENTIFIER, "recording")]
    slots += [(Role.PATH, "path") if "/" in t else None for t in tokens[1:]]
    return slots, None, ""


def read(artifact: Artifact) -> Iterator[Field | Note]:
    return read_columns(artifact, layout_for(artifact.path.name), comments=())
