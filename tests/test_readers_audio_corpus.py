"""The real audio files of the sample corpus (read in place, never copied) against their labels.

Prints verdict agreement and per-category recall for the audio entries of
../shared/corpus/labels.json; asserts the floors measured when this test was written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from speechgate.config import load_config
from speechgate.engine import scan_artifact
from speechgate.gate import judge, settings_for
from speechgate.kinds import AUDIO_KINDS, classify
from speechgate.model import Artifact

AGREEMENT_FLOOR = 0.85  # measured 30/35 = 0.857 (2026-11-25)


def test_audio_corpus_verdicts(corpus: Path) -> None:
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    config = load_config(None, corpus)
    settings = settings_for(config)
    agree = 0
    total = 0
    missed_fail = []
    unscannable = []
    hits: Counter[str] = Counter()
    wanted: Counter[str] = Counter()
    for entry in labels:
        path = corpus / entry["local"]
        kind = classify(path, path.read_bytes()[:4096])
        if kind not in AUDIO_KINDS:
            continue
        result = judge(scan_artifact(Artifact(path, entry["local"], kind), settings), config, "public")
        found = {f.category.value for f in result.findings}
        if "unscannable" in found:
            unscannable.append(entry["local"])
        total += 1
        agree += result.verdict == entry["expected_verdict_public"]
        if entry["expected_verdict_public"] == "fail" and result.verdict != "fail":
            missed_fail.append(entry["local"])
        for category in entry["categories"]:
            wanted[category] += 1
            hits[category] += category in found
    print(f"\naudio verdict agreement: {agree}/{total} = {agree / max(1, total):.3f}")
    for category in sorted(wanted):
        print(f"  {category:<18} recall {hits[category]}/{wanted[category]}")
    assert total >= 30
    assert unscannable == []
    assert missed_fail == []
    assert agree / total >= AGREEMENT_FLOOR
    for category in ("geolocation", "device_id", "quasi_identifier", "speaker_id", "person_name"):
        assert hits[category] == wanted[category], category
