"""Spoken e-mail addresses: "jane dot doe at example dot com", "J DOE SEVENTY SEVEN AT MAIL
DOT CO DOT UK".

In: a field. Out: matches spanning the spoken address, valued as the written address
("jane.doe@example.com"), so it shares a fingerprint with the written form.
Matched on the normalised text (number words as digits). The local part is the word
before "at" plus any words chained to it with "dot", "underscore", "dash"/"hyphen"; the
domain must end in "dot <known top-level domain>". Local parts that are ordinary words
("look at example dot com", "me at ...") are not addresses and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from speechgate.detectors.regex import compile_re2
from speechgate.detectors.spoken import normalise
from speechgate.model import Field, Match

TLDS = ("com", "org", "net", "edu", "gov", "mil", "io", "co", "uk", "us", "de", "fr", "es", "it", "nl",
        "be", "ch", "at", "se", "no", "dk", "fi", "ie", "pl", "pt", "cz", "ru", "jp", "cn", "in", "au",
        "nz", "ca", "br", "mx", "info", "biz", "me", "tv", "ai", "dev", "app", "eu", "ac")
SEPARATORS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+", "-": "-"}
NOT_LOCAL = frozenset({
    "look", "looking", "looked", "me", "us", "him", "her", "them", "it", "you", "is", "was", "are",
    "were", "be", "been", "i", "we", "they", "he", "she", "arrive", "arrived", "arrives", "stay",
    "stayed", "work", "worked", "works", "working", "live", "lived", "lives", "living", "meet", "met",
    "go", "went", "available", "find", "found", "here", "there", "that", "this", "what", "where",
    "shop", "shopping", "buy", "bought", "sell", "sold", "posted", "online", "only", "site", "page",
    "website", "link", "search", "searched", "visit", "visited", "check", "checked", "out", "up",
    "down", "off", "on", "in", "or", "and", "but", "so", "then", "now", "again", "once", "twice",
    "home", "school", "least", "last", "first", "all", "best", "worst", "a", "an", "the",
})

_WORD = r"[a-z0-9]+"
_DOMAIN_WORD = r"[a-z0-9]+(?:(?:-|\s+(?:dash|hyphen)\s+)[a-z0-9]+)*"
_SEP = r"\s+(?:dot|underscore|dash|hyphen|plus)\s+"
_LOCAL = r"[a-z0-9]+(?:\s+\d+)*"  # "doe 77" (spoken digits after a name) is one piece
_INITIALS = r"(?:[b-hj-z]\s+)*"  # "j doe at ..." is jdoe; "a" and "i" are words, not initials
_PATTERN = compile_re2(
    rf"(?i)(?:^|[^\pL\pN'])({_INITIALS}(?:{_LOCAL}{_SEP})*{_LOCAL})\s+at\s+((?:{_DOMAIN_WORD}\s+dot\s+)+(?:{'|'.join(TLDS)}))(?:$|[^\pL\pN'])"
)
_TOKEN = compile_re2(r"[A-Za-z0-9]+|-")


def _written(spoken: str) -> str:
    out = []
    for word in _TOKEN.findall(spoken):
        out.append(SEPARATORS.get(word.lower(), word.lower()))
    return "".join(out)


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    del options

    def detect(field: Field) -> Iterator[Match]:
        lowered = field.text.lower()
        if " at " not in lowered or " dot " not in lowered:
            return
        norm = normalise(field.text)
        pos = 0
        while (m := _PATTERN.search(norm.text, pos)) is not None:
            local, domain = m.group(1), m.group(2)
            pos = m.end(2)
            words = _TOKEN.findall(local.lower())
            if len(words) == 1 and words[0] in NOT_LOCAL:
                continue
            start, end = norm.to_original(m.start(1), m.end(2))
            yield Match(start, end, f"{_written(local)}@{_written(domain)}")

    detect.prefilter = "(?i) dot "  # type: ignore[attr-defined]  # as the " dot " check above
    return detect
