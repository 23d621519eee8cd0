"""Voiceprints: float vectors of 128-1024 under embedding keys or keyed by speaker are
reported (and always fail partner/public); other numeric arrays pass. Vectors are random."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from speechgate.cli import main
from speechgate.rules import bundled_rules_dir

RNG = random.Random(3)


def _vec(n: int) -> list[float]:
    return [round(RNG.uniform(-1, 1), 5) for _ in range(n)]


def _scan(tmp_path: Path, doc: object, tier: str = "public") -> tuple[int, list[dict]]:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "report.json"
    code = main(["check", "--no-cache", "--tier", tier, "--format", "json", "-o", str(out), str(path)])
    return code, json.loads(out.read_text())["artifacts"][0]["findings"]


@pytest.mark.parametrize("doc", [
    {"speaker_embeddings": {"spk0": _vec(192)}},
    {"utt1": {"speaker": "spk0", "x_vector": _vec(512)}},
    {"wavs/clip_0001.wav": {"name": "corpus", "embedding": _vec(256)}},
    {"d_vector": [_vec(256), _vec(256), _vec(256)]},
    {"1089-134686": _vec(256), "p225": _vec(256)},
])
def test_embeddings_are_voiceprints_and_fail(tmp_path: Path, doc: object) -> None:
    code, findings = _scan(tmp_path, doc, tier="partner")
    assert code == 1
    assert "voiceprint" in {f["category"] for f in findings}


@pytest.mark.parametrize("doc", [
    {"samples": _vec(512)},
    {"spectrogram": [_vec(257) for _ in range(4)]},
    {"embedding": _vec(64)},
    {"embedding": _vec(2048)},
    {"scores": _vec(20)},
])
def test_other_numeric_arrays_pass(tmp_path: Path, doc: object) -> None:
    code, findings = _scan(tmp_path, doc)
    assert code == 0 and findings == []


def test_voiceprint_rule_lives_only_in_voiceprint_yaml() -> None:
    owners = [p.name for p in bundled_rules_dir().glob("*.yaml")
              for r in yaml.safe_load(p.read_text())["rules"] if r["category"] == "voiceprint"]
    assert owners == ["voiceprint.yaml"]
