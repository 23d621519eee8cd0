"""Ranges rendered by a child while the run goes on give the same text as rendering them at
the end, and any that a child fails to deliver are rendered by the writer."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable

import pytest

from speechgate import results
from speechgate.config import load_config
from speechgate.gate import RunOptions, run
from speechgate.report import in_parallel, text
from speechgate.report.ahead import FIRST_RANGES, RenderAhead
from speechgate.runner import RunnerOptions
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or os.name != "posix", reason="needs fork")


class _Growing(list):  # type: ignore[type-arg]
    """A stand-in result store: `ready` leading results, grown one at a time."""

    ready = 0


def _render(start: int, stop: int) -> str:
    return "".join(f"artifact {i} é\n" for i in range(start, stop))


def _run_with(ahead: RenderAhead, count: int, pause: float = 0.0) -> _Growing:
    store = _Growing()
    for store.ready in range(1, count + 1):
        ahead.watch(store)
        if pause and store.ready % in_parallel.CHUNK == 0:
            time.sleep(pause)  # a child has time to finish, so the next one is forked
    return store


def _written(count: int, ahead: RenderAhead, jobs: int = 1) -> str:
    return "".join(in_parallel.blocks(count, _render, jobs, ahead))


def _covered(ahead: RenderAhead, count: int) -> int:
    chunk = in_parallel.CHUNK
    return sum(ahead.covers(start, start + chunk) for start in range(0, count - chunk + 1, chunk))


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("count", [0, in_parallel.CHUNK * FIRST_RANGES - 1, 5 * in_parallel.CHUNK + 17])
def test_same_text_with_ranges_rendered_ahead(count: int, jobs: int) -> None:
    with RenderAhead(lambda artifacts: _render) as ahead:
        _run_with(ahead, count, pause=0.05)
        if count >= FIRST_RANGES * in_parallel.CHUNK:
            assert _covered(ahead, count) >= FIRST_RANGES  # the children did render some
        else:
            assert _covered(ahead, count) == 0  # a short report: no fork
        assert _written(count, ahead, jobs) == _render(0, count)


def _failing_in_child(fail: Callable[[], None], parent: int) -> Callable[[int, int], str]:
    def render(start: int, stop: int) -> str:
        if os.getpid() != parent:
            fail()
        return _render(start, stop)

    return render


def _raise() -> None:
    raise RuntimeError("only in the child")


@pytest.mark.parametrize("fail", [_raise, lambda: os._exit(3)])
def test_ranges_a_child_could_not_render_are_rendered_by_the_writer(fail: Callable[[], None]) -> None:
    count = 4 * in_parallel.CHUNK
    parent = os.getpid()
    with RenderAhead(lambda artifacts: _failing_in_child(fail, parent)) as ahead:
        _run_with(ahead, count, pause=0.05)
        assert _covered(ahead, count) >= FIRST_RANGES
        assert ahead.take(0, in_parallel.CHUNK) is None
        assert _written(count, ahead) == _render(0, count)


def test_no_fork_while_the_process_has_threads() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with RenderAhead(lambda artifacts: _render) as ahead:
            _run_with(ahead, 4 * in_parallel.CHUNK)
            assert _covered(ahead, 4 * in_parallel.CHUNK) == 0
    finally:
        stop.set()
        thread.join()


def test_close_stops_a_child_still_rendering() -> None:
    def slow(start: int, stop: int) -> str:
        time.sleep(60)
        return ""

    ahead = RenderAhead(lambda artifacts: slow)
    _run_with(ahead, FIRST_RANGES * in_parallel.CHUNK)
    (child,) = ahead._children
    started = time.monotonic()
    ahead.close()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped


@pytest.mark.parametrize("spilled", [False, True])
def test_the_text_report_is_the_same_when_rendered_during_the_run(monkeypatch: pytest.MonkeyPatch,
                                                                 spilled: bool) -> None:
    monkeypatch.setattr(in_parallel, "CHUNK", 2)  # the examples' few artifacts in many ranges
    if spilled:  # the children read the results from the store's temporary files
        monkeypatch.setattr(results, "SPILL_BYTES", 1)
    config = load_config(None, EXAMPLES)
    with RenderAhead(lambda artifacts: text.ranges(artifacts, False, False)) as ahead:
        report = run([str(EXAMPLES)], config, RunOptions(tier="public", runner=RunnerOptions(jobs=1),
                                                         watch=ahead.watch))
        assert len(report.artifacts) > 6
        assert _covered(ahead, len(report.artifacts)) >= 1
        out = io.StringIO()
        text.write(report, out, ahead=ahead)
    assert out.getvalue() == text.render(report)
