"""SRT and WebVTT captions: cue text is free text; WebVTT `<v Name>` spans are speaker fields.

A voice span is blanked (same length, so columns stay right) in the cue's free-text field, so
a speaker name is reported once, as a speaker label, not again as a name in the text.

Cue numbers, timing lines and the WEBVTT header are structure, not content, and are skipped.
NOTE blocks are scanned as free text (authors leave names and contacts there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import re2

from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.re2_direct import finditer
from speechgate.readers.textio import lines

# fixed, backtracking-free patterns on the hot path: the stdlib engine is much faster per call
_TIMING = re.compile(r"^\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*")
_CUE_NUMBER = re.compile(r"^\s*\d+\s*$")
_VOICE = re2.compile(r"<v(?:\.[\w.-]+)*\s+([^>]+)>")
_TEXT, _SPEAKER = Role.TEXT, Role.SPEAKER  # enum members looked up on their class cost a step per cue


def read(artifact: Artifact) -> Iterator[Field | Note]:
    vtt = artifact.kind == "vtt"
    previous_blank = True
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        stripped = text.strip()
        blank = not stripped
        structural = (
            blank
            or ("-->" in text and _TIMING.search(text) is not None)  # speed: a test in C before the regex call
            or (previous_blank and _CUE_NUMBER.search(text) is not None)
            or (vtt and number == 1 and text.lstrip("\ufeff").startswith("WEBVTT") and stripped == "WEBVTT")
            or (vtt and stripped in ("STYLE", "REGION"))
        )
        previous_blank = blank
        if structural:
            continue
        if vtt and "<v" in text:
            pieces = []
            done = 0
            # speed: spans straight from the RE2 extension (no Match object per tag), and the
            # text rebuilt from slices rather than a list of its characters
            for (tag_start, tag_end), (start, end) in finditer(_VOICE, text):
                yield make_field((text[start:end], _SPEAKER, {"line": number, "column": start + 1}, "voice", start))
                pieces += (text[done:tag_start], " " * (tag_end - tag_start))  # the label is not speech
                done = tag_end
            if pieces:
                text = "".join(pieces) + text[done:]
        yield make_field((text, _TEXT, {"line": number}, None, 0))
