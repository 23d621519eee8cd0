"""Render a long report's artifact blocks in several processes, and stream them in order.

In: the number of artifacts, `render(start, stop) -> str` for a range of them, and the
processes to use. Out: the text of consecutive ranges (CHUNK artifacts each), in order.

Why: formatting is most of a warm re-run once every scan comes from the cache (tens of
thousands of findings to decode and lay out), and one core idles meanwhile. Forked children
inherit the run's results (the result store reads its temporary files with `pread`, which
shares no file position), render every N-th range and send each range's text through a pipe,
framed by its length; the parent renders its own ranges and reads the others' in turn. A
child is never more than a range and a pipe's buffer ahead, so memory stays bounded. A child
that fails or dies leaves its ranges to the parent, which renders them itself: the output is
the same text however many processes made it.

Only on Linux, and only past MIN_ARTIFACTS: fork is unsafe where system libraries keep
threads (macOS), and a fork costs more than rendering a short report.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import Protocol

from speechgate import pipes

CHUNK = 1024  # artifacts per range
MIN_ARTIFACTS = 4 * CHUNK  # fewer: rendered here, in one process
_DONE, _FAILED = b"+", b"-"  # the first byte of a child's message: its range's text follows, or none


def blocks(count: int, render: Callable[[int, int], str], jobs: int = 1, ahead: Ahead | None = None
           ) -> Iterator[str]:
    """render(start, stop) for consecutive ranges of CHUNK covering 0 .. count, in order;
    the ranges `ahead` covers come from it (rendered here if it cannot deliver one)."""
    ranges = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    own = [r for r in ranges if ahead is None or not ahead.covers(*r)]  # for this process and its children
    processes = min(jobs, len(own)) if count >= MIN_ARTIFACTS and sys.platform == "linux" else 1
    children = _forked(own, render, processes) if processes > 1 else []
    if not children:  # one process, or a fork failed
        processes = 1
    number = 0  # of the range among `own`
    try:
        for start, stop in ranges:
            if ahead is not None and ahead.covers(start, stop):
                text = ahead.take(start, stop)
            else:
                helper = number % processes
                number += 1
                text = _received(children[helper - 1]) if helper else None
            yield render(start, stop) if text is None else text
    finally:
        for read_end, pid in children:
            os.close(read_end)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


class Ahead(Protocol):
    """Ranges rendered before the report was written (report.ahead.RenderAhead)."""

    def covers(self, start: int, stop: int) -> bool: ...

    def take(self, start: int, stop: int) -> str | None: ...


def _forked(ranges: list[tuple[int, int]], render: Callable[[int, int], str], processes: int
            ) -> list[tuple[int, int]]:
    """(read end of its pipe, pid) of each child 1 .. processes-1; none if a fork fails."""
    children: list[tuple[int, int]] = []
    for helper in range(1, processes):
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            break
        if pid == 0:  # the child: render every processes-th range, then leave without cleanup
            os.close(read_end)
            _serve(write_end, ranges[helper::processes], render)
        os.close(write_end)
        children.append((read_end, pid))
    if len(children) < processes - 1:  # a fork failed: the missing helpers' ranges fall to the parent
        for read_end, pid in children:
            os.close(read_end)
            os.waitpid(pid, 0)
        return []
    return children


def _serve(pipe: int, ranges: list[tuple[int, int]], render: Callable[[int, int], str]) -> None:
    """In a child: write each range's text to `pipe`, framed; never returns (os._exit)."""
    code = 0
    try:
        with contextlib.suppress(BrokenPipeError):  # the parent stopped reading: nothing to do
            for start, stop in ranges:
                try:
                    data = render(start, stop).encode("utf-8", "surrogatepass")
                except Exception:  # the parent renders it (and any error surfaces there, once)
                    pipes.send(pipe, _FAILED)
                    break
                pipes.send(pipe, _DONE + data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's inherited buffers


def _received(child: tuple[int, int]) -> str | None:
    """The next range's text from a child, or None if it sent none (the parent renders it)."""
    data = pipes.receive(child[0])
    if data is None or not data.startswith(_DONE):
        return None
    return data[1:].decode("utf-8", "surrogatepass")
