"""Building blocks for builtin detectors' engine prefilters (see engine._Scope).

A prefilter must match every text its detector can match in, and should be cheap to put
into the engine's RE2 Set. Unicode classes such as `\\pL` compile into large UTF-8
programs, and each scope compiles its own Set, so prefilters use ASCII-sized supersets:
`LETTER` matches every `\\pL` character (and any other non-ASCII one), and `NOT_ALNUM`
matches every character that is neither `\\pL` nor `\\pN` (it only says "not an ASCII
letter or digit"). Anything they admit beyond the exact classes merely lets a detector run.
"""

from __future__ import annotations

import re

LETTER = r"[A-Za-z\x{80}-\x{10FFFF}]"  # superset of \pL
NOT_ALNUM = r"[^A-Za-z0-9]"  # superset of [^\pL\pN]
NOT_ALNUM_APOSTROPHE = r"[^A-Za-z0-9']"  # superset of [^\pL\pN']
#: prefilters that nearly every field passes (a letter, a non-blank): the engine
#: keeps them out of its Set and runs their rules on every field of the scope. Speed: such a
#: pattern hits at almost every position, which makes the Set's DFA larger and slower for
#: every field, while it skips only the rare field without a letter (the detector, which needs
#: one too, then finds nothing).
BROAD = frozenset({LETTER, r"\S"})

_COUNTED = re.compile(r"\{(\d+),(\d+)\}")
WIDE = 4  # counted repetitions at least this wide lose their upper bound


def unbounded(pattern: str) -> str:
    """`pattern` with each wide counted repetition `{m,n}` (outside a class) made `{m,}`.

    A superset (wherever `pattern` matches, the result does), so as a Set prefilter it selects
    every rule the pattern would. Speed: RE2 expands `{0,63}` into 63 program states that a
    Set's DFA tracks in every combination with the other patterns' states; `{0,}` is one state,
    so the first pass over a file builds far fewer DFA states. A pattern with `\\Q...\\E`
    literal text is returned unchanged (it could hold a literal `{m,n}`).
    """
    if "\\Q" in pattern or "{" not in pattern:
        return pattern
    out: list[str] = []
    i, size, in_class = 0, len(pattern), False
    while i < size:
        c = pattern[i]
        if c == "\\":  # an escape, in or out of a class: \{ is a literal, \x{10FFFF} has no comma
            out.append(pattern[i:i + 2])
            i += 2
        elif in_class:
            end = pattern.find(":]", i + 2) if pattern.startswith("[:", i) else -1
            if end >= 0:  # a POSIX class such as [:alpha:] inside the brackets
                out.append(pattern[i:end + 2])
                i = end + 2
                continue
            in_class = c != "]"
            out.append(c)
            i += 1
        elif c == "[":
            in_class = True
            j = i + 1 + (pattern.startswith("^", i + 1))
            j += pattern.startswith("]", j)  # a "]" first in a class is a literal
            out.append(pattern[i:j])
            i = j
        else:
            m = _COUNTED.match(pattern, i)
            if m is not None and int(m.group(2)) - int(m.group(1)) >= WIDE:
                out.append("{" + m.group(1) + ",}")
                i = m.end()
            else:
                out.append(c)
                i += 1
    return "".join(out)


# Unicode classes and the ASCII-sized form they take in a prefilter (see `ascii_sized`)
_ASCII_OF = {"L": "A-Za-z", "N": "0-9", "Lu": "A-Z", "Ll": "a-z", "Nd": "0-9"}
_NON_ASCII = r"\x{80}-\x{10FFFF}"


def ascii_sized(pattern: str) -> str:
    """`pattern` with `\\pL`, `\\pN` (and `\\p{Lu}`, `\\p{Ll}`, `\\p{Nd}`, `\\PL`...) replaced by
    ASCII-sized supersets, as LETTER and NOT_ALNUM are.

    A superset (wherever `pattern` matches, the result does): outside a class `\\pL` becomes
    `[A-Za-z\\x{80}-\\x{10FFFF}]` and `\\PL` becomes `[^A-Za-z]`; inside a class `\\pL` admits
    every non-ASCII character too, and inside a negated class it only leaves out the ASCII
    letters. Speed: a case-insensitive `\\pL` compiles into a large UTF-8 program; a Set of a
    scope's prefilters compiled in 6 ms now compiles in 2-3 ms (per process: every worker and
    every one-file start), and its DFA grows fewer states on new text. A pattern with
    `\\Q...\\E` literal text, or a class within a class, is returned unchanged.
    """
    if "\\Q" in pattern or ("\\p" not in pattern and "\\P" not in pattern):
        return pattern
    out: list[str] = []
    i, size, in_class, negated = 0, len(pattern), False, False
    while i < size:
        c = pattern[i]
        if c == "\\" and pattern[i + 1:i + 2] in ("p", "P"):
            end = pattern.find("}", i) + 1 if pattern[i + 2:i + 3] == "{" else i + 3
            name = pattern[i + 2:end].strip("{}")
            ascii_part = _ASCII_OF.get(name)
            upper = pattern[i + 1] == "P"
            if ascii_part is None or end <= i or (in_class and upper):
                out.append(pattern[i:end] if end > i else pattern[i:])
            elif in_class:
                out.append(ascii_part if negated else ascii_part + _NON_ASCII)
            else:
                out.append(f"[^{ascii_part}]" if upper else f"[{ascii_part}{_NON_ASCII}]")
            i = end if end > i else size
        elif c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif in_class:
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end < 0:
                    return pattern
                out.append(pattern[i:end + 2])
                i = end + 2
                continue
            if c == "[":
                return pattern  # a class within a class: not a form RE2 has, left alone
            in_class = c != "]"
            out.append(c)
            i += 1
        elif c == "[":
            in_class = True
            negated = pattern.startswith("^", i + 1)
            j = i + 1 + negated
            j += pattern.startswith("]", j)  # a "]" first in a class is a literal
            out.append(pattern[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)
