"""Reader limits: how much of one artifact is read before the reader stops and reports it.

In: the environment (read at call time, so worker processes inherit it). Out: integers.
Exceeding a limit never truncates silently: the reader raises `Unscannable` naming the
limit, so the artifact gets an `unscannable` finding and the run goes on.

Fields stream, so the field limit bounds time, not memory; it is set so that a file within
the text limit stays within it (a 1 GB JSONL manifest yields about 50 million fields: keys
and values). It was 20 million, which made such a manifest unscannable.

| variable                        | default | what it bounds                                    |
|---------------------------------|---------|---------------------------------------------------|
| SPEECHGATE_MAX_TEXT_MB          | 4096    | decoded bytes read from one text artifact         |
| SPEECHGATE_MAX_JSON_DEPTH       | 200     | nesting depth of a JSON document or JSONL record  |
| SPEECHGATE_MAX_FIELDS           | 6 x 10^8 | fields produced from one artifact (see above)    |
| SPEECHGATE_MAX_GZIP_RATIO       | 200     | decompressed/compressed size of a `.gz` (past 64 MB) |
"""

from __future__ import annotations

import os

GZIP_RATIO_GRACE = 64 << 20  # ratios are only judged once this much has been decompressed


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:  # the usual case, without the cost of a ValueError
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def max_text_bytes() -> int:
    return _int("SPEECHGATE_MAX_TEXT_MB", 4096) << 20


def max_json_depth() -> int:
    return _int("SPEECHGATE_MAX_JSON_DEPTH", 200)


def max_fields() -> int:
    return _int("SPEECHGATE_MAX_FIELDS", 600_000_000)


def max_gzip_ratio() -> int:
    return _int("SPEECHGATE_MAX_GZIP_RATIO", 200)
