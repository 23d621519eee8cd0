"""Walk parsed JSON values into fields with JSON Pointer locators.

Keys are fields too (role KEY); a key's name decides its value's role, and a value under
an unknown key that is an absolute path or file URL is a PATH. Arrays of 16 or
more numbers become one BINARY field described as `float[N]` / `float[RxC]` under the
array's key (`int[N]` when no value is a float: token ids are not embeddings), so embedding
vectors can be recognised without quoting them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import re2

from speechgate.errors import Unscannable
from speechgate.model import Field, Role, make_field
from speechgate.readers import limits
from speechgate.readers.roles import _role_for, role_for_name

MIN_VECTOR = 16
# a value that is an absolute path or file URL (`/home/alice/a.wav`, `~/x`, `C:\\data`, `file:///...`)
ABSOLUTE_PATH = re2.compile(r"^(/[^/\s]+/|~/|[A-Za-z]:\\|file://)")


def walk(value: Any, pointer: str = "", name: str | None = None,
         base: Mapping[str, Any] | None = None, depth: int = 0, max_depth: int | None = None) -> Iterator[Field]:
    """Fields for `value` found at JSON Pointer `pointer` under key `name`.

    Raises Unscannable past the nesting-depth limit (limits.max_json_depth)."""
    base = base or {}
    max_depth = limits.max_json_depth() if max_depth is None else max_depth
    if depth > max_depth:
        raise Unscannable(f"JSON nested deeper than {max_depth} levels (limit SPEECHGATE_MAX_JSON_DEPTH)")
    # leaves one level down are yielded here, not through a nested generator per value (most
    # values are leaves); only when that level is within the depth limit, which walk enforces
    inline = depth + 1 <= max_depth
    if isinstance(value, dict):
        for key, child in value.items():
            if type(key) is not str:
                key = str(key)
            # speed: most keys need no escaping, and a string leaf (most leaves) is handled
            # here as `_leaf` would, without its call and its type tests
            child_pointer = f"{pointer}/{_escape(key) if '~' in key or '/' in key else key}"
            locator = {**base, "pointer": child_pointer}  # shared by the key and its value (read-only)
            yield make_field((key, _KEY, locator, key, None))
            if type(child) is str and inline:
                if child.strip():
                    role = _role_for(key) if key else _COLUMN
                    if role is _COLUMN and _may_be_absolute(child) and ABSOLUTE_PATH.search(child):
                        role = Role.PATH
                    yield make_field((child, role, locator, key, None))
            elif inline and (type(child) is float or type(child) is int):  # as `_leaf` (times, scores)
                yield make_field((str(child), _role_for(key) if key else _COLUMN, locator, key, None))
            elif inline and not isinstance(child, _CONTAINERS):
                leaf = _leaf(child, locator, key)
                if leaf is not None:
                    yield leaf
            else:
                yield from walk(child, child_pointer, key, base, depth + 1, max_depth)
    elif isinstance(value, list):
        if len(value) >= MIN_VECTOR and all(_is_number(v) for v in value):
            yield Field(f"{_element(value)}[{len(value)}]", Role.BINARY, {**base, "pointer": pointer}, name=name)
            return
        if value and all(isinstance(v, list) for v in value) and _is_matrix(value):
            yield Field(
                f"{_element([v for row in value for v in row])}[{len(value)}x{len(value[0])}]", Role.BINARY,
                {**base, "pointer": pointer},
                name=name,
            )
            return
        for i, child in enumerate(value):
            if inline and not isinstance(child, _CONTAINERS):
                leaf = _leaf(child, {**base, "pointer": f"{pointer}/{i}"}, name)
                if leaf is not None:
                    yield leaf
            else:
                yield from walk(child, f"{pointer}/{i}", name, base, depth + 1, max_depth)
    else:
        leaf = _leaf(value, {**base, "pointer": pointer or "/"}, name)
        if leaf is not None:
            yield leaf


_KEY, _COLUMN = Role.KEY, Role.COLUMN
_CONTAINERS = (dict, list)  # a tuple: isinstance with `dict | list` costs twice as much


def _leaf(value: Any, locator: Mapping[str, Any], name: str | None) -> Field | None:
    """The field for a scalar JSON value (None for blanks, booleans, nulls and unnamed numbers)."""
    if isinstance(value, str):
        if not value.strip():
            return None
        role = role_for_name(name)
        if role is _COLUMN and _may_be_absolute(value) and ABSOLUTE_PATH.search(value):
            role = Role.PATH
        return make_field((value, role, locator, name, None))
    if _is_number(value) and name is not None:
        return make_field((str(value), role_for_name(name), locator, name, None))
    return None


def _may_be_absolute(value: str) -> bool:
    """A superset of ABSOLUTE_PATH's starts, tested in Python before the RE2 call (~2 us)."""
    return value[0] in "/~f" or value[1:3] == ":\\"


def _element(values: list[Any]) -> str:
    """"float" when any value is a float (embeddings), else "int" (token ids, sample counts)."""
    return "float" if any(isinstance(v, float) for v in values) else "int"


def _is_number(v: Any) -> bool:
    return isinstance(v, _NUMBERS) and not isinstance(v, bool)


_NUMBERS = (int, float)


def _is_matrix(rows: list[Any]) -> bool:
    width = len(rows[0])
    return width >= MIN_VECTOR and all(
        len(r) == width and all(_is_number(v) for v in r) for r in rows
    )


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
