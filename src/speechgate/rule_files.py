"""Where a run's rules come from: the bundled rule folder, then the config's own files.

Apart from `rules` (which compiles rules into detectors) so that a run can name its rule
files, and key its cache by them, without importing the detectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from speechgate.errors import UsageError


def bundled_rules_dir() -> Path:
    """`speechgate/rules` inside an installed wheel, else `rules/` of the source tree."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(extra: Iterable[Path] = ()) -> list[Path]:
    files = sorted(bundled_rules_dir().glob("*.yaml"))
    if not files:
        raise UsageError(f"{bundled_rules_dir()}: no bundled rule files found")
    return files + [Path(p) for p in extra]
