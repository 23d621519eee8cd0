"""Formatters: pure functions from a Report to text, registered by name.

Each format has `render(report) -> str` and `write(report, out)`, which writes the same text
to a stream as the report's artifacts are read, so a large run is never held as one string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from speechgate.model import Report
from speechgate.report import github, json_report, markdown, sarif, text

Formatter = Callable[[Report], str]
Writer = Callable[[Report, TextIO], None]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
    "github": github.render,
}

WRITERS: dict[str, Writer] = {
    "text": text.write,
    "json": json_report.write,
    "sarif": sarif.write,
    "markdown": markdown.write,
    "github": github.write,
}
