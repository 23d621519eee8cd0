"""Formatters: pure functions from a Report to text, registered by name."""

from __future__ import annotations

from collections.abc import Callable

from speechgate.model import Report
from speechgate.report import github, json_report, markdown, sarif, text

Formatter = Callable[[Report], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
    "github": github.render,
}
