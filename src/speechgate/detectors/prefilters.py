"""Building blocks for builtin detectors' engine prefilters (see engine._Scope).

A prefilter must match every text its detector can match in, and should be cheap to put
into the engine's RE2 Set. Unicode classes such as `\\pL` compile into large UTF-8
programs, and each scope compiles its own Set, so prefilters use ASCII-sized supersets:
`LETTER` matches every `\\pL` character (and any other non-ASCII one), and `NOT_ALNUM`
matches every character that is neither `\\pL` nor `\\pN` (it only says "not an ASCII
letter or digit"). Anything they admit beyond the exact classes merely lets a detector run.
"""

from __future__ import annotations

LETTER = r"[A-Za-z\x{80}-\x{10FFFF}]"  # superset of \pL
NOT_ALNUM = r"[^A-Za-z0-9]"  # superset of [^\pL\pN]
NOT_ALNUM_APOSTROPHE = r"[^A-Za-z0-9']"  # superset of [^\pL\pN']
