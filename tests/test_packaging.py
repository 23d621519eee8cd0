"""The built wheel ships the rule pack, schemas and defaults, and works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "speechgate"


def _run(argv: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["SPEECHGATE_FINGERPRINT_KEY"] = "test-key"
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _data_files() -> list[str]:
    """Non-Python files the package needs at run time, as wheel member names."""
    files = [f"speechgate/rules/{p.name}" for p in sorted((ROOT / "rules").glob("*.yaml"))]
    files += [f"speechgate/{p.relative_to(PACKAGE).as_posix()}" for p in sorted(PACKAGE.rglob("*"))
              if p.is_file() and p.suffix in {".json", ".yaml", ".yml", ".txt"} and "__pycache__" not in p.parts]
    return files


@pytest.mark.slow
def test_wheel_ships_rules_and_schemas_and_runs_from_a_venv(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(wheels), "--no-deps", "-q"], tmp_path)
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = wheels.glob("speechgate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _data_files()
    assert any(n.startswith("speechgate/rules/") for n in expected)
    assert any(n.endswith("report.schema.json") for n in expected)
    assert [n for n in expected if n not in names] == []

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path).returncode == 0
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    install = _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], tmp_path)
    assert install.returncode == 0, install.stderr[-2000:]

    where = _run([str(python), "-c", "import speechgate, speechgate.rules as r; "
                  "print(speechgate.__file__); print(r.bundled_rules_dir())"], tmp_path)
    module_file, rules_dir = where.stdout.split()
    assert Path(module_file).resolve().is_relative_to(venv.resolve())  # the wheel, not the editable checkout
    assert Path(rules_dir).resolve().is_relative_to(venv.resolve())

    listed = _run([str(bindir / "speechgate"), "rules", "list"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "pii-email" in listed.stdout and "speaker-label-not-pseudonymous" in listed.stdout
    assert _run([str(bindir / "speechgate"), "rules", "test"], tmp_path).returncode == 0

    sample = tmp_path / "sample.txt"
    sample.write_text("write to someone@example.org\n")
    checked = _run([str(bindir / "speechgate"), "check", str(sample), "--format", "json", "--no-cache"], tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert '"rule": "pii-email"' in checked.stdout
