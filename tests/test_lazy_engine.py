"""A re-run served by the cache loads neither the engine nor its readers and detectors; rule
errors still stop every run that has a file to scan, or none at all, before any scan."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from speechgate import engine
from speechgate.cli import main

from .conftest import EXAMPLES

CLEAN = EXAMPLES / "release" / "transcripts" / "session01_clean.srt"

_LOADED = """
import json, sys
from speechgate.cli import main
code = main(sys.argv[1:])
heavy = ("speechgate.engine", "speechgate.detectors", "speechgate.readers", "speechgate.rules")
print(json.dumps([code, [name for name in heavy if name in sys.modules]]), file=sys.stderr)
"""

BROKEN_RULE = """rules:
  - id: broken-pattern
    title: A rule whose pattern does not compile
    category: quasi_identifier
    severity: low
    confidence: 0.5
    detect:
      regex: '(unclosed'
    examples:
      match: ["x"]
      no_match: ["y"]
"""


def _run(argv: list[str], cwd: Path) -> tuple[int, list[str], str]:
    """Exit code, heavy modules loaded, and stdout of `speechgate argv` in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _LOADED, *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    code, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return code, loaded, done.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_warm_rerun_loads_no_engine_and_reports_the_same(tmp_path: Path, fmt: str) -> None:
    argv = ["check", str(EXAMPLES), "--cache-dir", str(tmp_path / "cache"), "--format", fmt]
    cold_code, cold_loaded, cold = _run(argv, tmp_path)
    assert "speechgate.engine" in cold_loaded  # files were scanned
    warm_code, warm_loaded, warm = _run(argv, tmp_path)
    assert warm_loaded == []
    assert (warm_code, warm) == (cold_code, cold)


def test_sarif_of_a_warm_rerun_still_describes_every_rule(tmp_path: Path) -> None:
    argv = ["check", str(EXAMPLES), "--cache-dir", str(tmp_path / "cache"), "--format", "sarif"]
    _, _, cold = _run(argv, tmp_path)
    _, _, warm = _run(argv, tmp_path)  # the rule table loads the rules when SARIF asks
    assert warm == cold
    assert len(json.loads(warm)["runs"][0]["tool"]["driver"]["rules"]) > 20


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    (tmp_path / "mine.yaml").write_text(BROKEN_RULE)
    config = tmp_path / "c.yaml"
    config.write_text("rules: {extra: [mine.yaml]}\n")
    return config


def test_a_rule_error_stops_a_cached_run_before_any_scan(tmp_path: Path, broken_config: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(CLEAN, tree / "a.srt")
    scanned: list[object] = []
    real = engine.scan_artifact
    monkeypatch.setattr(engine, "scan_artifact", lambda *args: scanned.append(args) or real(*args))
    for jobs in ("1", "2", "1"):  # a failed run cached nothing: the error comes back every time
        code = main(["check", str(tree), "--config", str(broken_config), "--cache-dir", str(tmp_path / "c"),
                     "-j", jobs])
        assert code == 2
        assert "mine.yaml: /rules/0/detect" in capsys.readouterr().err
    assert scanned == []


def test_an_empty_folder_still_reports_a_rule_error(tmp_path: Path, broken_config: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["check", str(empty), "--config", str(broken_config), "--cache-dir", str(tmp_path / "c")])
    assert code == 2
    assert "mine.yaml: /rules/0/detect" in capsys.readouterr().err
