"""End-to-end behaviour of `speechgate check`, `rules` and `explain`, run in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from speechgate.cli import main

from .conftest import EXAMPLES


def test_examples_fail_public_with_masked_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES), "--tier", "public"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out
    assert "release/transcripts/call_017.vtt" in out
    assert "dana.example@example.org" not in out
    assert "d***e@e***e.org" in out


def test_clean_files_pass(capsys: pytest.CaptureFixture[str]) -> None:
    clean = sorted(str(p) for p in EXAMPLES.rglob("*clean*"))
    assert clean
    assert main(["check", *clean]) == 0
    assert "PASSED" in capsys.readouterr().out


def test_json_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code = main(["check", str(EXAMPLES / "release" / "transcripts"), "--format", "json", "--output", str(out)])
    assert code == 1
    doc = json.loads(out.read_text())
    assert doc["passed"] is False
    assert {a["path"] for a in doc["artifacts"]} == {"call_017.vtt", "session01_clean.srt"}


def test_missing_path_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "does/not/exist"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_option_is_usage_error() -> None:
    assert main(["check", "--tier", "galaxy"]) == 2


def test_version_and_module_entry() -> None:
    proc = subprocess.run([sys.executable, "-m", "speechgate", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.startswith("speechgate ")


def test_version_literal_is_the_installed_version() -> None:
    """pyproject.toml reads the version from the package's literal: the two never drift."""
    from importlib.metadata import version

    import speechgate

    assert speechgate.__version__ == version("speechgate")
    assert main_version_line() == f"speechgate {speechgate.__version__}"


def main_version_line() -> str:
    proc = subprocess.run([sys.executable, "-m", "speechgate", "--version"], capture_output=True, text=True)
    return proc.stdout.strip()


def test_rules_test_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test"]) == 0
    assert "0 failures" in capsys.readouterr().out


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "pii-email"]) == 0
    out = capsys.readouterr().out
    assert "How to fix" in out
    assert main(["explain", "no-such-rule"]) == 2


def test_check_never_modifies_artifacts(tmp_path: Path) -> None:
    import hashlib

    files = sorted(p for p in EXAMPLES.rglob("*") if p.is_file())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    main(["check", str(EXAMPLES), "--format", "json", "--output", str(tmp_path / "r.json")])
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert before == after


def test_corpus_runs_without_crash(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    code = main(["check", str(corpus), "--format", "json", "--output", str(out)])
    assert code in (0, 1)
    doc = json.loads(out.read_text())
    assert doc["summary"]["artifacts"] >= 90


def test_findings_on_one_line_are_ordered_by_numeric_column(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("mail a@example.com then wait a while and write to zed.example@example.org now\n")
    out = tmp_path / "r.json"
    main(["check", str(path), "--format", "json", "--output", str(out)])
    columns = [f["location"]["column"] for f in json.loads(out.read_text())["artifacts"][0]["findings"]
               if f["rule"] == "pii-email"]
    assert len(columns) == 2
    assert columns == sorted(columns)


def test_max_file_mb_bounds_whole_document_formats_only(tmp_path: Path) -> None:
    (tmp_path / ".speechgate.yaml").write_text("max_file_mb: 0.001\n")
    big = "x" * 2000
    (tmp_path / "doc.json").write_text(json.dumps({"text": big}))
    (tmp_path / "lines.jsonl").write_text(json.dumps({"text": big}) + "\n")
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--config", str(tmp_path / ".speechgate.yaml"),
          "--format", "json", "--output", str(out)])
    verdicts = {a["path"]: [f["category"] for f in a["findings"]] for a in json.loads(out.read_text())["artifacts"]}
    assert verdicts["doc.json"] == ["unscannable"]
    assert verdicts["lines.jsonl"] == []


def test_a_reader_that_stops_early_gets_no_traceback_and_no_pass(tmp_path: Path) -> None:
    """`speechgate check . | head`: the report outgrows the pipe, the reader leaves; the run
    ends quietly with exit 1 (a report nobody read whole is not a pass)."""
    for i in range(1500):
        (tmp_path / f"note{i:04d}.txt").write_text(f"write to person{i}@example.org please\n")
    proc = subprocess.Popen([sys.executable, "-m", "speechgate", "check", str(tmp_path), "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away with most of the report unread
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err
