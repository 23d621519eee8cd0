"""Speaker labels that are not pseudonymous.

A label passes when it fully matches one of the pseudonymous patterns (defaults:
`SPEAKER_00`, `spk00`, `speaker_0`, single letters, per-file cluster labels such as
`ES2014c_spkr_3` or `ES2014c.A_PM`, dataset-numbered labels such as `ljspeech-2`,
conversation sides such as `2347-a` or `sw02001-A`, role codes such as `CHI`, `MOT`,
`FA1`, `KCHI`); a label that follows a public corpus's
id convention is left to the corpus rules (one finding per value, see
`detectors/speaker_ids.py`); anything else in a speaker field is reported.
Options: {"patterns": [RE2, ...]} replaces the defaults; the config's
`pseudonymous_labels` are added by the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from speechgate.detectors.regex import compile_re2
from speechgate.detectors.speaker_ids import corpus_of
from speechgate.model import Field, Match
from speechgate.re2_direct import tester

DEFAULT_PATTERNS = (
    r"(?i)speaker[_ -]?\d+",
    r"(?i)spk[_-]?\d+",
    r"(?i)spkr[_-]?\d+",
    r"(?i)s\d{1,3}",
    r"[A-Z]",
    r"\d{1,3}",
    r"(?i)(unknown|unk|overlap|noise|silence|sil|music|other|none|null|nan|n/a|-|<na>)",
    r"(?i)[a-z]{2,3}\d{3,4}[a-z]?[._-](?:spk|spkr|speaker|s)[_-]?\d+",  # <meeting>_spkr_3
    r"(?:ES|IS|TS|IB|IN|EN)\d{4}[a-d]\.[A-E](?:_(?:PM|ID|UI|ME))?",  # AMI <meeting>.A_PM
    r"(?i)(?:sw|fe|en|ma|sp|ar|ge|ja)?[_-]?(?:\d{2}[_-])?\d{4,5}[_-]?[ab]",  # conversation side 2347-a
    r"[A-Z]{2,3}\d?|KCHI|SPEECH",  # role codes: CHI MOT FAT FA1 FEM MAL KCHI
    r"(?i)[a-z]+[-_]?\d{1,3}",  # dataset-numbered labels (ljspeech-0); names inside are person-name rules' job
    r"(?i)(alpha|beta|gamma|delta|epsilon|theta|omega|sigma|ref|hyp|sys\d*|agent|caller|customer|"
    r"interviewer|interviewee|moderator|host|guest|child|mother|father|parent|teacher|doctor|patient)",
)


def build(options: Mapping[str, Any]) -> Callable[[Field], tuple[Match, ...]]:
    patterns = list(options.get("patterns", DEFAULT_PATTERNS)) + list(options.get("extra", ()))
    listed = tester(compile_re2("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$"))
    # the defaults name no digit, only classes of all of them (\d): a label is listed exactly
    # when the label with each ASCII digit as 0 is (tests/test_fast_paths_hot.py); patterns of
    # the user's may name digits (SPEAKER_0[0-5]), so then every label is tested as it is
    digit_blind = patterns == list(DEFAULT_PATTERNS)
    known: dict[str | bytes, bool] = {}  # label, or its digit shape -> listed; labels repeat

    def is_listed(label: str) -> bool:
        key: str | bytes = label.encode("ascii").translate(_DIGITS_AS_ZERO) if (
            digit_blind and label.isascii()) else label
        hit = known.get(key)
        if hit is None:
            if len(known) >= 4096:
                known.clear()
            hit = known[key] = listed(label)
        return hit

    def detect(field: Field) -> tuple[Match, ...]:
        # a tuple, not a generator: almost every label is listed and answers nothing
        label = field.text.strip()
        if not label or is_listed(label) or corpus_of(label) is not None:
            return ()
        start = field.text.index(label)
        return (Match(start, start + len(label), label),)

    detect.prefilter = r"\S"  # type: ignore[attr-defined]  # only a blank label is certainly pseudonymous
    return detect


_DIGITS_AS_ZERO = bytes(ord("0") if chr(b).isdigit() and b < 128 else b for b in range(256))
