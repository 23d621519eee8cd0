"""Person-like values of artist/author/owner tags: `identifying_tag_value`, then a confidence
shift from a first-name/surname gazetteer.

In: a TAG field. Out: at most one Match, the tag value without a trailing "(...)" role note
("Robin Example (Lyrics)" -> "Robin Example", so the same person in two tags is one finding).
The confidence is raised when the value looks like a person's name (a census first name
anywhere, or a census surname as the last of several words) and lowered when a Latin-script
value has neither: in music files the same tags mostly hold band and label names, which a
release gate must let pass, while a handle-like artist ("piman") is still reported, with low
weight. Values in other scripts (or mis-declared legacy encodings) are left unchanged: the
gazetteer cannot judge them.

Gazetteer: the U.S. Census Bureau 1990 first-name and surname lists shipped as data in the
`names` package (MIT); read once per process, nothing is downloaded. Values made only of
placeholder vocabulary ("duplicate artist", "artist 1;artist 2") and group or company names
("... Orchestra", "... Records") never match.
Options: as `identifying_tag_value` ({"exclude": [RE2, ...]}).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import re2

from speechgate.detectors import tag_value
from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match

FIRST_MAX_RANK = 1500  # rarer census first names are mostly also words or surnames
SURNAME_MAX_RANK = 30000
PERSON_DELTA = 0.1
NOT_PERSON_DELTA = -0.35

PLACEHOLDER_WORDS = (
    r"(?i)(?:\s*(?:duplicate|new|another|other|more|some|sample|test|dummy|fake|a|an|the|nice|my|your|first|"
    r"second|third|last|artist|artists|album|title|track|song|comment|comments|lyrics|line|genre|composer|"
    r"author|performer|name|value|text|here|goes|unknown|\d+|[;,/&+.-])\s*)+"
)
GROUP_WORDS = (
    r"(?i).*\b(?:orchestra|orchester|orchestre|philharmonic|symphony|ensemble|choir|chorus|chor|quartet|"
    r"quintet|trio|band|brothers|sisters|records|recordings|music|musik|label|studios?|productions?|"
    r"entertainment|media|radio|inc|ltd|llc|gmbh|corp|company|co)\b.*"
)
UNKNOWN_WORDS = (
    r"(?i)(?:.*\s)?(?:unbekannte?[rs]?|inconnue?|desconocid[oa]|sconosciut[oa]|onbekend|ok[aä]nd|nieznany|"
    r"desconhecid[oa]|неизвестный)(?:\s.*)?"
)
_TOKEN = re2.compile(r"[A-Za-z][A-Za-z'’-]*")
_ROLE_NOTE = re2.compile(r"\s*\([^()]*\)\s*$")


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    extra = [*options.get("exclude", ()), PLACEHOLDER_WORDS, GROUP_WORDS, UNKNOWN_WORDS]
    base = tag_value.build({"exclude": extra})
    benign = compile_re2("^(?:" + "|".join(f"(?:{p})" for p in extra) + r")\s*$")

    def detect(field: Field) -> Iterator[Match]:
        for m in base(field):
            value = m.value
            note = _ROLE_NOTE.search(value)
            if note is not None and note.start() > 0:
                value = value[: note.start()]
                if benign.search(value):
                    continue
            yield Match(m.start, m.start + len(value), value, _delta(value))

    detect.prefilter = base.prefilter  # type: ignore[attr-defined]  # every match is one of tag_value's
    return detect


def _delta(value: str) -> float:
    """PERSON_DELTA for a name-like value, NOT_PERSON_DELTA for other Latin text, else 0."""
    tokens = [t.lower().strip("'’-") for t in _TOKEN.findall(value)]
    if not tokens:
        return 0.0
    first, last = _gazetteer()
    if any(t in first for t in tokens):
        return PERSON_DELTA
    if len(tokens) >= 2 and tokens[-1] in last:
        return PERSON_DELTA
    return NOT_PERSON_DELTA


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) from the census lists in the `names` package, lower-case."""
    data = resources.files("names")

    def ranked(name: str, max_rank: int) -> set[str]:
        out = set()
        for line in data.joinpath(name).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= max_rank and len(parts[0]) > 1:
                out.add(parts[0].lower())
        return out

    first = ranked("dist.male.first", FIRST_MAX_RANK) | ranked("dist.female.first", FIRST_MAX_RANK)
    return frozenset(first), frozenset(ranked("dist.all.last", SURNAME_MAX_RANK))
