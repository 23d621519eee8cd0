"""Praat TextGrid, long and short text formats (any encoding textio reads, UTF-16 included).

Both formats are the same sequence of quoted strings once keys, numbers and `<exists>` are
dropped: "ooTextFile", "TextGrid", then per tier its class ("IntervalTier"/"TextTier"), its
name, and the texts of its intervals or points. So the reader tokenises quoted strings
(`""` escapes a quote; strings may span lines) as a stream and needs no format switch.

Out: tier names as SPEAKER fields named "tier" (tiers are usually speakers), except layer
names such as `words`/`phones` (KEY fields) and upper-case annotation codes (`CHI`, `FA1`,
`2POPMT`) or generic "other" tiers (IDENTIFIER fields, so corpus-id rules still see them
but pseudonymous-label checks do not); a tier named by the id that starts the file's
own name (MFA/LibriSpeech layout `61/61-70968-0000.TextGrid`, tier "61") is a corpus speaker
id and is named "tier:file_speaker_id"; interval and point texts are TEXT fields named
"text". Locators: line and 1-based column of the string's first character (after the quote).
Binary TextGrids (`ooBinaryFile`) and non-TextGrid text are Unscannable.
"""

from __future__ import annotations

from collections.abc import Iterator

import re2

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role, make_field
from speechgate.readers.textio import lines, open_binary

TIER_CLASSES = frozenset({"IntervalTier", "TextTier"})
LAYER_NAMES = re2.compile(
    r"(?i)^(words?|phones?|phonemes?|phonetic|syllables?|segments?|tokens?|ortho(graphy)?|"
    r"transcription|transcript|utterances?|sentences?|lemmas?|pos|tones?|notes?|comments?|silences?|"
    r"mau|mas|kan|ort|trn|wor|pho)$"
)
# annotation codes (CHI, FA1, 2POPMT, vcm@CHI) and generic "other" tiers: not speaker labels
CODE_NAMES = re2.compile(r"^([A-Z0-9_@*.-]{1,8}|(?i:autres?|others?|andere|otros?|altr[oi]|misc|default|bruit))$")
_ID_PREFIX = re2.compile(r"^([A-Za-z]*\d+)[-_]")
_TEXT = Role.TEXT  # a local name: an enum member looked up on its class costs a step per interval


def read(artifact: Artifact) -> Iterator[Field | Note]:
    with open_binary(artifact.path) as raw:
        if raw.read(64).lstrip(b"\xef\xbb\xbf").startswith(b"File type = \"ooBinaryFile\""):
            raise Unscannable("binary Praat TextGrid is not supported")
    stem = artifact.path.name.split(".")[0]
    m = _ID_PREFIX.search(stem)
    file_id = m.group(1) if m else None
    position = 0
    expect_name = False
    for item in _strings(artifact):
        if isinstance(item, Note):
            yield item
            continue
        number, column, value = item
        position += 1
        if position <= 2:
            if value != ("ooTextFile" if position == 1 else "TextGrid"):
                raise Unscannable("not a Praat TextGrid text file")
            continue
        locator = {"line": number, "column": column + 1}
        if expect_name:
            expect_name = False
            yield _tier(value, locator, file_id)
        elif value in TIER_CLASSES:
            expect_name = True
        elif value.strip():
            yield make_field((value, _TEXT, locator, "text", column))
    if position < 2:
        raise Unscannable("not a Praat TextGrid text file")


def _tier(value: str, locator: dict[str, int], file_id: str | None) -> Field:
    label = value.strip().rstrip("*").strip()
    if LAYER_NAMES.search(label) or not label:
        return Field(value, Role.KEY, locator, name="tier")
    if file_id is not None and label == file_id:
        return Field(label, Role.SPEAKER, locator, name="tier:file_speaker_id")
    if CODE_NAMES.search(label):
        return Field(label, Role.IDENTIFIER, locator, name="tier")
    return Field(label, Role.SPEAKER, locator, name="tier")


def _strings(artifact: Artifact) -> Iterator[tuple[int, int, str] | Note]:
    """(line, 0-based column, value) of every quoted string, streamed."""
    start: tuple[int, int] | None = None
    parts: list[str] = []
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        i = 0
        while True:
            q = text.find('"', i)
            if start is None:
                if q < 0:
                    break
                start, parts, i = (number, q + 1), [], q + 1
            elif q < 0:
                parts.append(text[i:] + "\n")
                break
            elif text.startswith('""', q):
                parts.append(text[i:q] + '"')
                i = q + 2
            else:
                parts.append(text[i:q])
                yield start[0], start[1], "".join(parts)
                start, i = None, q + 1
    if start is not None:
        raise Unscannable("TextGrid ends inside a quoted string (truncated?)")
