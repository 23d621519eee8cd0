"""Telephone numbers, written ("+44 20 7946 0958", "(212) 456-7890") or spoken ("nine one
seven double two ..."), validated with the `phonenumbers` library.

Options: {"spoken": bool (default false), "cues": [...], "window": int, "regions": [...]}.
Written mode finds digit groups with phone-like separators; spoken mode finds digit runs in
the normalised text that came from number words. A candidate is reported when
`validators.phone_region` accepts it, or when it has a local shape (7 digits, or 10 digits
not valid in any numbering plan, such as 555 numbers) and a cue word ("call", "number") is
near and no anti-cue ("order", "utterance", "serial"...) is. A spoken local number read digit
by digit (six words or more) counts without a cue. Corpus ids shaped like LibriSpeech's
`1089-134686-0000` and bare digit strings need a cue; dates and counting ("one two three
four five six seven") never count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import re2

from speechgate.detectors.cues import Cues
from speechgate.detectors.spoken import SPOKEN_PREFILTER, Normalised, most_digits, normalise
from speechgate.model import Field, Match
from speechgate.validators import CUED_TRUNK_REGIONS, TRUNK_REGIONS, phone_region

DEFAULT_CUES = ("phone", "telephone", "tel", "number", "call", "calling", "cell", "mobile", "reach",
                "ring", "dial", "fax", "extension", "text me", "whatsapp", "contact", "landline", "message",
                "voicemail", "line")
#: words that make an unseparated or id-shaped digit string something other than a phone number
ANTI_CUES = ("order", "invoice", "tracking", "reference", "ref", "isbn", "utterance", "utt", "segment",
             "sample", "samples", "frame", "frames", "account", "serial", "id", "chapter", "page")
#: a spoken run of this many number words read one by one is read out like a phone number
DIGIT_BY_DIGIT = 6

# The candidate patterns run with the stdlib engine: a field yields many short digit groups and
# the RE2 wrapper costs several Python calls per match. With re.ASCII and RE2's \s spelled out
# ([\t\n\f\r ]) they match exactly what RE2 matched (tests/test_number_fast_paths.py compares them);
# every quantifier is bounded, so backtracking stays a few steps per position.
_WRITTEN = re.compile(
    r"(?:^|[^\w+:/@.,#-]|[.,:][\t\n\f\r ])"
    r"(\+\d{7,15}|\d{8,15}|(?:\+|00)?(?:\d{1,4}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,8}(?:[ .-]\d{1,6}){0,5})",
    re.ASCII,
)
_OPENER = re.compile(r"[+(0-9]")  # what a `_WRITTEN` candidate starts with
#: every written candidate `accept` can take holds 7 digits, each pair apart by at most two of
#: `_WRITTEN`'s separators (`[ .-]?` next to a parenthesis): the engine's prefilter for written mode
WRITTEN_PREFILTER = r"\d(?:[ .()-]{0,2}\d){6}"
_SPOKEN = re.compile(r"(\+?\d{7,15})", re.ASCII)
_SPOKEN_DIGITS = 7  # the fewest digits `_SPOKEN` takes
_NON_DIGIT = re.compile(r"[^0-9]")
_WORDS = re2.compile(r"\pL+")  # number words; digits the ASR wrote as digits do not count
# shapes of a whole candidate (fullmatch); candidates hold only ASCII digits and "+ .()-"
_CORPUS_ID = re.compile(r"\d{1,4}[-_]\d{1,6}[-_]0[0-2]\d\d", re.ASCII)  # LibriSpeech speaker-chapter-utterance
_DATE = re.compile(r"\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}", re.ASCII)
_DECIMAL = re.compile(r"\d+\.\d+", re.ASCII)  # 0.538625 seconds
_VERSIONISH = re.compile(r"\d{1,4}(?:\.\d{1,3}){2,}", re.ASCII)


# a digit followed by one a step up or down: each match is a run of such steps (one regex call
# instead of a Python step per digit pair)
_STEPS = re.compile(
    r"(?:0(?=1)|1(?=[02])|2(?=[13])|3(?=[24])|4(?=[35])|5(?=[46])|6(?=[57])|7(?=[68])|8(?=[79])|9(?=8))+"
)


def _counting(digits: str) -> bool:
    """Counting aloud ("one two three ... ten") or one digit repeated: not a phone number.
    `digits`: ASCII digits. The longest run of digits each one step from the one before has
    one digit more than the longest run of steps."""
    if len(set(digits)) == 1:
        return True
    best = max(map(len, _STEPS.findall(digits)), default=0) + 1
    return best >= 7 or best == len(digits)


# RE2's \s, \d and $ spelled out for the stdlib engine (\Z is the end of the text)
_LIST_BEFORE = re.compile(r"(?:^|[\t\n\f\r ])-?[0-9]+[ \t]\Z")
_LIST_AFTER = re.compile(r"[ \t]-?[0-9]+(?:\Z|[\t\n\f\r ])")


def _in_number_list(text: str, start: int, end: int) -> bool:
    """Part of a run of space-separated numbers ("-80 0 -71 26 80 64 67 74"): data, not a phone."""
    return bool(_LIST_BEFORE.search(text[max(0, start - 12):start]) or _LIST_AFTER.match(text[end:end + 12]))


def _right_ok(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    ch = text[end]
    if ch.isalnum() or ch in "_:/@-+":
        return False
    return not (ch in ".," and end + 1 < len(text) and text[end + 1].isdigit())


def _written(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Written candidates in `text` with 7 to 15 digits and clear edges: (start, end, candidate, digits).

    A text that is one decimal number ("376.6999999999999") yields at most the whole text, which
    `accept` turns down as a decimal: its only candidate starts at 0 (a digit or "." never opens
    one) and ends at the end or before a digit or a "." that a digit follows (`_right_ok`)."""
    opener = _OPENER.search(text)
    if opener is None:
        return
    # speed: no match starts more than two characters (`_WRITTEN`'s longest edge) before the
    # first character a candidate can start with, so the scan starts there
    for m in _WRITTEN.finditer(text, max(0, opener.start() - 2)):
        s, e = m.span(1)
        candidate = text[s:e].rstrip(" .-")
        digits = _NON_DIGIT.sub("", candidate)
        if not 7 <= len(digits) <= 15:  # most digit groups are short: the cheapest test first
            continue
        e = s + len(candidate)
        if _right_ok(text, e) and not _in_number_list(text, s, e):
            yield s, e, candidate, digits


def build(options: Mapping[str, Any]) -> Callable[[Field], Iterable[Match]]:
    spoken = bool(options.get("spoken", False))
    cues = Cues(options.get("cues", DEFAULT_CUES), int(options.get("window", 40)))
    regions = tuple(options.get("regions", TRUNK_REGIONS))
    anti = Cues(options.get("anti_cues", ANTI_CUES), int(options.get("window", 40)))

    def accept(candidate: str, digits: str, text: str, start: int, end: int, name: str | None, words: int = 0) -> bool:
        """`digits`: the candidate's 7 to 15 digits; `words`: how many number words it was read as."""
        if _counting(digits) or _DATE.fullmatch(candidate) or _DECIMAL.fullmatch(candidate):
            return False
        corpus = bool(_CORPUS_ID.fullmatch(candidate))
        shaky = corpus or bool(_VERSIONISH.fullmatch(candidate)) or (not spoken and candidate.isdigit())
        local = len(digits) in (7, 10) and digits[0] not in "01"
        if shaky:  # needs a cue (before it, for corpus-id shapes) and no anti-cue; checked before parsing
            cued = cues.before(text, start, name) if corpus else cues.near(text, start, end, name)
            if not cued or anti.near(text, start, end, name):
                return False
            return local or phone_region(candidate, regions) is not None
        if local:
            # A local shape read digit by digit or with a cue counts whatever its plan says: deciding
            # that before parsing (a cue lookup costs a tenth of a parse) skips most parses. Local
            # shapes never start with 0, so the cued-plan test below does not apply to them.
            if words >= DIGIT_BY_DIGIT or (cues.near(text, start, end, name) and not anti.near(text, start, end, name)):
                return True
            return phone_region(candidate, regions) is not None
        if phone_region(candidate, regions) is not None:
            return True
        cued = cues.near(text, start, end, name) and not anti.near(text, start, end, name)
        # "my number is 09-7625400": a national number from a plan we only try on a cue
        return digits[0] == "0" and cued and phone_region(candidate, CUED_TRUNK_REGIONS) is not None

    def detect(field: Field) -> list[Match] | tuple[()]:
        # a list, not a generator: most fields stop at the first test
        text = field.text
        if spoken:
            if text.isascii() and most_digits(text) < _SPOKEN_DIGITS:
                return ()  # most texts with a number word: too few for a phone number, not normalised
            norm = normalise(text)
            if norm.pieces is None:
                return ()
            return list(_spoken_matches(text, norm, field.name))
        if _DECIMAL.fullmatch(text):  # a column of times or scores: `_written` proves it holds no phone
            return ()
        name = field.name
        return [Match(s, e, candidate) for s, e, candidate, digits in _written(text)
                if accept(candidate, digits, text, s, e, name)]

    def _spoken_matches(text: str, norm: Normalised, name: str | None) -> Iterator[Match]:
        for m in _SPOKEN.finditer(norm.text):
            s, e = m.span(1)
            if not norm.has_spoken(s, e) or norm.text[e:e + 1].isdigit() or (s and norm.text[s - 1].isdigit()):
                continue
            candidate = m.group(1)
            o_start, o_end = norm.to_original(s, e)
            words = len(_WORDS.findall(text[o_start:o_end]))
            if accept(candidate, candidate.lstrip("+"), text, o_start, o_end, name, words):
                yield Match(o_start, o_end, candidate)

    # engine prefilter: written numbers need a digit; spoken ones a number word or spaced digits
    detect.prefilter = SPOKEN_PREFILTER if spoken else WRITTEN_PREFILTER  # type: ignore[attr-defined]
    return detect
