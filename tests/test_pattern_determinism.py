"""Word alternations are written in the same order in every process.

They are built from sets, whose order depends on the string hash seed. Their matches do not
(words of one length never match the same text differently), but the pattern and the program
RE2 compiles from it did, so a Set's size, its DFA and a benchmark's instruction counts varied
from run to run. Sorting by length and then by the word fixes the text of each pattern.
"""

from __future__ import annotations

import os
import subprocess
import sys

from speechgate.detectors.regex import longest_first

_PRINT = """
from speechgate.detectors import cues, keywords, spoken
print(spoken.SPOKEN_PREFILTER)
print(spoken._ANY_NUMBER_WORD.pattern)
print(cues.Cues(["call", "ring", "fax", "tel", "phone number", "text me"])._pattern)
keywords.compile_re2 = print  # the pattern the rule would compile
keywords.build({"words": ["age", "sex", "dob", "accent", "gender"]})
"""


def _patterns(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", _PRINT], env=env, capture_output=True, text=True,
                          check=True).stdout


def test_alternations_are_the_same_under_any_hash_seed() -> None:
    first = _patterns("1")
    assert first.count("\n") == 4
    for seed in ("2", "3", "4"):
        assert _patterns(seed) == first


def test_longest_first_puts_longer_words_first_then_sorts_alphabetically() -> None:
    assert sorted({"nine", "nineteen", "one", "two", "six"}, key=longest_first) == [
        "nineteen", "nine", "one", "six", "two"]
