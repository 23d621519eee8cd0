"""Formatters: pure functions from a Report to text, registered by name."""

from __future__ import annotations

from collections.abc import Callable

from speechgate.model import Report
from speechgate.report import json_report, text

Formatter = Callable[[Report], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
}
