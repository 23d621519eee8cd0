"""The terminal report from each scan's packed lines (report/text_body.py) is the same text as
the report laid out from decoded findings, cold or served by the cache, and falls back to
decoding where a result has no lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from speechgate import gate
from speechgate.config import load_config
from speechgate.model import Category, Finding, Report, Severity
from speechgate.packed import pack
from speechgate.report import text, text_body
from speechgate.results import Header, ResultStore
from speechgate.runner import RunnerOptions
from speechgate.scan_io import ArtifactScan

ROOT = Path(__file__).resolve().parent.parent


def _report(paths: list[str], cache_dir: Path | None = None, jobs: int = 1) -> Report:
    config = load_config(None, ROOT)
    return gate.run(paths, config, gate.RunOptions(tier="public",
                                                   runner=RunnerOptions(jobs=jobs, cache_dir=cache_dir)))


def _decoded_text(report: Report) -> str:
    """The report laid out from decoded findings: a plain list has no packed lines."""
    return text.render(Report(report.tool_version, report.tier, tuple(report.artifacts), report.show_values,
                              report.stale_baseline, report.unused_allow, report.rules))


def _trees() -> list[str]:
    trees = [str(ROOT / "examples")]
    corpus = os.environ.get("SPEECHGATE_CORPUS")
    if corpus and Path(corpus).is_dir():
        trees.append(corpus)
    return trees


def test_lines_give_the_decoded_report_cold_and_warm(tmp_path: Path) -> None:
    cold = _report(_trees(), tmp_path / "cache")
    assert hasattr(cold.artifacts, "iter_lines")
    expected = _decoded_text(cold)
    assert "FAIL" in expected
    assert text.render(cold) == expected
    warm = _report(_trees(), tmp_path / "cache")
    assert text.render(warm) == expected, "the cached lines print the same report"
    assert text.render(_report(_trees(), tmp_path / "cache", jobs=2)) == expected


def test_colour_and_values_are_laid_out_from_the_findings() -> None:
    report = _report([str(ROOT / "examples")])
    coloured = text.render(report, colour=True)
    assert "\033[2m" in coloured  # dim messages: not in the packed lines
    assert coloured == text.render(
        Report(report.tool_version, report.tier, tuple(report.artifacts), False, (), (), report.rules), colour=True)


def _finding(line: int, suppressed_by: str | None = None, rule: str = "pii-email") -> Finding:
    return Finding(rule, Category.EMAIL, Severity.HIGH, 0.9, {"line": line, "column": 1}, "E-mail address in text",
                   "a***@e***e.org", f"{line:032x}", suppressed_by=suppressed_by)


def _store_of(scans: list[tuple[str, ArtifactScan]], with_lines: bool) -> ResultStore:
    store = ResultStore()
    for index, (verdict, scan) in enumerate(scans):
        packed = pack(scan)
        header = Header(scan.artifact.display, scan.artifact.kind, scan.sha256, packed.facts.risk, 0.25, verdict,
                        ("risk 0.90 > threshold 0.25", "always fails: payment card") if verdict == "fail" else (),
                        scan.artifact.display)
        store.add(index, header, packed.payload, packed.facts, packed.text if with_lines else None)
    return store


def _scan(name: str, findings: tuple[Finding, ...], notes: tuple[str, ...] = ()) -> ArtifactScan:
    from speechgate.model import Artifact

    return ArtifactScan(Artifact(Path(name), name, "text"), "0" * 64, findings, notes)


CASES = [
    ("fail", _scan("many.txt", tuple(_finding(i) for i in range(1, 14)))),  # more than the top ten
    ("pass", _scan("clean.txt", (), ("line 3: not valid UTF-8; decoded as latin-1",))),  # not listed
    ("pass", _scan("accepted.txt", (_finding(2, "baseline:abc"), _finding(5, "allow/0")))),
    ("fail", _scan("mixed.txt", (_finding(1), _finding(4, "allow/0")), ("gzip-compressed text",))),
    ("fail", _scan("odd.txt", ())),  # a failing verdict without findings: laid out from the payload
]


@pytest.mark.parametrize("with_lines", [True, False])
def test_a_store_renders_as_its_decoded_results(with_lines: bool) -> None:
    store = _store_of(CASES, with_lines)
    expected = "".join(line + "\n" for i in range(len(store)) for line in _listed(store[i]))
    assert text.ranges(store, False, False)(0, len(store)) == expected
    assert "clean.txt" not in expected and "odd.txt" in expected and "… and 3 more findings" in expected
    assert "2 suppressed (1 by allow/0, 1 by baseline)" in expected


def _listed(a: object) -> list[str]:
    if a.verdict == "pass" and not a.findings and not a.suppressed:  # type: ignore[attr-defined]
        return []
    return text._artifact(a, text_body.plain_styler, False)  # type: ignore[arg-type]


def test_plain_lines_are_empty_only_without_findings() -> None:
    assert text_body.plain((), ("a note",)) == ""
    assert text_body.plain((_finding(1, "allow/0"),), ()).endswith("1 suppressed (1 by allow/0)\n")


def test_a_scan_with_values_packs_no_lines() -> None:
    shown = _finding(1)._replace(value="a@example.org")
    assert pack(_scan("shown.txt", (shown,))).text is None
    assert pack(_scan("masked.txt", (_finding(1),))).text


@pytest.mark.parametrize("lines", ["", "  12:7  high  pii-email 'a***@e***e.org'  E-mail\n",
                                   "  MP4:©ART  medium  tag-person 'J*** …'\n", '"quoted"\n',
                                   "  note: chunk 'a\x1eb\x1f'\n", "  note: \udcff\n"])
def test_the_cache_keeps_any_lines_as_ascii_without_separators(lines: str) -> None:
    from speechgate import cache

    stored = cache._stored_lines(lines)
    assert stored.isascii() and "\x1e" not in stored and "\x1f" not in stored
    assert cache._lines_of(stored) == lines


def _lines_of(report: Report) -> list[str | None]:
    return [body for _, _, body in report.artifacts.iter_lines(0, len(report.artifacts))]  # type: ignore[attr-defined]


@pytest.mark.parametrize("jobs", [1, 2])
def test_lines_are_packed_for_a_plain_text_report_or_a_cache(tmp_path: Path, jobs: int) -> None:
    """A run packs the lines only when it will print them or cache them (a library run, a JSON
    report, does not spend the time); its text report is the same either way."""
    config = load_config(None, ROOT)
    examples = [str(ROOT / "examples")]

    def run(**runner: object) -> Report:
        return gate.run(examples, config, gate.RunOptions(tier="public", runner=RunnerOptions(jobs=jobs, **runner)))

    bare, printed, cached = run(), run(report_lines=True), run(cache_dir=tmp_path / "c")
    assert set(_lines_of(bare)) == {None}
    assert None not in _lines_of(printed) and _lines_of(printed) == _lines_of(cached)
    assert text.render(bare) == text.render(printed) == text.render(cached) == _decoded_text(printed)
