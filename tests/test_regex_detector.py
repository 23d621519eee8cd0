"""The RE2 regex detector: group 1 is the value, and adjacent values are all found."""

from __future__ import annotations

from speechgate.detectors.regex import build
from speechgate.model import Field, Role


def _values(pattern: str, text: str) -> list[str]:
    return [m.value for m in build(pattern)(Field(text, Role.TEXT, {}))]


def test_adjacent_values_separated_by_one_boundary_character_are_all_found() -> None:
    assert _values(r"(?:^|[^\d])(\d{3})(?:$|[^\d])", "111 222 333 4444") == ["111", "222", "333"]


def test_spans_point_at_the_group() -> None:
    (m,) = build(r"id=(\w+)")(Field("x id=abc y", Role.TEXT, {}))
    assert (m.start, m.end, m.value) == (5, 8, "abc")


def test_pattern_without_group_uses_whole_match_and_skips_empty() -> None:
    assert _values(r"a*", "aa b aaa") == ["aa", "aaa"]
