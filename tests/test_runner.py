"""The runner: same results and order for any --jobs; the RE2 prefilter never changes results;
text readers stream (generators), so memory does not depend on file size."""

from __future__ import annotations

import dataclasses
import inspect
import json
from pathlib import Path

import pytest
from faker import Faker

from speechgate import engine, runner
from speechgate.cli import main
from speechgate.config import load_config
from speechgate.discover import discover
from speechgate.gate import settings_for
from speechgate.model import Artifact
from speechgate.readers import reader_for
from speechgate.runner import RunnerOptions, scan_many

from .conftest import EXAMPLES


def make_tree(root: Path, files: int = 24, seed: int = 7) -> Path:
    """Invented transcripts in several formats, some with contact details, some clean."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    for i in range(files):
        sub = root / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        lines = [fake.sentence() for _ in range(5)]
        if i % 2:
            lines[2] += f" write to {fake.email()} or call {fake.numerify('(212) 555-####')}"
        if i % 4 == 0:
            (sub / f"rec{i:03d}.srt").write_text(
                "".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},900\n{t}\n\n" for n, t in enumerate(lines, 1)))
        elif i % 4 == 1:
            (sub / f"rec{i:03d}.jsonl").write_text(
                "".join(json.dumps({"speaker": f"spk_{n}", "text": t}) + "\n" for n, t in enumerate(lines)))
        elif i % 4 == 2:
            (sub / f"rec{i:03d}.vtt").write_text(
                "WEBVTT\n\n" + "".join(f"00:00:0{n}.000 --> 00:00:0{n}.900\n<v {fake.name()}>{t}\n\n"
                                       for n, t in enumerate(lines, 1)))
        else:
            (sub / f"rec{i:03d}.txt").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "tree")


def _settings(start: Path):  # type: ignore[no-untyped-def]
    return settings_for(load_config(None, start))


def test_results_and_order_do_not_depend_on_jobs(tree: Path) -> None:
    settings = _settings(tree)
    artifacts = discover([str(tree)])
    serial = scan_many(artifacts, settings, RunnerOptions(jobs=1))
    parallel = scan_many(artifacts, settings, RunnerOptions(jobs=2))
    assert [s.artifact for s in serial] == artifacts
    assert parallel == serial
    assert sum(len(s.findings) for s in serial) > 0


def test_cli_reports_are_identical_for_jobs_1_and_2(tree: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        code = main(["check", str(tree), "--jobs", jobs, "--no-cache", "--format", "json", "--output", str(out)])
        assert code == 1
        outputs.append(json.loads(out.read_text()))
    assert outputs[0] == outputs[1]
    assert [a["path"] for a in outputs[0]["artifacts"]] == sorted(a["path"] for a in outputs[0]["artifacts"])


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_worker_problems_become_unscannable_not_crashes(tree: Path, tmp_path: Path) -> None:
    settings = _settings(tree)
    artifacts = discover([str(tree)])
    missing = Artifact(path=tmp_path / "gone.srt", display="gone.srt", kind="srt")
    scans = scan_many([*artifacts, missing], settings, RunnerOptions(jobs=2))
    assert scans[-1].artifact == missing
    assert [f.rule for f in scans[-1].findings] == [engine.UNSCANNABLE_RULE]


def test_default_jobs_is_at_least_one() -> None:
    assert runner.default_jobs() >= 1


def _without_prefilters(settings: engine.ScanSettings) -> engine._Compiled:
    compiled = engine._compile(settings)
    rules = [dataclasses.replace(r, prefilter=None) for r in compiled.rules]
    return engine._Compiled(rules, compiled.allow)


def _scan_both_ways(paths: list[str], start: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    settings = _settings(start)
    artifacts = discover(paths)
    fast = scan_many(artifacts, settings, RunnerOptions(jobs=2))
    assert any(r.prefilter for r in engine._compile(settings).rules)
    plain = _without_prefilters(settings)
    monkeypatch.setattr(engine, "_compile", lambda s: plain)
    slow = scan_many(artifacts, settings, RunnerOptions(jobs=2))  # forked workers see the patch
    return fast, slow


def test_prefilter_does_not_change_findings(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _scan_both_ways([str(tree), str(EXAMPLES)], tree, monkeypatch)
    assert fast == slow
    assert sum(len(s.findings) for s in fast) > 0


def test_prefilter_does_not_change_findings_on_the_corpus(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _scan_both_ways([str(corpus)], corpus, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("kind, name, body", [
    ("text", "a.txt", "hello\n"),
    ("jsonl", "a.jsonl", '{"text": "hello"}\n'),
    ("srt", "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n"),
    ("vtt", "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n"),
    ("rttm", "a.rttm", "SPEAKER rec 1 0.00 1.00 <NA> <NA> spk_1 <NA> <NA>\n"),
])
def test_line_formats_are_read_by_generators(tmp_path: Path, kind: str, name: str, body: str) -> None:
    """Streaming by structure: the reader yields as it goes, so a 1 GB file is never held whole."""
    path = tmp_path / name
    path.write_text(body)
    reader = reader_for(kind)
    assert reader is not None
    produced = reader(Artifact(path=path, display=name, kind=kind))
    assert inspect.isgenerator(produced)
    assert next(produced) is not None


def test_pool_results_keep_the_callers_artifacts(tree: Path) -> None:
    """A worker's Artifact copy is dropped: scans point at the caller's artifacts."""
    artifacts = discover([str(tree)])
    scans = scan_many(artifacts, _settings(tree), RunnerOptions(jobs=2))
    assert all(s.artifact is a for s, a in zip(scans, artifacts, strict=True))
    assert any(s.findings for s in scans)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_streamed_in_small_windows_reports_exactly_what_one_window_does(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        jobs: int) -> None:
    args = ["check", str(tree), "--format", "json", "-j", str(jobs)]
    assert main([*args, "--no-cache"]) == 1
    whole = capsys.readouterr().out
    monkeypatch.setattr(runner, "WINDOW", 5)  # 24 files: five windows, the last one short
    assert main([*args, "--no-cache"]) == 1
    assert capsys.readouterr().out == whole
    for _ in range(2):  # cold, then warm from the cache
        assert main([*args, "--cache-dir", str(tmp_path / "cache")]) == 1
        assert capsys.readouterr().out == whole


def test_a_missing_path_is_a_usage_error_before_anything_is_scanned(tree: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    real = engine.scan_artifact

    def counting(artifact: Artifact, *rest: object) -> object:
        scanned.append(artifact.display)
        return real(artifact, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "scan_artifact", counting)
    assert main(["check", str(tree), str(tree / "no-such-file.srt"), "--no-cache", "-j", "1"]) == 2
    assert scanned == []


@pytest.mark.parametrize("count", [0, 1, 511, 512, 513, 1536, 10_000])
def test_windows_start_small_double_and_cover_the_stream_once(count: int) -> None:
    items = [Artifact(path=Path(f"{i}.txt"), display=f"{i}.txt", kind="text") for i in range(count)]
    got = list(runner.windows(iter(items)))
    assert [a for window, _ in got for a in window] == items
    sizes = [len(window) for window, _ in got]
    limits = [min(runner.FIRST_WINDOW << n, runner.WINDOW) for n in range(len(sizes))]
    assert all(size <= limit for size, limit in zip(sizes, limits, strict=True))
    assert [full for _, full in got] == [size == limit for size, limit in zip(sizes, limits, strict=True)]
    assert all(full for _, full in got[:-1]), "only the last window may be short"


def test_a_library_run_collects_less_often_and_restores_the_thresholds(tmp_path: Path, monkeypatch) -> None:
    """gate.run raises the collector's youngest threshold while it scans (as the console
    script does for a whole command) and gives the caller's thresholds back afterwards."""
    import gc

    from speechgate.gate import RunOptions, run

    seen: list[tuple[int, int, int]] = []
    scan = engine.scan_artifact

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return scan(*args, **kwargs)

    monkeypatch.setattr(engine, "scan_artifact", watched)
    tree = make_tree(tmp_path / "tree", files=6)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 9, 8)
        run([str(tree)], load_config(None, tree), RunOptions(tier="public", runner=RunnerOptions(jobs=1)))
        assert gc.get_threshold() == (700, 9, 8)
    finally:
        gc.set_threshold(*before)
    assert seen and all(t == (10_000, 9, 8) for t in seen)
