"""Baselines: findings a team has reviewed and accepted, stored as keyed fingerprints.

In: scanned artifacts (for `create`/`update`) or a baseline file (for `check --baseline`).
Out: a canonical JSON document (entries sorted, no timestamps: re-running on an unchanged
tree is byte-identical) and, when checking, scans whose baselined findings are marked
`suppressed_by="baseline"` plus the stale entries (baselined but no longer found).

An entry is (path, rule, fingerprint, category). The fingerprint is privacy.fingerprint's
HMAC of rule, report path and normalised value, so moving lines, reformatting or reordering
a file does not invalidate it, and the file holds no value. The key id is stored so that a
baseline checked with another key fails loudly instead of flagging everything as new.
Unscannable findings are never baselined: an artifact nobody could read was never reviewed
(list it in `.speechgateignore` instead).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from speechgate import privacy
from speechgate.errors import UsageError
from speechgate.model import Category
from speechgate.scan_io import ArtifactScan
from speechgate.schemas import validator_for

SCHEMA_VERSION = 1
SUPPRESSED_BY = "baseline"
DEFAULT_NAME = ".speechgate-baseline.json"  # never scanned as an artifact, like .speechgateignore


@dataclass(frozen=True, order=True)
class Entry:
    """One accepted finding; the order (path, rule, fingerprint) is the file's order."""

    path: str
    rule: str
    fingerprint: str
    category: str

    def as_dict(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "rule": self.rule, "path": self.path,
                "category": self.category}


@dataclass(frozen=True)
class Baseline:
    key_id: str
    entries: frozenset[Entry]

    def keys(self) -> frozenset[tuple[str, str, str]]:
        return _keys(self.entries)

    def paths(self) -> frozenset[str]:
        """The report paths that have entries."""
        return _paths(self.entries)


@lru_cache(maxsize=4)  # asked once per scanned artifact; a run has one baseline
def _keys(entries: frozenset[Entry]) -> frozenset[tuple[str, str, str]]:
    return frozenset((e.path, e.rule, e.fingerprint) for e in entries)


@lru_cache(maxsize=4)
def _paths(entries: frozenset[Entry]) -> frozenset[str]:
    return frozenset(e.path for e in entries)


def from_scans(scans: Iterable[ArtifactScan]) -> Baseline:
    """A baseline accepting every active (not otherwise suppressed) scannable finding."""
    entries = frozenset(
        Entry(s.artifact.display, f.rule, f.fingerprint, f.category.value)
        for s in scans
        for f in s.findings
        if f.suppressed_by is None and f.category is not Category.UNSCANNABLE
    )
    return Baseline(privacy.key_id(), entries)


def updated(old: Baseline, new: Baseline, scanned: Iterable[str],
            exists: Callable[[str], bool]) -> Baseline:
    """`old` with the entries of every scanned path replaced by `new`'s.

    Entries of paths that were not scanned are kept if the path still exists, so updating
    from a subset of files does not forget the rest; entries of deleted files are dropped.
    """
    scanned_paths = set(scanned)
    kept = {e for e in old.entries if e.path not in scanned_paths and exists(e.path)}
    return Baseline(new.key_id, frozenset(kept | new.entries))


def dumps(baseline: Baseline) -> str:
    """The canonical file text: sorted entries, stable key order, trailing newline."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": "speechgate",
        "key_id": baseline.key_id,
        "entries": [e.as_dict() for e in sorted(baseline.entries)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, baseline: Baseline) -> bool:
    """Write the file unless it already has exactly this content; True when it changed."""
    text = dumps(baseline)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def load(path: Path, check_key: bool = True) -> Baseline:
    """Read and validate a baseline file. Raises UsageError naming the problem."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: baseline is not valid JSON ({type(exc).__name__})") from None
    errors = sorted(validator_for("baseline").iter_errors(doc),
                    key=lambda e: (len(e.absolute_path), str(e.message)))
    if errors:
        err = errors[0]
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        raise UsageError(f"{path}: invalid baseline at {pointer}: {_short(err.message)}")
    current = privacy.key_id()
    if check_key and doc["key_id"] != current:
        raise UsageError(
            f"{path}: baseline was made with fingerprint key {doc['key_id']} but the current key is "
            f"{current}; set SPEECHGATE_FINGERPRINT_KEY to the key the baseline was made with "
            "(a shared CI secret), or recreate it with `speechgate baseline create`"
        )
    entries = frozenset(Entry(e["path"], e["rule"], e["fingerprint"], e["category"]) for e in doc["entries"])
    return Baseline(doc["key_id"], entries)


def _short(message: str) -> str:
    """jsonschema messages quote the offending instance; keep only a bounded prefix."""
    return message if len(message) <= 160 else message[:157] + "..."


def apply(scans: Sequence[ArtifactScan], baseline: Baseline
          ) -> tuple[list[ArtifactScan], tuple[Mapping[str, str], ...]]:
    """Mark baselined findings suppressed; return the scans and the stale entries.

    An entry is stale when its artifact was scanned and the finding is gone. Entries of
    artifacts not scanned in this run (pre-commit passes only some files) are not stale.
    """
    keys = baseline.keys()
    matched: set[tuple[str, str, str]] = set()
    out = [apply_one(scan, keys, matched) for scan in scans]
    return out, stale(baseline, {s.artifact.display for s in scans}, matched)


def apply_one(scan: ArtifactScan, keys: frozenset[tuple[str, str, str]],
              matched: set[tuple[str, str, str]]) -> ArtifactScan:
    """`scan` with its baselined findings suppressed; their keys are added to `matched`."""
    findings = []
    for f in scan.findings:
        key = (scan.artifact.display, f.rule, f.fingerprint)
        if f.suppressed_by is None and key in keys:
            matched.add(key)
            f = f._replace(suppressed_by=SUPPRESSED_BY)
        findings.append(f)
    return replace(scan, findings=tuple(findings))


def stale(baseline: Baseline, scanned: set[str], matched: set[tuple[str, str, str]]
          ) -> tuple[Mapping[str, str], ...]:
    """The entries of scanned artifacts (report paths) that matched no finding."""
    return tuple(
        e.as_dict() for e in sorted(baseline.entries)
        if e.path in scanned and (e.path, e.rule, e.fingerprint) not in matched
    )
