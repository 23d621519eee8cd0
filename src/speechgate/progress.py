"""A one-line progress display for long scans: files done, MB/s and ETA, on stderr.

In: totals (files, bytes) and per-file updates. Out: a line redrawn at most ten times a
second on a terminal; nothing at all when stderr is not a terminal, in CI (`CI` or
`GITHUB_ACTIONS` set) or with --quiet. Written here rather than taken from a progress-bar
library because it is one carriage-return line, and the CLI's startup must stay light.
Never prints paths or content: only counts and rates.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")
REDRAW_SECONDS = 0.1


def wanted(stream: TextIO, quiet: bool = False) -> bool:
    """Whether a progress line should be drawn on `stream`."""
    if quiet or any(os.environ.get(v) for v in CI_VARIABLES):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Counts finished files and bytes; draws on `stream` only when `enabled`."""

    def __init__(self, total_files: int, total_bytes: int, stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.files = 0
        self.bytes = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def advance(self, nbytes: int, files: int = 1) -> None:
        self.files += files
        self.bytes += nbytes
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw >= REDRAW_SECONDS or self.files >= self.total_files:
            self._last_draw = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The text of the progress line at time `now`."""
        elapsed = max((now if now is not None else time.monotonic()) - self._start, 1e-6)
        rate = self.bytes / elapsed
        left = self.total_bytes - self.bytes
        eta = _clock(left / rate) if rate > 0 and left > 0 else "--:--"
        return (f"scanned {self.files}/{self.total_files} files  {rate / 1e6:6.1f} MB/s  "
                f"ETA {eta}")

    def close(self) -> None:
        """Erase the line (the report follows on stdout)."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _draw(self, now: float) -> None:
        self.stream.write("\r\x1b[K" + self.line(now))
        self.stream.flush()
        self._drawn = True


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
