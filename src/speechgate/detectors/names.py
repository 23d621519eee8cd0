"""Person names in speech text and labels, without a model.

In: a Field. Out: Matches for person names. Two builtins:
- `person_name_text` (free text: transcripts, captions): cue phrases ("my name is X",
  "this is X speaking", "X here", "ask for X", "call me X", "Mr X"), `NAME:` speaker
  prefixes at line start, first-name + surname pairs from the gazetteer, and in cased
  text capitalised first names. Works the same in lowercase ASR output and UPPERCASE text
  (LibriSpeech style), because the gazetteer is matched case-insensitively.
- `person_name_label` (speaker fields, file paths, ids, keys, cells): labels split on
  `_ - . /` and camelCase (`interview_john_smith.wav`, `JaneDoe`, `Lav Jessica`).

Gazetteer: the U.S. Census Bureau 1990 name frequency lists (5,494 first names, 88,799
surnames with rank) shipped as data inside the `names` package (MIT licence); nothing is
downloaded. `names-dataset` was considered and rejected: it needs 3.2 GB of RAM and is
built from a leaked Facebook dump. First names that are also common English words
("will", "may", "grant", "bill", "mark", "rose", "april"...) are kept apart as ambiguous:
they count only after a cue phrase, as a capitalised word in cased text, or as a whole
speaker label. Written here rather than with a library because no maintained package
does name spotting in caseless text; spaCy/Presidio NER is the optional extra.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import re2

from speechgate import memo
from speechgate.detectors.prefilters import LETTER
from speechgate.detectors.pseudonymous import DEFAULT_PATTERNS
from speechgate.detectors.regex import compile_re2
from speechgate.detectors.speaker_ids import corpus_of
from speechgate.model import Field, Match, Role


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MAX_SURNAME_RANK = 30000  # the census list's long tail is mostly one-off spellings and words
TOP_FIRST_RANK = 400  # first names common enough to report alone in caseless text
AMBIGUOUS_PAIR_RANK = 5000  # "will smith" counts in caseless text; "will student" does not

CUE_DELTA = 0.1
SINGLE_CASED_DELTA = -0.2
SINGLE_CASELESS_DELTA = -0.45

# Frequent English words (and speech fillers); a name token that is one of these is ambiguous.
COMMON_WORDS = _words("""
    a able about above across act actually add after afternoon again against age ago agree ah air
    all almost alone along already also although always am among an and angel another answer any
    anyone anything anyway apart april are area arm around art as ask asked at august autumn away
    baby back bad ball bank bar base be bear beat beautiful because become bed been before began
    begin behind being believe bell below best better between big bill bird bit black blood blue
    board boat body book born both bottom box boy bread break bright bring brother brought brown
    build burn bush business busy but buy by call called came can car card care carry case cat
    center chance change chapter charge chase check child children choice church citizen city class
    clear close cloud coach cold color come coming common cook cool corner cost could count country
    course court cover crown cry current cut dad dark date daughter dawn day dead deal dear death
    decide deep degree did die different do doctor does dog doing done door down draw dream dress
    drive drop dry during each early earth east easy eat edge eight either else end energy enough
    even evening ever every eye face fact factor fair faith fall family far farm fast father fear
    feel feet fell felt few field fight fill final find fine fire first fish five floor fly follow
    food foot for force ford form forward found four free friend from front full fun game garden
    gave general get girl give glad glass glen go god going gold golden gone gonna good got gotta
    grace grand grant great green ground group grow guess guy had hair half hall hand happen happy
    hard has hat have he head hear heard heart heat held hello help her here herself hey hi high
    hill him himself his hit hmm hold hole home honey hope horse hot hour house how however huge huh
    human hundred hunt hunter husband i idea if in inside instead into iron is island it its itself
    job join joy june just keep kept key kid kind king kiss kitchen knew know known lady land lane
    large last late later laugh law lawyer lay lead leader learn least leave left less let letter
    lie life light like line list listen little live lived long look looked lord lost lot love loved
    low made main major make man many march mark mass matter may maybe me mean meet men mhm might
    miles million mind mine minute miss moment money month moon more morning most mother move moved
    much music must my myself name nation near need never new news next nice night nine no none nope
    nor north not note nothing now number of off office officer often oh ok okay old on once one
    only open or order other our out outside over own page paper parent park part party pass past
    pay peace people perhaps person pick piece place plain plan plant play player please point poor
    power press pretty price print problem pull put question quick quite race rain ran range rather
    reach read ready real really reason record red remember rest rich ride right ring risk river
    road rock roll room rose round rule run said same sat saw say school sea season second see seem
    seemed seen self sell send senior sense sent service set seven shake shall she ship short should
    show side sign since sing sir sister sit six sky small snow so some someone something sometimes
    son song soon sorry sound south southern speak special spring staff stage stand standard star
    start started state stay step still stock stone stop story street strong study such summer sun
    sure surface table take talk tell ten test than thank thanks that the their them then there
    these they thing think third this those though thought three through time to today together told
    too took top toward town treat tree tried true try turn turned two uh um under understand until
    up upon us use used very visit voice wait walk wall wanna want wanted war warm was watch water
    way we wear week weight well went were west western what when where which while white who whole
    why wide wife will win wind window winter wish with within without woman wood word work worked
    world would write wrong yard yeah year yep yes yet you young your
""")

# Common words that are still ordinary surnames after a first name ("john brown").
SURNAME_WORDS = _words("""
    angel august bell bird black blue box bright brown bush case chase cloud cook early fair field
    fish ford friend gold golden grace grant green hall hill house hunt hunter joy key king lane law
    little long lord main major miles money moon north page park power price rich ring rock rose
    short small snow south spring stone street strong sun wall west white winter wood young
""")

# Words that are never a name, even after a cue ("this is it", "i'm not").
_NEVER = _words("""
    a an the it that this not so very just here there going gonna fine good sorry sure ok okay yes
    no well really about from in on at for with to of and or but by be is was are i me my you your
    we our they he she his her him them us all any some what who how why when where calling speaking
    glad happy ready afraid looking trying back home done told sure
""")

_TITLES = _words("mr mrs ms dr prof mister missus")  # strong: the next word is a name
_TITLE_WORDS = (("miss",), ("doctor",), ("madam",), ("professor",), ("sir",), ("dame",), ("named",), ("called",))
_STRONG_CUES = (("my", "name", "is"), ("my", "name's"), ("name", "is"), ("call", "me"),
                ("i", "am", "called"), ("name's",))
_CUES = (("this", "is"), ("i", "am"), ("i'm",), ("im",), ("it's",), ("ask", "for"), ("asking", "for"),
         ("speak", "to"), ("speak", "with"), ("speaking", "to"), ("speaking", "with"),
         ("talk", "to"), ("talk", "with"), ("talking", "to"), ("talking", "with"), ("hi",), ("hello",),
         ("hey",), ("thanks",), ("thank", "you"), ("dear",), ("bye",), ("goodbye",), *_TITLE_WORDS)
# Weak cues make a lone plain first name count at full confidence, never an ambiguous one.
_WEAK_CUES = (("with",), ("and",), ("told",), ("tell",), ("ask",), ("asked",), ("meet",), ("met",),
              ("called",), ("from",), ("to",))
_AFTER_CUES = frozenset({"here", "speaking", "calling"})
# (cue list, last word) -> cues of that list ending with the word: one dict lookup per token
_BY_LAST_WORD: dict[tuple[int, str], list[tuple[str, ...]]] = {}
for _list in (_STRONG_CUES, _CUES, _WEAK_CUES):
    for _cue in _list:
        _BY_LAST_WORD.setdefault((id(_list), _cue[-1]), []).append(_cue)
_CUE_ENDS = frozenset(cue[-1] for cue in (*_STRONG_CUES, *_CUES)) | _TITLES  # a name can start after these
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’])*")  # stdlib re: linear pattern, faster per match
# the same words in ASCII text; speed: an ASCII class is several times faster than [^\W\d_]
_ASCII_TOKEN = re.compile(r"[A-Za-z][A-Za-z']*")
_PREFIX = re2.compile(r"^\s*((?:\pL[\pL'’.-]*\s?){1,3}):\s")
_WORDS = re2.compile(r"\pL+")
_PSEUDONYMOUS = compile_re2("^(?:" + "|".join(f"(?:{p})" for p in DEFAULT_PATTERNS) + ")$")
_CAMEL = re2.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?:$|[^\p{Ll}])")
# the same two patterns for ASCII labels; speed: stdlib re without the re2 wrapper's per-call layer
_ASCII_WORDS = re.compile(r"[A-Za-z]+")
_ASCII_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?:$|[^a-z])")


@dataclass(frozen=True)
class Gazetteer:
    """Lower-case name sets; `ambiguous` first names are also common words."""

    first: Mapping[str, int]  # plain first name -> best census rank
    ambiguous: frozenset[str]
    last: Mapping[str, int]  # surname -> census rank
    triggers: frozenset[str]  # words one of which every text with a name we report holds


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The census gazetteer, built on first use: from the start-up memo when the `names`
    package and this module are unchanged since it was stored, else from the census lists."""
    try:
        source = Path(__file__).read_bytes()  # the word lists and filters above shape the result
    except OSError:
        return _build_gazetteer()
    key = memo.digest("gazetteer", _census_stamp(), source)
    cached = memo.load("gazetteer", key)
    if isinstance(cached, tuple) and len(cached) == 4:
        return Gazetteer(*cached)
    g = _build_gazetteer()
    memo.store("gazetteer", key, (dict(g.first), g.ambiguous, dict(g.last), g.triggers))
    return g


_CENSUS_FILES = ("dist.male.first", "dist.female.first", "dist.all.last")


def _census_stamp() -> str:
    """Path, size and mtime of each census file in the installed `names` package."""
    data = resources.files("names")
    stamp = []
    for name in _CENSUS_FILES:
        path = Path(str(data.joinpath(name)))
        try:
            st = path.stat()
        except OSError:
            return "unstamped"
        stamp.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(stamp)


def _build_gazetteer() -> Gazetteer:
    """Load the census lists from the `names` package."""
    data = resources.files("names")
    first: dict[str, int] = {}
    for name in ("dist.male.first", "dist.female.first"):
        for line in data.joinpath(name).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 4:
                word, rank = parts[0].lower(), int(parts[3])
                first[word] = min(rank, first.get(word, rank))
    last: dict[str, int] = {}
    for line in data.joinpath("dist.all.last").read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) <= MAX_SURNAME_RANK:
            last[parts[0].lower()] = int(parts[3])
    ambiguous = frozenset(w for w in first if w in COMMON_WORDS or len(w) <= 2)
    plain = {w: r for w, r in first.items() if w not in ambiguous}
    surnames = {w: r for w, r in last.items() if (w not in COMMON_WORDS or w in SURNAME_WORDS) and len(w) > 1}
    # every path of the text walk starts at a first name (plain or ambiguous) or after the last
    # word of a strong or ordinary cue or a title; a `NAME:` prefix needs a first name or a title
    triggers = frozenset(plain) | ambiguous | _CUE_ENDS
    return Gazetteer(plain, ambiguous, surnames, triggers)


_POSSESSIVE = ("'s", "’s", "'", "’")


def _strip_possessive(word: str) -> str:
    """The word without a trailing possessive ("John's" -> "John"); in: a word with an apostrophe."""
    low = word.lower()
    for suffix in _POSSESSIVE:
        if low.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


class _Words:
    """The words of one text as parallel lists.

    In: a text, the word pattern for it, and optionally its (words, lows) already split.
    `words[i]` is the i-th word as written (possessive stripped), `lows[i]` its lower case,
    `start(i)`/`end(i)` its span. Speed: one C-level findall or split lists the words, no
    object is made per word, and the spans are found only when the walk asks for one (most
    lines have no name).
    """

    __slots__ = ("_pattern", "_spaced", "_starts", "_text", "lows", "words")

    def __init__(self, text: str, pattern: re.Pattern[str],
                 split: tuple[list[str], list[str]] | None = None, spaced: str | None = None) -> None:
        self._text = text
        self._pattern = pattern
        self._starts: list[int] | None = None
        self._spaced = spaced  # with `split`: the text whose split() gave the words (find_in_text)
        if split is not None:
            self.words, self.lows = split
            return
        words = pattern.findall(text)
        if "'" in text or "’" in text:  # a token ends in an apostrophe only when it has one
            words = [_strip_possessive(w) if "'" in w or "’" in w else w for w in words]
        self.words = words
        # speed: one lower() for the line; words hold no space and ASCII case maps char by char
        self.lows = " ".join(words).lower().split(" ") if words and text.isascii() else [w.lower() for w in words]

    def start(self, i: int) -> int:
        if self._starts is None:
            spaced = self._spaced
            if spaced is None:
                self._starts = [m.start() for m in self._pattern.finditer(self._text)]
            else:  # speed: each word is where find() meets it first after the one before (only spaces between)
                starts, at, find = [], 0, spaced.find
                for word in self.words:
                    at = find(word, at)
                    starts.append(at)
                    at += len(word)
                self._starts = starts
        return self._starts[i]

    def end(self, i: int) -> int:
        return self.start(i) + len(self.words[i])

    def capitalised(self, i: int) -> bool:
        word = self.words[i]
        return word[:1].isupper() and not (len(word) > 1 and word.isupper())


# every ASCII byte as its class: an upper-case letter "U", a lower-case one "l", anything else " "
_ASCII_CASE = bytes(ord("U") if ord("A") <= b <= ord("Z") else ord("l") if ord("a") <= b <= ord("z") else ord(" ")
                    for b in range(256))


def is_cased(text: str) -> bool:
    """True when the text carries case information (not all-lower, not all-upper)."""
    if text.islower() or text.isupper():
        return False
    if text.isascii():  # speed: one C-level translate and two counts, not a call per character
        classes = text.encode("ascii").translate(_ASCII_CASE)
        upper = classes.count(b"U")
        alpha = upper + classes.count(b"l")
    else:
        upper = sum(map(str.isupper, text))
        alpha = sum(map(str.isalpha, text))
    return 0 < upper < 0.6 * alpha


def _is_first(w: _Words, i: int, g: Gazetteer, cased: bool, loose: bool) -> bool:
    low = w.lows[i]
    if low in g.first:
        return not cased or w.capitalised(i)
    if low in g.ambiguous:
        return (cased and w.capitalised(i) and loose) or (not cased and loose and low not in _NEVER)
    return False


def _is_last(w: _Words, i: int, g: Gazetteer, cased: bool) -> bool:
    if cased and not w.capitalised(i):
        return False
    low = w.lows[i]
    return low in g.last or (low in g.first and low not in COMMON_WORDS)


def _name_after(w: _Words, i: int, g: Gazetteer, cased: bool, strong: bool) -> int:
    """Number of name words starting at word i after a cue (0 when it is not a name)."""
    lows = w.lows
    if i >= len(lows) or lows[i] in _NEVER:
        return 0
    low = lows[i]
    ok = _is_first(w, i, g, cased, loose=True) or _is_last(w, i, g, cased) or (
        cased and w.capitalised(i) and low not in COMMON_WORDS)
    if strong and not ok:
        ok = low not in COMMON_WORDS and len(low) > 1 and (not cased or w.capitalised(i))
    if not ok:
        return 0
    n = 1
    while i + n < len(lows) and n < 3 and _is_last(w, i + n, g, cased) and lows[i + n] not in _NEVER:
        n += 1
    return n


def _cue_at(lows: list[str], i: int, cues: tuple[tuple[str, ...], ...]) -> int:
    """Length of the cue ending just before word i, or 0."""
    if i == 0:
        return 0
    for cue in _BY_LAST_WORD.get((id(cues), lows[i - 1]), ()):
        n = len(cue)
        if n == 1 or (i >= n and tuple(lows[i - n:i]) == cue):  # the last word already matched
            return n
    return 0


def _adjacent(text: str, w: _Words, a: int, b: int) -> bool:
    gap = text[w.end(a):w.start(b)]
    return len(gap) <= 3 and gap.strip(" .") == ""


def _candidates(w: _Words, g: Gazetteer, cased: bool) -> list[int]:
    """Indices, ascending, of the words the walk must look at: first names and the words after
    a cue's last word or a title (in cased text only capitalised ones: a lower-case word there
    is a name only when it is a first name). The walk skips every other word: none can start
    a name."""
    lows = w.lows
    last = len(lows) - 1
    out = set()
    triggers = g.triggers  # a local: the comprehension looks it up once per word
    for i in [i for i, low in enumerate(lows) if low in triggers]:
        low = lows[i]
        if low in g.first or low in g.ambiguous:
            out.add(i)
        if low in _CUE_ENDS and i < last and (not cased or w.capitalised(i + 1)):
            out.add(i + 1)
    return sorted(out)


# every ASCII byte but letters and the apostrophe -> space: the words of _ASCII_TOKEN are then
# the split() of the result, when no word starts with an apostrophe (a text without one)
_ASCII_SPACED = bytes(b if chr(b).isascii() and (chr(b).isalpha() or b == ord("'")) else ord(" ")
                      for b in range(256))


def find_in_text(text: str) -> list[tuple[int, int, float]]:
    """(start, end, confidence delta) for each person name found in free text."""
    if text.isascii() and "'" not in text:
        if _plain_sentence(text):
            return []  # before any split: most cased lines are plain sentences (see _plain_sentence)
        g = gazetteer()
        # speed: three C-level passes (translate, lower, split) instead of a regex findall,
        # and the words as written are split only for a line the walk visits
        raw = text.encode("ascii")
        spaced = raw.translate(_ASCII_SPACED).decode("ascii")
        lows = spaced.lower().split()
        if g.triggers.isdisjoint(lows):
            return []
        cased = is_cased(text)
        if cased and ":" not in text and _only_first_word_capitalised(raw, spaced) and not (
                len(lows) > 1 and lows[1] in _AFTER_CUES and (lows[0] in g.first or lows[0] in g.ambiguous)):
            return []  # sentence case: only "<first name> here/speaking/calling" is a name (see below)
        w = _Words(text, _ASCII_TOKEN, (spaced.split(), lows), spaced)
    else:
        g = gazetteer()
        w = _Words(text, _ASCII_TOKEN if text.isascii() else _TOKEN)
        if g.triggers.isdisjoint(w.lows):
            return []  # most lines: no word that can start a name (a list: no generator to start)
        cased = is_cased(text)
    if cased and ":" not in text and not _capitalised_start(w, g):
        return []  # cased prose whose trigger words are all in lower case
    return list(_walk_text(text, w, g, cased))


def _plain_sentence(text: str) -> bool:
    """True when the ASCII `text` (no apostrophe) is a sentence `find_in_text` can skip without
    splitting it: its first character after any leading whitespace is its one capital letter,
    more letters follow, it has no colon and no "here", "speaking" or "calling".

    Such a text is cased and `_only_first_word_capitalised`, and no word after its first can be
    one of `_AFTER_CUES`, so the walk reports nothing in it (tests/test_fast_paths.py compares
    with the walk). Speed: a few C-level scans; most lines of cased transcripts are such."""
    if text[:1].isspace():
        text = text.lstrip()  # indented lines (plain-text transcripts)
    return (text[:1].isupper() and text[1:].islower() and ":" not in text
            and "here" not in text and "speaking" not in text and "calling" not in text)


def _only_first_word_capitalised(raw: bytes, spaced: str) -> bool:
    """True when the ASCII text `raw` has one capital letter, the first letter of its first
    word (`spaced`: its words with every other byte a space), as a sentence in sentence case.

    Then the walk reports at most the first word: no word after it is capitalised, so none
    is a first name, a surname or a word after a cue in cased text, and the first word has no
    cue before it and no capitalised surname after it. Of the walk's steps only the one for
    a first name (plain or ambiguous) followed by "here", "speaking" or "calling" reports it;
    a line without that shape is skipped (tests/test_fast_paths.py compares with the walk)."""
    first = len(spaced) - len(spaced.lstrip())  # the first letter: every byte before it is not one
    rest = raw[first + 1:]
    return spaced[first:first + 1].isupper() and rest.lower() == rest  # no capital after it


def _capitalised_start(w: _Words, g: Gazetteer) -> bool:
    """In cased text every name the walk reports starts at a capitalised word that is a first
    name (plain or ambiguous) or follows a cue's last word or a title (a `NAME:` prefix aside,
    which needs a colon): False when no word is such a start, and the walk can be skipped."""
    lows, first, ambiguous = w.lows, g.first, g.ambiguous
    last = len(lows) - 1
    # speed: only the trigger words (first names, ambiguous ones, cue ends: every start is one
    # or follows one) are looked at, found by one comprehension, not a case test per word
    for i in [i for i, low in enumerate(lows) if low in g.triggers]:
        low = lows[i]
        if (low in first or low in ambiguous) and w.capitalised(i):
            return True
        if low in _CUE_ENDS and i < last and w.capitalised(i + 1):
            return True
    return False


def _walk_text(text: str, w: _Words, g: Gazetteer, cased: bool) -> Iterator[tuple[int, int, float]]:
    """find_in_text's walk over a text with a word that can start a name (`cased`: is_cased(text))."""
    lows = w.lows
    taken: set[int] = set()

    def emit(i: int, n: int, delta: float) -> Iterator[tuple[int, int, float]]:
        if any(k in taken for k in range(i, i + n)):
            return
        taken.update(range(i, i + n))
        yield w.start(i), w.end(i + n - 1), delta

    m = _PREFIX.search(text) if ":" in text else None  # speed: no colon, no `NAME:` prefix
    if m is not None:
        k = 0  # the prefix's words: those ending inside it, always the first ones
        while k < len(lows) and w.end(k) <= m.end(1):
            k += 1
        if k and (lows[0] in _TITLES or any(_is_first(w, j, g, False, loose=True) for j in range(k))):
            yield from emit(0, k, CUE_DELTA)
    for i in _candidates(w, g, cased):
        if i in taken:
            continue
        low = lows[i]
        strong = _cue_at(lows, i, _STRONG_CUES) > 0 or (i > 0 and lows[i - 1] in _TITLES)
        if strong or _cue_at(lows, i, _CUES):
            n = _name_after(w, i, g, cased, strong)
            if n and (strong or n > 1 or low in g.first or low in g.ambiguous or (cased and w.capitalised(i))):
                yield from emit(i, n, CUE_DELTA)
                continue
        nxt = lows[i + 1] if i + 1 < len(lows) else None
        if nxt is not None and nxt in _AFTER_CUES and _is_first(w, i, g, cased, loose=True) and (
                i == 0 or text[w.end(i - 1):w.start(i)].strip() in {",", ".", "!", "?", "-"}):
            yield from emit(i, 1, CUE_DELTA)
            continue
        ambiguous_pair = (not cased and low in g.ambiguous and nxt is not None and len(low) > 2
                          and g.last.get(nxt, MAX_SURNAME_RANK + 1) <= AMBIGUOUS_PAIR_RANK
                          and nxt not in COMMON_WORDS)
        if not (_is_first(w, i, g, cased, loose=cased) or ambiguous_pair):
            continue
        n = 1
        while (i + n < len(lows) and n < 3 and _adjacent(text, w, i + n - 1, i + n)
               and (_is_last(w, i + n, g, cased) or (len(lows[i + n]) == 1 and n == 1))):
            n += 1
        if n > 1 and len(lows[i + n - 1]) > 1:
            yield from emit(i, n, 0.0)
        elif cased and low in g.first and i > 0 and text[:w.start(i)].rstrip()[-1:] not in {".", "!", "?", ""}:
            yield from emit(i, 1, SINGLE_CASED_DELTA)
        elif low in g.first and _cue_at(lows, i, _WEAK_CUES):
            yield from emit(i, 1, 0.0)
        elif not cased and g.first.get(low, 10**6) <= TOP_FIRST_RANK:
            yield from emit(i, 1, SINGLE_CASELESS_DELTA)


def _label_tokens(label: str) -> list[tuple[int, int, str]]:
    words, camel = (_ASCII_WORDS, _ASCII_CAMEL) if label.isascii() else (_WORDS, _CAMEL)
    out = []
    for part in words.finditer(label):
        word = part.group()
        if word.isupper() or word.islower() or (word[:1].isupper() and word[1:].islower()):
            out.append((part.start(), part.end(), word.lower()))
            continue
        for sub in camel.finditer(word):
            s = sub.group().rstrip()
            out.append((part.start() + sub.start(), part.start() + sub.start() + len(s), s.lower()))
    return out


def find_in_label(label: str, role: Role) -> tuple[tuple[int, int, float], ...]:
    """(start, end, delta) for a first-name + surname pair in a label, or a bare first name
    as a whole speaker label."""
    if label.isascii() and not _may_hold_first_name(label):
        return ()  # most labels (spk_0042, utt_00017, paths): no token that is a first name
    return _label_names(label, role)


@lru_cache(maxsize=4096)
def _label_names(label: str, role: Role) -> tuple[tuple[int, int, float], ...]:
    """`_find_in_label`'s result, once per distinct label that may hold a first name.

    Speed: find_in_label rejects the rest before this memo, whose misses each build a key
    and, once it is full, evict an entry."""
    return tuple(_find_in_label(label, role))


def _may_hold_first_name(label: str) -> bool:
    """False when no token `_label_tokens` makes of the ASCII `label` is a first name, which
    `_find_in_label` needs before anything else.

    The answer depends only on the label's letter runs, so it is memoised by the label with
    every other byte a space: spk_0042, spk_1618 and every other label of that shape are
    answered by one look-up (a corpus has thousands of such labels and few shapes)."""
    shape = label.encode("ascii").translate(_LETTERS_ONLY)
    known = _SHAPES.get(shape)
    if known is None:
        if len(_SHAPES) >= 4096:
            _SHAPES.clear()
        known = _SHAPES[shape] = _letter_runs_may_hold_first_name(label)
    return known


_LETTERS_ONLY = bytes(b if chr(b).isascii() and chr(b).isalpha() else ord(" ") for b in range(256))
_SHAPES: dict[bytes, bool] = {}  # a label's letters (other bytes as spaces) -> _may_hold_first_name


def _letter_runs_may_hold_first_name(label: str) -> bool:
    """`_may_hold_first_name`, computed. Speed: a letter run that is lower, upper or
    capitalised is itself a token (lowered), so one findall answers; a camel-case run may
    hold several tokens, and answers True (the full walk decides)."""
    g = gazetteer()
    first, ambiguous = g.first, g.ambiguous
    for word in _ASCII_WORDS.findall(label):
        low = word.lower()
        if low in first or low in ambiguous:
            return True
        if not (word.isupper() or word.islower() or (word[:1].isupper() and word[1:].islower())):
            return True
    return False


def _find_in_label(label: str, role: Role) -> Iterator[tuple[int, int, float]]:
    g = gazetteer()
    toks = _label_tokens(label)
    if not any(word in g.first or word in g.ambiguous for _, _, word in toks):
        return  # both checks below need a first name; cheaper than the vetoes
    if corpus_of(label) is not None or _PSEUDONYMOUS.search(label.strip()):
        return
    for k in range(len(toks) - 1):
        first, last = toks[k][2], toks[k + 1][2]
        if (first in g.first or (first in g.ambiguous and len(first) > 2)) and last in g.last:
            yield toks[k][0], toks[k + 1][1], 0.0
            return
    if role is Role.SPEAKER and 1 <= len(toks) <= 3:
        for start, end, word in toks:
            if len(word) <= 3 and label[start:end].isupper():
                continue  # role codes: CHI, MOT, FAT, FEM
            if word in g.first or (word in g.ambiguous and len(word) > 2 and len(toks) == 1):
                yield start, end, 0.0
                return


def build_text(options: Mapping[str, Any]) -> Callable[[Field], Iterable[Match]]:
    """Builtin `person_name_text`. The gazetteer loads when the first field reaches it."""

    def detect(field: Field) -> list[Match] | tuple[()]:
        text = field.text
        found = find_in_text(text)
        if not found:  # most fields: no generator and no list to build
            return ()
        return [Match(start, end, text[start:end], confidence_delta=delta) for start, end, delta in found]

    # every name starts at a letter; the real narrowing (a gazetteer, title or cue word) is a
    # set look-up per field in find_in_text, too large for an RE2 pattern
    detect.prefilter = LETTER  # type: ignore[attr-defined]
    return detect


def build_label(options: Mapping[str, Any]) -> Callable[[Field], Iterable[Match]]:
    """Builtin `person_name_label`."""

    def detect(field: Field) -> list[Match] | tuple[()]:
        found = find_in_label(field.text, field.role)
        if not found:  # most labels: no generator and no list to build
            return ()
        text = field.text
        return [Match(start, end, text[start:end], confidence_delta=delta) for start, end, delta in found]

    detect.prefilter = LETTER * 2  # type: ignore[attr-defined]  # census first names have 2+ letters
    return detect
