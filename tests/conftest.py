"""Shared fixtures: paths to the sample corpus and reference schemas, a fixed fingerprint key."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

from speechgate import memo

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _shared(env: str, name: str) -> Path | None:
    path = Path(os.environ.get(env, ROOT.parent / "shared" / name))
    return path if path.is_dir() else None


@pytest.fixture(autouse=True)
def _fixed_key(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fixed key so fingerprints are reproducible and the user's key file is never touched;
    a fresh scan-cache folder per test so no test sees another's cached results (nor the memo
    folder an earlier test's `check --cache-dir` chose)."""
    monkeypatch.setenv("SPEECHGATE_FINGERPRINT_KEY", "test-key")
    monkeypatch.setenv("SPEECHGATE_CACHE_DIR", str(tmp_path_factory.mktemp("scan-cache")))
    monkeypatch.setattr(memo, "_CHOSEN", None)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def corpus() -> Path:
    path = _shared("SPEECHGATE_CORPUS", "corpus")
    if path is None:
        pytest.skip("sample corpus not available (set SPEECHGATE_CORPUS)")
    return path


@pytest.fixture
def shared_schemas() -> Path:
    path = _shared("SPEECHGATE_SCHEMAS", "schemas")
    if path is None:
        pytest.skip("reference schemas not available (set SPEECHGATE_SCHEMAS)")
    return path


def load_bench(name: str) -> types.ModuleType:
    """bench/NAME.py as a module (bench/ is scripts, not a package; its siblings import by name)."""
    import importlib.util
    import sys

    bench = Path(__file__).resolve().parent.parent / "bench"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", bench / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(bench))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(bench))
    return module

