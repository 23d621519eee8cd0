"""Allow entries from config: suppress findings by rule, path glob and/or value pattern.

Every given condition of an entry must hold. `value` is an RE2 pattern, stored as the user
wrote it, fully and case-insensitively matched against the normalised value (case-folded,
whitespace collapsed), so it can be applied only where the value is known: inside the
scan, before the value is dropped. Case-insensitive because the value is case-folded: a
pattern written with capitals would otherwise never match and silently suppress nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pathspec

from speechgate.detectors.regex import compile_re2
from speechgate.errors import UsageError
from speechgate.privacy import normalise


@dataclass(frozen=True)
class _Entry:
    index: int
    rule: str | None
    path: pathspec.PathSpec | None
    value: Any
    reason: str


class Allowlist:
    """Compiled allow entries; `match` returns the label of the first entry that applies."""

    def __init__(self, entries: Sequence[Mapping[str, Any] | Sequence[tuple[str, str]]]) -> None:
        self._entries: list[_Entry] = []
        for i, raw in enumerate(entries):
            e = dict(raw)
            try:
                value = compile_re2("(?i)" + e["value"]) if "value" in e else None
            except ValueError as exc:
                raise UsageError(f"config: /allow/{i}/value: {exc}") from None
            path = pathspec.GitIgnoreSpec.from_lines([e["path"]]) if "path" in e else None
            self._entries.append(_Entry(i, e.get("rule"), path, value, e["reason"]))

    def __bool__(self) -> bool:
        return bool(self._entries)

    def match(self, rule: str, path: str, value: str) -> str | None:
        norm: str | None = None
        for e in self._entries:
            if e.rule is not None and e.rule != rule:
                continue
            if e.path is not None and not e.path.match_file(path):
                continue
            if e.value is not None:
                norm = normalise(value) if norm is None else norm
                if e.value.fullmatch(norm) is None:
                    continue
            return f"allow/{e.index}: {e.reason}"
        return None
