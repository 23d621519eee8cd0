"""Which role a value gets from the name of its key or column.

In: a key or column name. Out: a Role. A key named `speaker`, `speaker_id`, `client_id`
or `email` changes what its value is; unknown names give COLUMN.
Results are memoised per distinct name (a manifest repeats a handful of keys on every row;
four RE2 calls per value were a tenth of the JSON readers' time). The memo is in-memory
only and bounded.
"""

from __future__ import annotations

from functools import lru_cache

import re2

from speechgate.model import Role

_SPEAKER = re2.compile(
    r"(?i)^(speaker|speakers|spk|spkr|speaker_?id|spk_?id|speaker_?name|client_?id|"
    r"participant|participant_?id|talker|talker_?id|voice|child_?id|subject|subject_?id|reader|reader_?id|narrator|"
    r"speaker_?label|spk_?label|speaker_?names?)$"
)
_IDENTIFIER = re2.compile(r"(?i)(^|_)(id|uid|uuid|utt|utt_?id|utterance_?id|recording_?id|key|sentence_?id)$")
_PATH = re2.compile(r"(?i)(path|file|file_?name|filepath|audio|wav|flac|mp3|url|uri|location|source|media)$")
_TEXT = re2.compile(
    r"(?i)^(text|transcript|transcription|sentence|utterance|normalized_text|raw_text|"
    r"pred_text|caption|words?|wrd|symbol|content|comment|notes?|description|hypothesis|reference|"
    r"sentences?|transcriptions?|normalized_transcription|label_text)$"
)


def role_for_name(name: str | None) -> Role:
    """The role a value takes from its key or column name."""
    if not name:
        return Role.COLUMN
    return _role_for(name)


@lru_cache(maxsize=4096)
def _role_for(name: str) -> Role:
    if _SPEAKER.search(name):
        return Role.SPEAKER
    if _TEXT.search(name):
        return Role.TEXT
    if _PATH.search(name):
        return Role.PATH
    if _IDENTIFIER.search(name):
        return Role.IDENTIFIER
    return Role.COLUMN
