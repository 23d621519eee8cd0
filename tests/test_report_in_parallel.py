"""A long report rendered by several processes is the same text as one rendered by one, even
when a helper fails or dies."""

from __future__ import annotations

import io
import os

import pytest

from speechgate import results
from speechgate.config import load_config
from speechgate.gate import RunOptions, run
from speechgate.report import in_parallel, text
from speechgate.runner import RunnerOptions
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _render(start: int, stop: int) -> str:
    return "".join(f"artifact {i} é\n" for i in range(start, stop))


def _joined(count: int, render, jobs: int) -> str:  # type: ignore[no-untyped-def]
    return "".join(in_parallel.blocks(count, render, jobs))


@pytest.mark.parametrize("count", [0, 1, in_parallel.MIN_ARTIFACTS - 1, in_parallel.MIN_ARTIFACTS,
                                   3 * in_parallel.MIN_ARTIFACTS + 17])
@pytest.mark.parametrize("jobs", [2, 3])
def test_same_text_with_any_number_of_processes(count: int, jobs: int) -> None:
    assert _joined(count, _render, jobs) == _joined(count, _render, 1) == _render(0, count)


def test_a_range_a_helper_cannot_render_is_rendered_here() -> None:
    parent = os.getpid()
    count = 2 * in_parallel.MIN_ARTIFACTS

    def render(start: int, stop: int) -> str:
        if os.getpid() != parent and start >= in_parallel.MIN_ARTIFACTS:
            raise RuntimeError("only in the helper")
        return _render(start, stop)

    assert _joined(count, render, 2) == _render(0, count)


def test_a_helper_that_dies_leaves_its_ranges_to_the_parent() -> None:
    parent = os.getpid()
    count = 2 * in_parallel.MIN_ARTIFACTS

    def render(start: int, stop: int) -> str:
        if os.getpid() != parent and start > in_parallel.CHUNK * 3:
            os._exit(3)
        return _render(start, stop)

    assert _joined(count, render, 2) == _render(0, count)


def test_an_error_in_every_process_surfaces_once() -> None:
    def render(start: int, stop: int) -> str:
        raise ValueError("broken formatter")

    with pytest.raises(ValueError, match="broken formatter"):
        _joined(in_parallel.MIN_ARTIFACTS, render, 2)


@pytest.mark.parametrize("spilled", [False, True])
def test_the_text_report_is_the_same_with_two_processes(monkeypatch: pytest.MonkeyPatch, spilled: bool) -> None:
    monkeypatch.setattr(in_parallel, "CHUNK", 2)  # the examples' few artifacts in many ranges
    monkeypatch.setattr(in_parallel, "MIN_ARTIFACTS", 2)
    if spilled:  # the helpers read the results from the store's temporary files
        monkeypatch.setattr(results, "SPILL_BYTES", 1)
    config = load_config(None, EXAMPLES)
    report = run([str(EXAMPLES)], config, RunOptions(tier="public", runner=RunnerOptions(jobs=1)))
    assert len(report.artifacts) > 6
    one, two = io.StringIO(), io.StringIO()
    text.write(report, one, jobs=1)
    text.write(report, two, jobs=2)
    assert two.getvalue() == one.getvalue() == text.render(report)
    assert "risk" in one.getvalue()
    assert getattr(report.artifacts, "_file", None) is not None or not spilled
