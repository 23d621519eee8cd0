"""Walk parsed JSON values into fields with JSON Pointer locators.

Keys are fields too (role KEY); a key's name decides its value's role. Arrays of 16 or
more numbers become one BINARY field described as `float[N]` under the array's key, so
embedding vectors can be recognised without quoting them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from speechgate.model import Field, Role
from speechgate.readers.roles import role_for_name

MIN_VECTOR = 16


def walk(value: Any, pointer: str = "", name: str | None = None,
         base: Mapping[str, Any] | None = None) -> Iterator[Field]:
    """Fields for `value` found at JSON Pointer `pointer` under key `name`."""
    base = base or {}
    if isinstance(value, dict):
        for key, child in value.items():
            key = str(key)
            child_pointer = f"{pointer}/{_escape(key)}"
            yield Field(key, Role.KEY, {**base, "pointer": child_pointer}, name=key)
            yield from walk(child, child_pointer, key, base)
    elif isinstance(value, list):
        if len(value) >= MIN_VECTOR and all(_is_number(v) for v in value):
            yield Field(f"float[{len(value)}]", Role.BINARY, {**base, "pointer": pointer}, name=name)
            return
        if value and all(isinstance(v, list) for v in value) and _is_matrix(value):
            yield Field(
                f"float[{len(value)}x{len(value[0])}]", Role.BINARY, {**base, "pointer": pointer},
                name=name,
            )
            return
        for i, child in enumerate(value):
            yield from walk(child, f"{pointer}/{i}", name, base)
    elif isinstance(value, str):
        if value.strip():
            yield Field(value, role_for_name(name), {**base, "pointer": pointer or "/"}, name=name)
    elif _is_number(value) and name is not None:
        yield Field(str(value), role_for_name(name), {**base, "pointer": pointer or "/"}, name=name)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_matrix(rows: list[Any]) -> bool:
    width = len(rows[0])
    return width >= MIN_VECTOR and all(
        len(r) == width and all(_is_number(v) for v in r) for r in rows
    )


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
