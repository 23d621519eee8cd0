"""What a scan takes and gives, as plain data: ScanSettings in, ArtifactScan out.

Kept apart from the engine so that the modules around a scan (the runner, the cache, the
gate) can name these types without importing the engine, its readers and its detectors: a
re-run whose every scan comes from the cache never loads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from speechgate.model import Artifact, Finding

UNSCANNABLE_RULE = "unscannable"


@dataclass(frozen=True)
class ScanSettings:
    """Everything a scan depends on, as plain data (sent to worker processes)."""

    rule_files: tuple[str, ...]
    disabled: tuple[str, ...] = ()
    pseudonymous_labels: tuple[str, ...] = ()
    min_confidence: float = 0.3
    allow: tuple[tuple[tuple[str, str], ...], ...] = ()  # allow entries as sorted (key, value) pairs
    show_values: bool = False
    max_file_bytes: int = 2 << 30
    ner_model: str | None = None  # None: NER off; "": the default model; else a spaCy package name


@dataclass(frozen=True)
class ArtifactScan:
    artifact: Artifact
    sha256: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
