"""Spelled-out letter sequences: "s m i t h", "S-M-I-T-H", "J. O. N. E. S." (names and
usernames read letter by letter).

In: a field. Out: matches over the letters, valued as the joined lower-case word ("smith").
Four or more single letters match on their own; three need a cue ("spelled", "spell",
"letters"). Runs made only of "a" and "i", alphabet runs ("a b c d") and common spelled
acronyms ("n a s a", "h t t p") are not names.
Options: {"cues": [...], "min_letters": 4}.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from speechgate.detectors.cues import Cues
from speechgate.detectors.prefilters import LETTER
from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match

DEFAULT_CUES = ("spelled", "spelt", "spell", "spelling", "spells", "letters", "that's", "thats")
_RUN = compile_re2(r"(?:^|[^\pL\pN'])(\pL(?:(?:\.?[ \t]+|-|\.)\pL){2,}\.?)(?:$|[^\pL\pN'])")
_LETTER = compile_re2(r"\pL")
ACRONYMS = frozenset({
    "nasa", "ymca", "asap", "http", "https", "html", "nato", "rsvp", "ascii", "unesco", "unicef", "ieee",
    "mpeg", "jpeg", "usaf", "ussr", "nyse", "nhtsa", "fema", "hvac", "wwii", "aids", "adhd", "lgbt",
    "lgbtq", "ucla", "nypd", "lapd", "espn", "ncaa", "nfl", "nba", "dvds", "cpus", "gpus", "ntsc",
})


def _alphabet_run(letters: str) -> bool:
    return all(ord(b) - ord(a) == 1 for a, b in itertools.pairwise(letters))


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    cues = Cues(options.get("cues", DEFAULT_CUES), int(options.get("window", 30)))
    min_letters = int(options.get("min_letters", 4))

    def detect(field: Field) -> Iterator[Match]:
        text = field.text
        pos = 0
        while (m := _RUN.search(text, pos)) is not None:
            start, end = m.span(1)
            pos = end
            letters = "".join(_LETTER.findall(m.group(1))).lower()
            if set(letters) <= {"a", "i"} or _alphabet_run(letters) or letters in ACRONYMS:
                continue
            if len(letters) < min_letters and not cues.near(text, start, end, field.name):
                continue
            yield Match(start, end, letters)

    # every match is a _RUN match: three letters with separators
    sep = r"(?:\.?[ \t]+|-|\.)"
    detect.prefilter = f"{LETTER}{sep}{LETTER}{sep}{LETTER}"  # type: ignore[attr-defined]
    return detect
