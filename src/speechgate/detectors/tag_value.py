"""Identifying tag values: any real value of a person / owner / URL tag, except placeholders
and software strings (encoders and taggers write their names into the same frames).

Options: {"exclude": [RE2, ...]} adds patterns whose full match passes.
Why not a plain field-name rule: `TENC` holds "LAME3.99" as often as a person, and test
files are full of "Test Artist"; both must pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from speechgate.detectors.prefilters import LETTER
from speechgate.detectors.regex import compile_re2
from speechgate.model import Field, Match

PLACEHOLDERS = (
    r"(?i)(test|sample|example|dummy|demo|default|unknown|various|various artists|none|n/?a|null|"
    r"artist|album|title|track|composer|performer|author|comment|genre|no ?name|untitled|"
    r"anonymous|anon|\?+|-+|_+|\.+)( ?(artist|album|title|track|comment|name|value)?)( ?\d{0,3})",
    r"(?i)the ?art+is+t",
)
SOFTWARE = (
    r"(?i).*(lame|lavf|lavc|libav|ffmpeg|itunes|vorbis|xiph|reference libflac|libflac|"
    r"exact audio copy|eac|foobar|audacity|sox|mutagen|winamp|windows media|nero|fraunhofer|"
    r"adobe|pro ?tools|sound forge|reaper|logic|garageband|wavelab|izotope|mp3tag|picard|"
    r"musicbrainz|quod ?libet|tag&rename|easytag|kid3|ableton|cubase|encoder|encoded with).*",
    r"(?i)[a-z]*\s*v?\d+(\.\d+)+.*",
)


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterator[Match]]:
    patterns = list(PLACEHOLDERS) + list(SOFTWARE) + list(options.get("exclude", ()))
    benign = compile_re2("^(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*$")

    def detect(field: Field) -> Iterator[Match]:
        value = field.text.strip()
        # the letter test first: it is cheaper than the RE2 search, and the engine runs this on
        # every tag (its prefilter, a letter, is too broad for the Set: prefilters.BROAD)
        if len(value) < 2 or not any(ch.isalpha() for ch in value) or benign.search(value):
            return
        start = field.text.index(value)
        yield Match(start, start + len(value), value)

    detect.prefilter = LETTER  # type: ignore[attr-defined]  # a value without a letter never counts
    return detect
