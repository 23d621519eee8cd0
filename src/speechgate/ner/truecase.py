"""Restore likely capitals in caseless text before NER (spaCy's NER leans on case).

In: a text. Out: the same text with the same length, where all-lowercase or all-UPPERCASE
text gets sentence starts, "I" and gazetteer names capitalised; cased text is unchanged.
Written here because the `truecase` package needs NLTK data downloads; this one reuses
the names gazetteer of detectors/names.py.
"""

from __future__ import annotations

import re2

from speechgate.detectors.names import COMMON_WORDS, gazetteer, is_cased

_WORD = re2.compile(r"\pL[\pL'’]*")
_SENTENCE_END = frozenset(".!?")


def _lower(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _capital(word: str) -> str:
    first = word[0].upper()
    return (first if len(first) == 1 else word[0]) + word[1:]


def truecase(text: str) -> str:
    if is_cased(text):
        return text
    g = gazetteer()
    out = list(_lower(text))
    start_of_sentence = True
    last_end = 0
    for m in _WORD.finditer(text):
        gap = text[last_end:m.start()]
        if any(c in _SENTENCE_END for c in gap):
            start_of_sentence = True
        word = "".join(out[m.start():m.end()])
        base = word.split("'")[0].split("’")[0]
        name = (base in g.first or (base in g.last and base not in COMMON_WORDS))
        if start_of_sentence or name or base == "i":
            out[m.start():m.end()] = _capital(word)
        start_of_sentence = False
        last_end = m.end()
    return "".join(out)
