"""Each format's `render(report) -> str`, made from its streaming `write(report, out)`, and
reading a range of a report's artifacts.

In: a formatter's `write(report, out, *options)`. Out: `render(report, *options)` returning
the same text as one string (for tests and small reports; the CLI streams with `write`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Concatenate, ParamSpec, TextIO

from speechgate.model import ArtifactResult, Report

P = ParamSpec("P")


def rendered(write: Callable[Concatenate[Report, TextIO, P], None]) -> Callable[Concatenate[Report, P], str]:
    """`render` for a formatter's `write`: the text `write` would stream, as a string."""

    def render(report: Report, /, *args: P.args, **kwargs: P.kwargs) -> str:
        out = io.StringIO()
        write(report, out, *args, **kwargs)
        return out.getvalue()

    render.__doc__ = f"The report as one string (what `{write.__module__}.write` streams)."
    return render


def in_range(artifacts: Sequence[ArtifactResult], start: int, stop: int) -> Iterable[ArtifactResult]:
    """artifacts[start:stop], read a block at a time from a result store (results.ResultStore)."""
    ranged = getattr(artifacts, "iter_range", None)
    return ranged(start, stop) if ranged is not None else artifacts[start:stop]
