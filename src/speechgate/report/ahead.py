"""Render a report's first ranges while the run still goes on, on a core the run leaves idle.

In: `render_of(artifacts)`, which makes a formatter's `render(start, stop) -> str` over the
run's result store, and `watch(artifacts)`, called as results are added (the store's `ready`
tells how many leading ones are complete). Out: `covers(start, stop)` and `take(start,
stop)`: the text of a range a child rendered (waiting for it if need be), or None when that
child failed; the writer renders what is not covered, or not delivered, itself.

Why: on a warm re-run the parent is the bottleneck, looking up and judging cached scans,
while the discovery helper, a pipe's length ahead, finishes early and leaves the second core
idle; rendering 20,000 artifacts afterwards was a quarter of the run. Here a forked child
renders the complete ranges from its copy of the store (fork copies what is in memory; what
was spilled is read with `pread`, and a spilled record is never rewritten) into an anonymous
temporary file, framed. It runs at a lower priority, so it takes idle time rather than the
run's. One child at a time: the ranges completed meanwhile go to the next one, forked when
the last has ended.

Only on Linux (fork is unsafe where system libraries keep threads), only from a process
without threads (a process pool's handler threads could hold locks the child would need),
and never for a run that shows raw values (they do not go to disk). The texts hold what
the report shows: masked previews, as the result store's own files do.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from speechgate import pipes
from speechgate.report import in_parallel

NICENESS = 10  # the child yields a busy core to the run (and to other runs' processes)
FIRST_RANGES = 2  # a shorter report is rendered at the end: a fork costs more than it saves

Render = Callable[[int, int], str]


@dataclass
class _Child:
    pid: int
    ranges: list[tuple[int, int]]
    texts: IO[bytes]
    status: int | None = None  # the exit status, once reaped


@dataclass
class RenderAhead:
    """Forks renderers for completed ranges as a run goes on; see the module's docstring."""

    render_of: Callable[[Sequence[Any]], Render]
    _children: list[_Child] = field(default_factory=list)
    _assigned: int = 0  # ranges below this start were given to a child
    _due: int = 0  # the next `ready` count worth a look

    def watch(self, artifacts: Sequence[Any]) -> None:
        """Called as results are added: fork a child for the complete ranges not yet given out."""
        ready = getattr(artifacts, "ready", 0)
        if ready < self._due:
            return
        chunk = in_parallel.CHUNK
        self._due = max(ready + chunk, FIRST_RANGES * chunk)
        if ready < FIRST_RANGES * chunk:
            return
        if self._children and self._children[-1].status is None and not self._reap(self._children[-1], block=False):
            return  # the last child is still rendering: its successor takes more ranges
        stop = ready - ready % chunk
        ranges = [(start, start + chunk) for start in range(self._assigned, stop, chunk)]
        if ranges and threading.active_count() == 1 and sys.platform == "linux":
            self._fork(artifacts, ranges)

    def covers(self, start: int, stop: int) -> bool:
        """Whether a child was given exactly that range."""
        chunk = in_parallel.CHUNK
        return stop - start == chunk and start % chunk == 0 and start < self._assigned

    def take(self, start: int, stop: int) -> str | None:
        """The text a child rendered for the range (ranges are taken in order), or None."""
        for child in self._children:
            if (start, stop) in child.ranges:
                if child.status is None:
                    self._reap(child, block=True)
                if child.status != 0:
                    return None
                data = pipes.receive(child.texts.fileno())
                return None if data is None else data.decode("utf-8", "surrogatepass")
        return None

    def close(self) -> None:
        """Stop any child still rendering and drop the texts."""
        for child in self._children:
            if child.status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, 9)
                self._reap(child, block=True)
            child.texts.close()
        self._children.clear()

    def __enter__(self) -> RenderAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fork(self, artifacts: Sequence[Any], ranges: list[tuple[int, int]]) -> None:
        try:
            texts = tempfile.TemporaryFile()  # noqa: SIM115 (kept open until close())
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            texts.close()
            return
        if pid == 0:
            _serve(texts.fileno(), ranges, self.render_of(artifacts))  # never returns
        self._children.append(_Child(pid, ranges, texts))
        self._assigned = ranges[-1][1]

    def _reap(self, child: _Child, block: bool) -> bool:
        """Whether the child has ended (its status recorded, its texts rewound for reading)."""
        try:
            pid, status = os.waitpid(child.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            pid, status = child.pid, -1
        if pid == 0:
            return False
        child.status = os.waitstatus_to_exitcode(status) if status != -1 else -1
        with contextlib.suppress(OSError):
            os.lseek(child.texts.fileno(), 0, os.SEEK_SET)  # the child's writes moved the shared offset
        return True


def _serve(fd: int, ranges: list[tuple[int, int]], render: Render) -> None:
    """In a child: write each range's text to `fd`, framed; never returns (os._exit)."""
    code = 1
    try:
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
        for start, stop in ranges:
            pipes.send(fd, render(start, stop).encode("utf-8", "surrogatepass"))
        code = 0
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's inherited buffers
