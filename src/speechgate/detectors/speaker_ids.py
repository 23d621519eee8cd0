"""Speaker identifiers of public speech corpora.

In: a Field (speaker label, path, utterance id, manifest cell, free text). Out: Matches
for the corpus ids inside it. `CORPORA` is the one table of id conventions; rules in
`rules/speakers.yaml` choose corpora by name (`options: {corpora: [librispeech, ...]}`)
and `corpus_of(label)` lets the pseudonymous-label detector skip values these rules
already report, so one value gives one finding.

Written here rather than taken from a library: no maintained package knows these naming
conventions; each pattern below is documented by its corpus's README.

A corpus id in the artifact's own file name is lowered by `OWN_PATH_DELTA` to 0.25, below
the default `min_confidence` (0.3): the id there names the file and adds no speaker link
that the content lacks (a dataset of `1089-134686-0000.flac` files would otherwise fail
file by file); manifests and paths written inside files are reported in full. Lower
`min_confidence` to see them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import re2

from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match, Role
from speechgate.re2_direct import search

OWN_PATH_DELTA = -0.55
_L = r"(?:^|[^\pL\pN])"  # left boundary: start or a non-alphanumeric character
_R = r"(?:$|[^\pL\pN])"  # right boundary


@dataclass(frozen=True)
class Corpus:
    """One corpus's id convention: `pattern` (RE2, group 1 = the id) and where it is trusted."""

    title: str
    pattern: str
    roles: frozenset[Role] | None = None  # None: every role; else other roles need a whole-field id
    hint: str = ""  # RE2 that matches wherever group 1 of `pattern` does (cheap prefilter); "": pattern


_ID_ROLES = frozenset({Role.SPEAKER, Role.IDENTIFIER, Role.PATH, Role.COLUMN, Role.KEY})

CORPORA: dict[str, Corpus] = {
    # reader-chapter(-utterance): 1089-134686-0000, LibriTTS 84_121123_000007_000001, MLS 10214_10108_000000
    "librispeech": Corpus(
        "LibriSpeech / LibriTTS / MLS",
        r"(?:^|[^\w-]|[A-Za-z][-_])(\d{1,5}[-_]\d{3,6}(?:[-_]\d{4,6}){0,2})(?:$|[^\w-])",
        hint=r"\d[-_]\d{3}",
    ),  # in text and cells only with the utterance part, or as the whole value (see _plausible)
    "vctk": Corpus("VCTK", _L + r"(p(?:2[2-9]\d|3[0-7]\d))(?:_\d{3}(?:_mic[12])?)?" + _R, hint=r"p[23]\d\d"),
    "voxceleb": Corpus("VoxCeleb", _L + r"(id[01]\d{4})" + _R, hint=r"id[01]\d{4}"),
    "common_voice": Corpus("Common Voice client_id", r"(?:^|[^0-9a-f])([0-9a-f]{128})(?:$|[^0-9a-f])",
                           hint="[0-9a-f]{32}"),
    # participant ids FEE005, MEO069, MTD013PM (with a role suffix), MÉO069 (mis-encoded)
    "ami": Corpus("AMI participant", _L + r"([MF][\pL]{2}\d{3}(?:PM|ID|UID|UI|ME)?)" + _R, hint=r"[MF]..\d{3}"),
    # ICSI speakers me011, fe008, mn005, fn002
    "icsi": Corpus("ICSI participant", _L + r"([mf][enb]\d{3})" + _R, _ID_ROLES, hint=r"[mf][enb]\d{3}"),
    # TIMIT: sex letter + initials + digit, FADG0, MCPM0 (dr1-fadg0 in paths)
    "timit": Corpus("TIMIT", r"(?:^|[^\pL\pN]|dr\d[-_/])([MF][A-Z]{3}\d|[mf][a-z]{3}\d)" + _R, _ID_ROLES,
                    hint=r"[MF][A-Z]{3}\d|[mf][a-z]{3}\d"),
    # TED-LIUM talk ids name the speaker: AlGore_2009, Jane_McGonigal_2010
    "tedlium": Corpus(
        "TED-LIUM talk (speaker name)",
        _L + r"((?:[A-Z][a-z]+){1,3}(?:_(?:[A-Z][a-z]+){1,3}){0,2}_(?:19|20)\d\d[A-Z]?)" + _R,
        _ID_ROLES,
        hint=r"[a-z]_(?:19|20)\d\d",
    ),
    # GigaSpeech source ids name one podcast / channel / audiobook: POD0000000001_S0000008
    "gigaspeech": Corpus("GigaSpeech source", _L + r"((?:YOU|POD|AUD)\d{10}(?:_S\d{7})?)" + _R, _ID_ROLES,
                         hint=r"(?:YOU|POD|AUD)\d{10}"),
    # WSJ0/1 utterance ids 011c0201 / 4k0c0301: 3-character speaker, 1 letter, 4 alphanumerics
    "wsj": Corpus(
        "WSJ speaker",
        r"(?:^|[^\pL\pN])(\d[0-9a-z]{2}[a-z]\d[0-9a-z]\d{2})(?:\.wv[12]|\.wav|$|[^\pL\pN])",
        frozenset({Role.SPEAKER, Role.IDENTIFIER, Role.PATH}),
        hint=r"\d[0-9a-z]{2}[a-z]\d[0-9a-z]\d{2}",
    ),
}


@dataclass(frozen=True)
class _Compiled:
    name: str
    corpus: Corpus

    @property
    def regex(self) -> Any:
        return _regex(self.name)


@cache  # one entry per built-in corpus: a fixed, small set
def _regex(name: str) -> Any:
    """A corpus's pattern, compiled the first time the Set pass finds its hint in a text:
    compiling all ten took a tenth of every start-up, and most runs need one or two."""
    return compile_re2(CORPORA[name].pattern)


def _compile_names(names: list[str] | None) -> list[str]:
    chosen = names or list(CORPORA)
    unknown = [n for n in chosen if n not in CORPORA]
    if unknown:
        raise ValueError(f"unknown corpus {unknown[0]!r}; known: {sorted(CORPORA)}")
    return chosen


def _compile(names: list[str] | None) -> list[_Compiled]:
    return [_Compiled(n, CORPORA[n]) for n in _compile_names(names)]


_ALL = _compile(None)
_BY_NAME = {c.name: c for c in _ALL}


@lru_cache(maxsize=4096)
def corpus_of(label: str) -> str | None:
    """The corpus whose id convention the whole `label` follows, else None."""
    label = label.strip()
    for name, start, end in find(label):
        if (start, end) == (0, len(label)):
            return name
    return None


def find(text: str, role: Role | None = None, corpora: list[_Compiled] | None = None
         ) -> Iterator[tuple[str, int, int]]:
    """(corpus name, start, end) for every corpus id in `text` trusted for `role`."""
    spans = _spans(text)
    if not spans:
        return
    stripped = text.strip()
    for c in corpora if corpora is not None else _ALL:
        found = spans.get(c.name)
        if not found:
            continue
        trusted = role is None or c.corpus.roles is None or role in c.corpus.roles
        for start, end in found:
            whole = text[start:end] == stripped
            if (trusted or whole) and _plausible(c.name, text, start, end, role, whole):
                yield c.name, start, end


def _set(compiled: list[_Compiled]) -> Any:
    options = re2.Options()
    options.log_errors = False
    patterns = re2.Set.SearchSet(options)
    for c in compiled:
        patterns.Add(c.corpus.hint or c.corpus.pattern)
    patterns.Compile()
    return patterns


_ALL_SET = _set(_ALL)


@lru_cache(maxsize=4096)
def _spans(text: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Every corpus's raw id spans (group 1) in `text`, before the role and plausibility checks.

    Computed once per distinct text and shared by the nine speaker rules, the name detector
    and the pseudonymous-label check (each used to rescan the text with every pattern). One
    RE2 Set pass picks the corpora whose pattern occurs at all; only those are searched.
    """
    hits = _ALL_SET.Match(text)  # the corpora whose hint occurs: only they can match
    if not hits:
        return {}
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for index in sorted(hits):
        c = _ALL[index]
        found: list[tuple[int, int]] = []
        pos = 0
        while pos <= len(text):
            spans = search(c.regex, text, pos)  # spans from the RE2 extension: no Match object
            if spans is None:
                break
            start, end = spans[1]
            pos = max(end, spans[0][0] + 1)
            found.append((start, end))
        out[c.name] = tuple(found)
    return out


# a LibriSpeech id holds only ASCII digits and "-"/"_" (its pattern's group 1): the stdlib
# engine and str.split answer for it without the RE2 wrapper's Python layers (~5 us a call)
_PHONE_SHAPE = re.compile(r"[0-9]{3}[-_][0-9]{3}[-_][0-9]{4}")


def _id_parts(value: str) -> list[str]:
    """A LibriSpeech id's numbers: 84_121123_000007 -> ["84", "121123", "000007"]."""
    return value.replace("_", "-").split("-")


def _plausible(corpus: str, text: str, start: int, end: int, role: Role | None, whole: bool) -> bool:
    """Extra checks where an id convention overlaps other strings (phones, ranges, words)."""
    value = text[start:end]
    if corpus == "timit" and value.islower():  # fadg0 only as a whole label or under dr1/
        return whole or text[max(0, start - 4):start - 1].startswith("dr")
    if corpus != "librispeech":
        return True
    if _PHONE_SHAPE.fullmatch(value):  # 415-555-2671 is a phone number, not reader-chapter-utterance
        return False
    parts = len(_id_parts(value))
    return whole or parts >= 3 or role not in (Role.COLUMN, Role.TEXT)


def is_own_path(field: Field) -> bool:
    """True for the artifact's own path, which the engine checks as field `path`."""
    return field.role is Role.PATH and field.locator.get("field") == "path"


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    """Builtin `corpus_speaker_id`; options: {"corpora": [names]} (default: all)."""
    chosen = _compile_names(list(options["corpora"]) if "corpora" in options else None)
    corpora = [_BY_NAME[name] for name in chosen]  # the patterns compiled once, in _ALL

    def detect(field: Field) -> Iterator[Match]:
        delta = OWN_PATH_DELTA if is_own_path(field) else 0.0
        seen: set[tuple[int, int]] = set()
        for name, start, end in find(field.text, field.role, corpora):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            value = field.text[start:end]
            if name == "librispeech":  # one finding per reader-chapter, not one per utterance
                value = "-".join(_id_parts(value)[:2])
            yield Match(start, end, value, confidence_delta=delta)

    # sound for the engine's Set pass: `find` reports only where a chosen corpus's pattern (and
    # so its hint) matches
    detect.prefilter = "|".join(f"(?:{c.corpus.hint or c.corpus.pattern})" for c in corpora)  # type: ignore[attr-defined]
    return detect

