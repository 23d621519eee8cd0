"""Hot-path fast forms give exactly what the plain forms they replaced give.

Each reference below is the code the module used before (kept here, not in the package).
Inputs are random mixes of invented words, tags, digits and punctuation from fixed seeds;
none is a real person's record. No timing is asserted: speed is measured by the bench.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers import subtitles
from speechgate.readers.subtitles import _VOICE


def _ref_vtt_line(number: int, text: str) -> Iterator[Field]:
    """subtitles.read's voice handling before: a Match per tag, the text as a list of characters."""
    if "<v" in text:
        spoken = list(text)
        for m in _VOICE.finditer(text):
            start, end = m.span(1)
            yield Field(text[start:end], Role.SPEAKER, {"line": number, "column": start + 1},
                        name="voice", column_offset=start)
            spoken[m.start() : m.end()] = " " * (m.end() - m.start())
        text = "".join(spoken)
    yield Field(text, Role.TEXT, {"line": number}, column_offset=0)


_VTT_PIECES = ("<v", "<v ", "<v.loud ", "<v.a.b-c ", "<v\t", ">", " ", "  ", "Kim", "Sam Example", "é", "名前",
               "ñandú", "<b>", "</v>", "hello", "there", "-", ".", "<", "v", "12", "spk_3", "\u2028", "ü>")


def _random_line(rng: random.Random) -> str:
    return "".join(rng.choice(_VTT_PIECES) for _ in range(rng.randint(0, 14)))


def test_vtt_voice_blanking_matches_the_plain_form(tmp_path: Path) -> None:
    rng = random.Random(6)
    lines = [_random_line(rng) for _ in range(3000)]
    lines = [ln for ln in lines if ln.strip() and "\n" not in ln and "\r" not in ln]
    path = tmp_path / "a.vtt"
    # a blank line before each cue keeps the reader's cue-number and timing tests out of the way
    path.write_text("".join(f"\n\nx {ln}" for ln in lines)[1:] + "\n", encoding="utf-8")
    got = [f for f in subtitles.read(Artifact(path, "a.vtt", "vtt")) if not isinstance(f, Note)]
    want = [f for number, ln in enumerate(lines) for f in _ref_vtt_line(2 * number + 2, f"x {ln}")]
    assert got == want
    assert sum(f.role is Role.SPEAKER for f in got) > 100  # the random lines did exercise voice tags
