"""The progress line: drawn on a terminal only; silent in CI, with --quiet and in pipes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from speechgate import progress
from speechgate.cli import main

from .conftest import EXAMPLES


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in progress.CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_wanted_only_on_a_terminal(no_ci: None) -> None:
    assert progress.wanted(FakeTTY())
    assert not progress.wanted(io.StringIO())
    assert not progress.wanted(FakeTTY(), quiet=True)


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS"])
def test_silent_in_ci(no_ci: None, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "true")
    assert not progress.wanted(FakeTTY())


def test_disabled_progress_writes_nothing() -> None:
    stream = FakeTTY()
    bar = progress.Progress(3, 300, stream=stream, enabled=False)
    for _ in range(3):
        bar.advance(100)
    bar.close()
    assert stream.getvalue() == ""
    assert (bar.files, bar.bytes) == (3, 300)


def test_enabled_progress_draws_counts_and_erases_itself() -> None:
    stream = FakeTTY()
    bar = progress.Progress(2, 2_000_000, stream=stream, enabled=True)
    bar.advance(1_000_000)
    bar.advance(1_000_000)
    text = stream.getvalue()
    assert "scanned 1/2 files" in text and "scanned 2/2 files" in text
    assert "MB/s" in text and "ETA" in text
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_line_gives_rate_and_eta() -> None:
    bar = progress.Progress(10, 100_000_000, stream=io.StringIO(), enabled=False)
    bar.advance(25_000_000, files=5)
    line = bar.line(now=bar._start + 5.0)  # 25 MB in 5 s: 5 MB/s, 75 MB left: 15 s
    assert line == "scanned 5/10 files     5.0 MB/s  ETA 00:15"


def test_cli_stderr_is_silent_when_not_a_terminal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["check", str(EXAMPLES), "--cache-dir", str(tmp_path / "c")])
    assert capsys.readouterr().err == ""
