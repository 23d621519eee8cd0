"""Each format's `render(report) -> str`, made from its streaming `write(report, out)`.

In: a formatter's `write(report, out, *options)`. Out: `render(report, *options)` returning
the same text as one string (for tests and small reports; the CLI streams with `write`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TextIO

from speechgate.model import Report

P = ParamSpec("P")


def rendered(write: Callable[Concatenate[Report, TextIO, P], None]) -> Callable[Concatenate[Report, P], str]:
    """`render` for a formatter's `write`: the text `write` would stream, as a string."""

    def render(report: Report, /, *args: P.args, **kwargs: P.kwargs) -> str:
        out = io.StringIO()
        write(report, out, *args, **kwargs)
        return out.getvalue()

    render.__doc__ = f"The report as one string (what `{write.__module__}.write` streams)."
    return render
