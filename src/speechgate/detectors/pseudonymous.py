"""Speaker labels that are not pseudonymous.

A label passes when it fully matches one of the pseudonymous patterns (defaults:
`SPEAKER_00`, `spk00`, `speaker_0`, single letters, role codes); anything else in a speaker
field is reported. Options: {"patterns": [RE2, ...]} replaces the defaults; the config's
`pseudonymous_labels` are added by the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match

DEFAULT_PATTERNS = (
    r"(?i)speaker[_ -]?\d+",
    r"(?i)spk[_-]?\d+",
    r"(?i)spkr[_-]?\d+",
    r"(?i)s\d{1,3}",
    r"[A-Z]",
    r"\d{1,3}",
    r"(?i)(unknown|unk|overlap|noise|silence|sil|music|other|none|null|nan|n/a|-|<na>)",
)


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    patterns = list(options.get("patterns", DEFAULT_PATTERNS)) + list(options.get("extra", ()))
    combined = compile_re2("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$")

    def detect(field: Field) -> Iterator[Match]:
        label = field.text.strip()
        if not label or combined.search(label):
            return
        start = field.text.index(label)
        yield Match(start, start + len(label), label)

    return detect
